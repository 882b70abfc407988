// The web app's weight and build: the JavaScript a first visit loads (the page's module scripts and
// modulepreloads, and every module they import statically), as the server sends it gzipped, within
// 150 KB (issue 18); the build within seconds; and web/app type-checks as browser code (DOM types, no
// Node types), so a Node global cannot slip into the page.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import { buildWebApp } from '../../web/build/bundle.ts';
import { boot } from '../gateway/harness.ts';

const BUDGET_GZIP = 150 * 1024;
const ROOT = path.resolve(import.meta.dirname, '../..');

t.test('first-load JavaScript, gzipped as served, within 150 KB', async (t) => {
  const s = await boot();
  t.teardown(() => s.stop());
  const html = await (await fetch(`${s.http}/`)).text();
  const queue = [
    ...[...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]),
  ];
  t.ok(queue.length > 0, 'the page loads a script');
  const seen = new Map<string, { raw: number; gzip: number }>();
  while (queue.length > 0) {
    const url = new URL(queue.shift() as string, `${s.http}/`).pathname;
    if (seen.has(url)) continue;
    // fetch gunzips; the raw answer's Content-Length is what crossed the wire.
    const gz = await fetch(`${s.http}${url}`, { headers: { 'accept-encoding': 'gzip' } });
    t.equal(gz.headers.get('content-encoding'), 'gzip', `${url} is sent gzipped`);
    const wire = Number(gz.headers.get('content-length'));
    const text = await gz.text();
    seen.set(url, { raw: Buffer.byteLength(text), gzip: wire });
    // Static imports of other chunks (a code-split build): they load before the page runs too.
    for (const m of text.matchAll(/(?:\bimport\s*|\bfrom\s*)["'](\/assets\/[^"']+\.js|\.\/[^"']+\.js)["']/g)) queue.push(new URL(m[1], `${s.http}${url}`).pathname);
  }
  const gzip = [...seen.values()].reduce((n, f) => n + f.gzip, 0);
  const raw = [...seen.values()].reduce((n, f) => n + f.raw, 0);
  console.log(`# web app first load: ${seen.size} script(s), ${raw} B minified, ${gzip} B gzipped (budget ${BUDGET_GZIP} B)`);
  t.ok(gzip <= BUDGET_GZIP, `${gzip} B gzipped <= ${BUDGET_GZIP} B`);
});

t.test('the build takes well under the seconds a start may spend on it', async (t) => {
  const b = await buildWebApp();
  console.log(`# web app build: ${b.ms} ms`);
  t.ok(b.ms < 10_000, `${b.ms} ms`);
  t.equal(b.scripts.length, 1);
  t.equal(b.styles.length, 1);
});

t.test('type-checks as browser code: DOM types, no Node types', async (t) => {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', path.join(ROOT, 'web', 'tsconfig.json')], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stdout + r.stderr);
});

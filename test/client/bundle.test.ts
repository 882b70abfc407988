// The SDK in a browser: it bundles for the browser platform (no Node built-in can be imported), it
// type-checks with the DOM's types and without Node's (no Buffer, no process), it reaches into the
// server only for types (gateway/protocol.ts, engine/index.ts), and its size is measured.
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import t from 'tap';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLIENT = path.join(ROOT, 'client');
/** The web app's whole first load may be 150 KB gzipped (issue 18); the SDK takes a small share. */
const BUDGET_GZIP = 40 * 1024;

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(p)));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

t.test('bundles for the browser, within its budget', async (t) => {
  const r = await build({
    entryPoints: [path.join(CLIENT, 'index.ts')], bundle: true, platform: 'browser', format: 'esm', target: 'es2022',
    minify: true, write: false, metafile: true, logLevel: 'silent',
  });
  const js = r.outputFiles[0].contents;
  const gz = gzipSync(js).length;
  const inputs = Object.keys(r.metafile.inputs);
  t.same(inputs.filter((i) => !i.includes('client/') && !i.includes('node_modules/msgpackr/')), [], 'only the SDK and msgpackr');
  t.ok(gz <= BUDGET_GZIP, `client/index.ts bundled: ${js.length} B minified, ${gz} B gzipped (budget ${BUDGET_GZIP})`);
  console.log(`# sdk bundle: ${js.length} B minified, ${gz} B gzipped`);
});

t.test('type-checks as browser code: DOM types, no Node types', async (t) => {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', path.join(CLIENT, 'tsconfig.json')], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stdout + r.stderr);
});

t.test('imports from the server are type-only, and only of the protocol and the engine', async (t) => {
  const bad: string[] = [];
  for (const file of await sources(CLIENT)) {
    if (file.endsWith(path.join('gen', 'cli.ts'))) continue; // the generator's command line is a Node tool
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
      const [, , typeOnly, spec] = m;
      const rel = path.relative(ROOT, path.resolve(path.dirname(file), spec));
      if (spec.startsWith('node:')) bad.push(`${file}: ${spec}`);
      else if (spec.startsWith('.') && !rel.startsWith('client')) {
        if (typeOnly === undefined || !['gateway/protocol.ts', 'engine/index.ts'].includes(rel)) bad.push(`${file}: ${spec}`);
      }
    }
  }
  t.same(bad, []);
});

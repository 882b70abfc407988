// The README's five-minute tour, against a real server: a token from examples/token.ts, an auction
// opened over HTTP, examples/watch.ts watching it and bidding, and the bid seen on the live feed.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import { api, boot, rid, SECRET } from '../gateway/harness.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const b = await boot();
t.teardown(() => b.stop());

function token(user: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/token.ts', user], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, JWT_SECRET: SECRET } });
  if (r.status !== 0) throw new Error(`examples/token.ts: ${r.stderr}`);
  return r.stdout.trim();
}

t.test('examples/token.ts refuses to sign without JWT_SECRET', async (t) => {
  const env = { ...process.env };
  delete env.JWT_SECRET;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/token.ts', 'alice'], { cwd: ROOT, encoding: 'utf8', env });
  t.equal(r.status, 2);
  t.match(r.stderr, /JWT_SECRET/);
});

t.test('open an auction, watch it, bid from the watcher', async (t) => {
  const seller = token('seller');
  const now = Date.now();
  const created = await api(b.http, 'POST', '/api/v1/auctions', {
    token: seller, key: rid('tour'), body: { productId: 'lamp-1', startPrice: 10_000, bidUnit: 1_000, endsAt: now + 3_600_000 },
  });
  t.equal(created.status, 201);
  const auction = created.body.id as string;
  t.match(await api(b.http, 'POST', `/api/v1/auctions/${auction}/open`, { token: seller, key: rid('tour') }), { status: 200, body: { status: 'OPEN' } });

  const watch = spawn(process.execPath, ['--import', 'tsx', 'examples/watch.ts', '--url', b.ws, '--token', token('alice'), '--bid', '12000', auction], { cwd: ROOT });
  let out = '';
  const seen = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no px within 15 s:\n${out}`)), 15_000);
    watch.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/ px /.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await seen;
  const exited = new Promise<number | null>((resolve) => watch.on('exit', resolve));
  watch.kill('SIGINT');
  t.equal(await exited, 0, 'Ctrl-C closes the socket and exits cleanly');
  t.match(out, /connected to ws:\/\//);
  t.match(out, / authed +\{"userId":"alice"\}/);
  t.match(out, / snap +\{"auction":"[^"]+","seq":2,"status":"OPEN"/);
  t.match(out, / ack +\{"rid":"[^"]+","ok":true,"seq":3,"price":12000,"leading":true/);
  t.match(out, / px +\{"auction":"[^"]+","seq":3,"price":12000/);
  t.notMatch(out, /eyJ/, 'the token is never printed');
});

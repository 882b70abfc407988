// The process entry, started by `npm start`'s command as package.json has it, as a child process: a bad
// configuration exits 1 naming the variable; a good one serves, and SIGTERM stops it cleanly with exit 0.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { NPM_START } from '../helpers/server-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm start`'s own command line (other tests start a bundle of its entry). */
function run(env: Record<string, string>) {
  if (NPM_START[0] !== 'node') throw new Error(`npm start is not a node command: ${NPM_START.join(' ')}`);
  const child = spawn(process.execPath, NPM_START.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, out: () => out, err: () => err };
}

t.test('a bad configuration exits 1 and says which variable', async (t) => {
  const p = run({ PORT: 'eighty', WS_MAX_SUBSCRIPTIONS: '0' });
  const [code] = await p.exited;
  t.equal(code, 1);
  t.match(p.err(), /PORT/);
  t.match(p.err(), /WS_MAX_SUBSCRIPTIONS/, 'every problem at once');
});

t.test('serves, then stops on SIGTERM', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-main-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const p = run({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'info' });
  const deadline = Date.now() + 60_000; // a deadline, not a wait: a busy machine starts slowly
  let url: string | undefined;
  while (url === undefined && Date.now() < deadline) {
    url = /"url":"(http:\/\/[^"]+)"/.exec(p.out())?.[1];
    if (url === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  t.ok(url, `logs its URL${url === undefined ? ` (stderr: ${p.err().slice(-500)})` : ''}`);
  t.match(p.out(), /JWT_SECRET is not set/, 'warns about the random development key');
  const health = await fetch(`${url}/healthz`);
  t.equal(health.status, 200);
  p.child.kill('SIGTERM');
  const [code] = await p.exited;
  t.equal(code, 0, 'clean exit');
  t.match(p.out(), /server stopped/);
});

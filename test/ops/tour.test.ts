// The README's five-minute tour, run as it is written, against a real server: its shell blocks go to bash
// as they stand, with three changes a test needs (no `npm start`: the server is booted here, on a free
// port instead of 8080; no `kill` at the end; examples/watch.ts told that port), and every line of the
// watcher's output the README shows (`# 09:00:01.120 px {...}`, `…` standing for anything) must appear.
// So the README cannot show a command that fails or an output that is not what you get.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { boot } from '../gateway/harness.ts';
import { toolMissing, which } from '../helpers/tools.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The ```sh blocks of the README's "Five-minute tour" section, in order. */
function tourBlocks(readme: string): string[] {
  const start = readme.indexOf('\n## Five-minute tour\n');
  if (start < 0) throw new Error('README.md has no "## Five-minute tour" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
}

/** The watcher lines a block shows as comments, as patterns: the clock is any time, `…` is anything. */
function shownLines(block: string): { text: string; pattern: RegExp }[] {
  const out: { text: string; pattern: RegExp }[] = [];
  for (const line of block.split('\n')) {
    const m = /^# \d{2}:\d{2}:\d{2}\.\d{3} (\w+) +(.*)$/.exec(line);
    if (m === null) continue;
    const body = (m[2] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/…/g, '.*?');
    out.push({ text: line, pattern: new RegExp(`^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} ${m[1]} +${body}$`, 'm') });
  }
  return out;
}

/** A block as the test runs it: the server is ours, on `port`; the watcher is told where. */
function adapt(block: string, port: number, ws: string): string {
  return block
    .split('\n')
    .filter((line) => !/\bnpm start\b/.test(line) && !/^kill\b/.test(line))
    .join('\n')
    .replaceAll('localhost:8080', `127.0.0.1:${port}`)
    .replaceAll('examples/watch.ts ', `examples/watch.ts --url ${ws} `);
}

/** Run a script in bash, without blocking this process: the server answering it runs here. */
function bash(script: string, env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `set -eu\n${script}`], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

t.test('examples/token.ts refuses to sign without JWT_SECRET', async (t) => {
  const env = { ...process.env };
  delete env.JWT_SECRET;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/token.ts', 'alice'], { cwd: ROOT, encoding: 'utf8', env });
  t.equal(r.status, 2);
  t.match(r.stderr, /JWT_SECRET/);
});

t.test('the README has the tour: four shell blocks, and the watcher lines it promises', async (t) => {
  const blocks = tourBlocks(README);
  t.equal(blocks.length, 4, 'start and tokens; create and open; watch; outbid and read');
  t.match(blocks[0], /^export JWT_SECRET=\S{32,}$/m, 'a key of the reader\'s own, long enough for the server');
  t.match(blocks[0], /^METRICS_PUBLIC=1 npm start &/m);
  t.equal(shownLines(blocks[2] ?? '').length, 4, 'authed, snap, px, ack');
  t.equal(shownLines(blocks[3] ?? '').length, 2, 'px, notice');
});

t.test('the tour, as written, against a real server', async (t) => {
  if (which('curl') === null) return toolMissing(t, 'curl', 'curl');
  const blocks = tourBlocks(README);
  const [setup = '', create = '', watch = '', outbid = ''] = blocks;
  const secret = /^export JWT_SECRET=(\S+)$/m.exec(setup)?.[1] as string;
  const b = await boot({ JWT_SECRET: secret, METRICS_PUBLIC: '1' });
  t.teardown(() => b.stop());
  const port = Number(new URL(b.http).port);

  // Blocks 1 and 2 in one shell, as a reader types them; then what they left in their variables.
  const first = await bash(`${adapt(setup, port, b.ws)}\n${adapt(create, port, b.ws)}\nprintf '\\n%s\\n%s\\n%s\\n%s\\n' "$SELLER" "$ALICE" "$BOB" "$ID"`);
  t.equal(first.status, 0, `blocks 1 and 2 run: ${first.stderr}`);
  const [seller, alice, bob, id] = first.stdout.trimEnd().split('\n').slice(-4) as string[];
  for (const [name, token] of [['SELLER', seller], ['ALICE', alice], ['BOB', bob]] as const) t.match(token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/, `${name} is a token`);
  t.match(id, /^[\w-]{1,64}$/, 'ID is the new auction\'s id');
  t.match(first.stdout, /"ok":true/, 'the open was accepted');
  t.match(first.stdout, /"status":"OPEN"/);

  // Block 3: the watcher, in the background for the reader, here a child of its own.
  const line = adapt(watch, port, b.ws).split('\n').find((l) => l.includes('examples/watch.ts')) as string;
  t.match(line, /&\s*$/, 'the watcher runs in the background');
  const watcher: ChildProcess = spawn('bash', ['-c', `exec ${line.replace(/&\s*$/, '')}`], { cwd: ROOT, env: { ...process.env, ALICE: alice, ID: id } });
  t.teardown(() => {
    if (watcher.exitCode === null) watcher.kill('SIGKILL');
  });
  let out = '';
  const waiters: { pattern: RegExp; done: () => void }[] = [];
  watcher.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) if (w.pattern.test(out)) w.done();
  });
  watcher.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const shows = (pattern: RegExp, what: string) => new Promise<void>((resolve, reject) => {
    if (pattern.test(out)) return resolve();
    const timer = setTimeout(() => reject(new Error(`the watcher never printed ${what} within 15 s:\n${out}`)), 15_000);
    waiters.push({ pattern, done: () => (clearTimeout(timer), resolve()) });
  });
  for (const s of shownLines(watch)) {
    await shows(s.pattern, s.text);
    t.pass(`the watcher prints ${s.text.slice(2)}`);
  }
  t.match(out, /^connected to ws:\/\//m);

  // Block 4: Bob outbids over HTTP; the watcher sees it, Alice is told; the view and the metrics say so.
  const last = await bash(adapt(outbid, port, b.ws), { BOB: bob, ID: id });
  t.equal(last.status, 0, `block 4 runs: ${last.stderr}`);
  t.match(last.stdout, /"ok":true,"rid":"tour-3","seq":4,"price":15000,"leading":true/, 'Bob\'s bid is accepted');
  t.match(last.stdout, /"price":15000,"bidCount":2/, 'the public view has it');
  t.match(last.stdout, /okj_bids_accepted_total\{[^}]*transport="http"[^}]*\} 1/, 'the metrics count the HTTP bid');
  t.match(last.stdout, /okj_bids_accepted_total\{[^}]*transport="ws"[^}]*\} 1/, 'and the socket one');
  for (const s of shownLines(outbid)) {
    await shows(s.pattern, s.text);
    t.pass(`the watcher prints ${s.text.slice(2)}`);
  }

  const exited = new Promise<number | null>((resolve) => watcher.on('exit', resolve));
  watcher.kill('SIGINT');
  t.equal(await exited, 0, 'Ctrl-C closes the socket and exits cleanly');
  t.notMatch(out, /eyJ/, 'the token is never printed');
});

// `npm start`'s entry as a child process on a port of its own, for tests that kill it, restart it or
// measure it from outside: started with a minimal environment plus `env`, ready once it logs its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundled } from './bundle.ts';
import { cheapPasswordHash } from './cheap-hash.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm start`'s command line as package.json has it, split: `node`, its flags, then the entry. */
export const NPM_START: readonly string[] = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);

/** The .ts entry `npm start` runs (tests start a bundle of it); throws if the script is not `node … <entry>.ts`. */
export function npmStartEntry(): string {
  const entry = NPM_START.at(-1);
  if (NPM_START[0] !== 'node' || entry === undefined || !entry.endsWith('.ts')) throw new Error(`npm start is not node running a .ts entry: ${NPM_START.join(' ')}`);
  return entry;
}

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
}

/** Start the server on DATA_DIR `dir`; resolves once it logs its URL. */
export async function startServerProcess(dir: string, secret: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [await bundled(npmStartEntry())], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, JWT_SECRET: secret, LOG_LEVEL: 'info', ...cheapPasswordHash(env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // Resolved by the log line that names the URL; an early exit fails at once, with what it said.
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 60 s: ${out.slice(-500)}`)), 60_000);
    let up = false;
    const read = (d: Buffer) => {
      out += d.toString();
      const m = up ? null : /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m !== null) {
        up = true;
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout?.on('data', read);
    proc.stderr?.on('data', read);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${signal ?? code}) before it started: ${out.slice(-500)}`));
    });
  });
  return { proc, url };
}

/** Stop it with `signal` and wait for the exit (at once if it has exited). */
export async function killServerProcess(c: ServerProcess, signal: NodeJS.Signals): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  const exited = once(c.proc, 'exit');
  c.proc.kill(signal);
  await exited;
}

// `npm start`'s entry (app/main.ts) as a child process on a port of its own, for tests that kill it,
// restart it or measure it from outside: started with a minimal environment plus `env`, ready once it
// logs its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { eventually } from '../market/fixtures.ts';
import { cheapPasswordHash } from './cheap-hash.ts';

const ENTRY = path.resolve(import.meta.dirname, '../../app/main.ts');

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
}

/** Start the server on DATA_DIR `dir`; resolves once it logs its URL. */
export async function startServerProcess(dir: string, secret: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, JWT_SECRET: secret, LOG_LEVEL: 'info', ...cheapPasswordHash(env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await eventually(async () => /"url":"(http:\/\/[^"]+)"/.exec(out)?.[1], 60_000, `the server to start (${out.slice(-500)})`);
  return { proc, url };
}

/** Stop it with `signal` and wait for the exit (at once if it has exited). */
export async function killServerProcess(c: ServerProcess, signal: NodeJS.Signals): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  const exited = once(c.proc, 'exit');
  c.proc.kill(signal);
  await exited;
}

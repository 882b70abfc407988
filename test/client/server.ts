// The real server as a child process: `npm start`'s entry (read from package.json, so it follows the
// server when its files move), bundled (test/helpers/bundle.ts; gateway/main.test.ts runs the script
// itself, tsx and all), on a port the test chooses so that a restart comes back on the same address,
// with SQLite under a temp DATA_DIR. Tokens are signed here with the same key, issuer and audience, as
// examples/token.ts does.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { bundled } from '../helpers/bundle.ts';
import { cheapPasswordHash } from '../helpers/cheap-hash.ts';
import { npmStartEntry } from '../helpers/server-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SECRET = 'client-sdk-test-secret-long-enough-for-hs256';
const ISSUER = 'okjangpan';
const AUDIENCE = 'okjangpan-api';

export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

export async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-client-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export function sign(user: string, o: { ttlSeconds?: number; role?: 'user' | 'admin' } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: o.role ?? 'user' })
    .setProtectedHeader({ alg: 'HS256' }).setSubject(user).setIssuer(ISSUER).setAudience(AUDIENCE)
    .setIssuedAt(now).setExpirationTime(now + (o.ttlSeconds ?? 3600))
    .sign(new TextEncoder().encode(SECRET));
}

/** Resolves with `f()`'s first non-undefined answer, asked every `everyMs`; rejects after `ms`. */
export async function until<T>(f: () => T | undefined | Promise<T | undefined>, ms: number, what: string, everyMs = 25): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export class ServerProcess {
  private constructor(readonly proc: ChildProcess, readonly url: string, readonly output: () => string) {}

  get wsUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}/ws`;
  }

  static async start(dir: string, port: number, env: Record<string, string> = {}): Promise<ServerProcess> {
    const proc = spawn(process.execPath, [await bundled(npmStartEntry())], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dir, JWT_SECRET: SECRET,
        JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, LOG_LEVEL: 'warn', ...cheapPasswordHash(env), ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    await until(async () => {
      if (proc.exitCode !== null) throw new Error(`the server exited with ${proc.exitCode}: ${out.slice(-1000)}`);
      try {
        return (await fetch(`${url}/readyz`)).status === 200 ? true : undefined;
      } catch {
        return undefined;
      }
    }, 30_000, 'the server to be ready', 50);
    return new ServerProcess(proc, url, () => out);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = once(this.proc, 'exit');
    this.proc.kill(signal);
    await exited;
  }
}

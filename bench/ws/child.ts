// A benchmark child process (the real server or the bare echo server) driven over IPC: it reports its
// port once listening, answers requests ({id, t} -> {id, ...}), and stops on `stop` or when the IPC
// channel closes (the bench died), so no child outlives the bench.
import { fork, type ChildProcess } from 'node:child_process';

export interface Child {
  port: number;
  proc: ChildProcess;
  /** One request/response round trip; rejects after `ms`. */
  ask<T>(t: string, ms?: number): Promise<T>;
  /** Ask the child to exit cleanly (so --cpu-prof gets written), kill it if it does not within `ms`. */
  stop(ms?: number): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Kill every child still running: the last resort on error, signal or watchdog. */
export function killAll(): void {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

export function startChild(file: string, o: { execArgv?: string[]; env?: NodeJS.ProcessEnv; readyMs?: number } = {}): Promise<Child> {
  // The child's stdout goes to our stderr: our stdout must end with the JSON line only.
  const proc = fork(file, [], {
    execArgv: ['--import', 'tsx', ...(o.execArgv ?? [])],
    env: o.env ?? process.env,
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  live.add(proc);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => {
    live.delete(proc);
    resolve();
  }));
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  let nextId = 1;
  proc.on('message', (m: Record<string, unknown>) => {
    const w = waiting.get(m.id as number);
    if (w === undefined) return;
    waiting.delete(m.id as number);
    w(m);
  });

  const child: Omit<Child, 'port'> = {
    proc,
    ask<T>(t: string, ms = 10_000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`child did not answer ${t} within ${ms} ms`));
        }, ms);
        waiting.set(id, (m) => {
          clearTimeout(timer);
          resolve(m as T);
        });
        proc.send({ id, t });
      });
    },
    async stop(ms = 5_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      if (proc.connected) proc.send({ id: 0, t: 'stop' });
      const timer = setTimeout(() => proc.kill('SIGKILL'), ms);
      await exited;
      clearTimeout(timer);
    },
  };

  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${file} did not report a port within ${o.readyMs ?? 15_000} ms`));
    }, o.readyMs ?? 15_000);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before it was ready (code ${code}, signal ${signal})`));
    });
    const onReady = (m: Record<string, unknown>) => {
      if (m.t !== 'ready') return;
      proc.off('message', onReady);
      clearTimeout(timer);
      resolve({ ...child, port: m.port as number });
    };
    proc.on('message', onReady);
  });
}

// The real server (app/server.ts, configured from the environment like app/main.ts) in a child process,
// with an IPC side door for the bench: `mem` (memory after a full GC; needs --expose-gc), `stats`
// (connections, hub and group-commit counters), `cpu` (process.cpuUsage) and `stop` (graceful close, then exit so that
// --cpu-prof, when given, writes its profile).
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../app/config.ts';
import { startServer } from '../../app/server.ts';
import { createLogger } from '../../app/logger.ts';

const config = loadConfig(process.env);
const server = await startServer(config, { logger: createLogger(config) });

let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await server.close().catch((err: unknown) => console.error('server close failed', err));
  }
  process.exit(code);
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Anonymous resident memory (Linux /proc), or null elsewhere. Unlike RSS it leaves out file-backed pages
 * (the node binary's code), which the kernel may drop and fault back at any moment: on a machine that
 * reclaims cold pages proactively (DAMON here) RSS fell by megabytes between two idle-socket rounds.
 */
function rssAnon(): number | null {
  try {
    const kb = /^RssAnon:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

process.on('message', (m: { id: number; t: string }) => {
  switch (m.t) {
    case 'mem': {
      // Twice: the first pass may leave finalizer-held objects for the second.
      gc?.();
      gc?.();
      process.send?.({ id: m.id, gc: gc !== undefined, ...process.memoryUsage(), rssAnon: rssAnon() });
      return;
    }
    case 'stats':
      process.send?.({ id: m.id, connections: server.gateway.connections, hub: server.gateway.stats, commit: server.service.commitStats });
      return;
    case 'cpu':
      process.send?.({ id: m.id, ...process.cpuUsage() });
      return;
    case 'stop':
      void stop(0);
      return;
  }
});
process.on('disconnect', () => void stop(0));
process.send?.({ t: 'ready', port: server.port });

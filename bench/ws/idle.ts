// Memory per idle socket, measured inside the server child after a full GC. Rounds of `n`
// authenticated sockets (each a distinct user, as logged-in apps would be), all kept open:
// - the first round also pays one-time costs: JIT of the auth path, malloc arenas of the crypto threads
//   that checked the tokens, V8 heap growth. RSS keeps those after GC, so it would bill them to sockets.
// - each later round's growth, with the earlier ones still open, is the marginal cost of one more idle
//   socket (nothing was freed in between for it to reuse). The reported figure is the median of the
//   later rounds, so that one round disturbed by something else (the allocator returning pages, V8
//   resizing its heap) does not decide it.
// Views of each round's growth:
// - retained: growth of the anonymous resident memory (RSS less file-backed pages, which the kernel may
//   drop at any time; plain RSS where /proc has no RssAnon) less the growth of the V8 heap's free space
//   (heapTotal - heapUsed), so garbage from the setup is not counted while native memory (uWS's socket
//   and topic state) still is.
// - rss: raw RSS growth.   - js: heapUsed + external alone (misses uWS's native memory).
import type WebSocket from 'ws';
import type { Child } from './child.ts';
import { openMany } from './socket.ts';
import { until } from './stats.ts';

interface Mem { rss: number; rssAnon: number | null; heapTotal: number; heapUsed: number; external: number; gc: boolean }
interface Stats { connections: number }

export interface Growth { retained: number; rss: number; js: number; openMs: number }

const retained = (m: Mem) => (m.rssAnon ?? m.rss) - (m.heapTotal - m.heapUsed);

export async function idleSockets(server: Child, n: number, batch: number, open: (i: number) => Promise<WebSocket>, rounds = 4): Promise<{ first: Growth; marginal: Growth; later: Growth[]; sockets: WebSocket[] }> {
  const sockets: WebSocket[] = [];
  const base = (await server.ask<Stats>('stats')).connections;
  let mem = await server.ask<Mem>('mem');
  if (!mem.gc) throw new Error('the server child has no gc(): start it with --expose-gc');
  const round = async (r: number): Promise<Growth> => {
    const started = performance.now();
    for (const ws of await openMany(n, batch, (i) => open(r * n + i))) sockets.push(ws);
    const openMs = Math.round(performance.now() - started);
    let seen = 0;
    const all = await until(async () => (seen = (await server.ask<Stats>('stats')).connections - base) >= sockets.length, 5_000, 50);
    if (!all) throw new Error(`the server holds ${seen} of the ${sockets.length} idle sockets`);
    const after = await server.ask<Mem>('mem');
    const g = {
      retained: Math.round((retained(after) - retained(mem)) / n),
      rss: Math.round((after.rss - mem.rss) / n),
      js: Math.round((after.heapUsed + after.external - mem.heapUsed - mem.external) / n),
      openMs,
    };
    mem = after;
    return g;
  };
  const first = await round(0);
  const later: Growth[] = [];
  for (let r = 1; r < rounds; r++) later.push(await round(r));
  const marginal = [...later].sort((a, b) => a.retained - b.retained)[Math.floor((later.length - 1) / 2)];
  return { first, marginal, later, sockets };
}

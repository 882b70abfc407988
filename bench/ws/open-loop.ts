// Open-loop latency: bids offered at a fixed rate whatever the replies do, spread round-robin over the
// connections (and so over their auctions). A 1 ms timer releases what is due; each connection's share
// of a tick leaves corked. Latency runs from the moment a bid is handed to its socket to the moment its
// ack is decoded, matched by rid (`<tag><index>`; the tag keeps rids unique across runs, since a
// repeated (user, rid) would be answered from the idempotency table instead of being bid again).
import type { LoadConn } from './closed-loop.ts';
import type { BidSource } from './bids.ts';
import { quantile } from './stats.ts';
import { sendCorked } from './socket.ts';

export interface LatencyResult {
  p50: number;
  p99: number;
  max: number;
  /** Bids actually sent per second (the offered rate, unless the client fell behind). */
  sentPerSec: number;
  acked: number;
  failed: number;
  lost: number;
}

export function openLoop(conns: (LoadConn & { bids: BidSource })[], o: { perSec: number; ms: number; drainMs: number; tag: string }): Promise<LatencyResult> {
  const total = Math.floor((o.perSec * o.ms) / 1000);
  const sentAt = new Float64Array(total);
  const samples = new Float64Array(total);
  let replies = 0;
  let failed = 0;
  let sent = 0;
  let turn = 0;
  const started = performance.now();
  let sendEnd = started;

  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      for (const c of conns) c.onFrame = () => {};
      const got = samples.subarray(0, replies - failed);
      resolve({
        p50: quantile(got, 0.5), p99: quantile(got, 0.99), max: quantile(got, 1),
        sentPerSec: Math.round(sent / ((sendEnd - started) / 1000)), acked: replies - failed, failed, lost: sent - replies,
      });
    };
    const giveUp = setTimeout(finish, o.ms + o.drainMs);
    for (const c of conns) {
      c.onFrame = (f) => {
        if (f.t !== 'ack' && !(f.t === 'error' && typeof f.rid === 'string')) return;
        const idx = Number((f.rid as string).slice(o.tag.length));
        replies++;
        if (f.t === 'ack' && f.ok === true) samples[replies - 1 - failed] = performance.now() - sentAt[idx];
        else failed++;
        if (replies === total) finish();
      };
    }
    const batches: Buffer[][] = conns.map(() => []);
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - started) * o.perSec) / 1000));
      if (due > sent) {
        const from = sent;
        for (; sent < due; sent++, turn = (turn + 1) % conns.length) batches[turn].push(conns[turn].bids.frame(`${o.tag}${sent}`));
        // Stamp just before the writes: what each bid waits from here on is the server's doing (and the
        // network stack's), not our timer's.
        const t = performance.now();
        sentAt.fill(t, from, sent);
        for (let i = 0; i < conns.length; i++) {
          if (batches[i].length === 0) continue;
          sendCorked(conns[i].ws, batches[i]);
          batches[i].length = 0;
        }
        sendEnd = performance.now();
      }
      if (sent < total) timer = setTimeout(tick, 1);
    };
    tick();
  });
}

// Fan-out: many watchers subscribed to one auction while one bidder (its own socket) raises it at a fixed
// rate. Latency per watcher and bid runs from the bid's send to the arrival at that watcher of the
// first `px` whose seq covers the bid (the gateway may coalesce, so one px can deliver several bids).
// Only this bidder bids here and never has a rival, so bid k after the snap's seq s0 is event s0 + k;
// the acks check that. The watchers are lean sockets (lean-socket.ts) so that reading them costs this
// process as little as possible; they subscribe anonymously, as a public auction page would.
import type { BidSource } from './bids.ts';
import type { LoadConn } from './closed-loop.ts';
import { LeanSocket } from './lean-socket.ts';
import { packr, sendCorked, unpackr, type Frame } from './socket.ts';
import { quantile, until } from './stats.ts';

/** MessagePack of `t: "px"` (key and value), as the first entry of the frame's map. */
const PX_HEAD = Buffer.from([0xa1, 0x74, 0xa2, 0x70, 0x78]);
/** The key `seq` (fixstr of 3). */
const SEQ_KEY = Buffer.from([0xa3, 0x73, 0x65, 0x71]);

/**
 * The seq of a px frame read straight from its bytes (a watcher reads 100,000 of these a second, and a
 * full decode was most of its cost); -1 when the frame is not a plain px map with an integer seq, which
 * then gets a full decode.
 */
function pxSeq(b: Buffer): number {
  // The map header: fixmap, or map16/map32 (msgpackr writes map16 when it does not know the size ahead).
  const h = (b[0] & 0xf0) === 0x80 ? 1 : b[0] === 0xde ? 3 : b[0] === 0xdf ? 5 : 0;
  if (h === 0 || b.compare(PX_HEAD, 0, PX_HEAD.length, h, h + PX_HEAD.length) !== 0) return -1;
  const at = b.indexOf(SEQ_KEY, h + PX_HEAD.length) + SEQ_KEY.length;
  if (at < SEQ_KEY.length || at >= b.length) return -1;
  const tag = b[at];
  if (tag < 0x80) return tag;
  if (tag === 0xcc) return b[at + 1];
  if (tag === 0xcd) return b.readUInt16BE(at + 1);
  if (tag === 0xce) return b.readUInt32BE(at + 1);
  return -1;
}

export interface FanoutResult {
  p50: number;
  p99: number;
  max: number;
  bids: number;
  /** Median over bids of the first watcher's latency (commit path) and of the last one's (+ spread). */
  firstP50: number;
  lastP50: number;
  /** Deliveries measured, of watchers x bids expected. */
  delivered: number;
  expected: number;
  /** Acks whose seq was not the predicted one, watchers whose first snap had another seq (both should be 0). */
  seqMismatch: number;
  baseMismatch: number;
  /** Fresh snaps sent to watchers that had lagged (the slow-consumer path). */
  resnaps: number;
  openMs: number;
}

export async function fanout(port: number, auction: string, bidder: LoadConn & { bids: BidSource }, o: { watchers: number; batch: number; perSec: number; ms: number; drainMs: number; onOpened?: () => Promise<void> }): Promise<{ result: FanoutResult; sockets: LeanSocket[] }> {
  const bids = Math.floor((o.perSec * o.ms) / 1000);
  const sentAt = new Float64Array(bids + 1);
  const first = new Float64Array(bids + 1).fill(Infinity);
  const lastIn = new Float64Array(bids + 1);
  const samples = new Float64Array(o.watchers * bids);
  let n = 0;
  let base = -1;
  const last = new Float64Array(o.watchers).fill(-1);
  let baseMismatch = 0;
  let resnaps = 0;
  let sent = 0;
  let seqMismatch = 0;
  let caughtUp = 0;

  const sub = packr.pack({ t: 'sub', auctions: [auction] });
  const opened = performance.now();
  const sockets: LeanSocket[] = [];
  const open = async (i: number) => {
    let snapped: () => void = () => {};
    const gotSnap = new Promise<void>((resolve) => (snapped = resolve));
    const ws = await LeanSocket.open(port, '/ws', (payload) => {
      const seq = last[i] < 0 ? -1 : pxSeq(payload);
      const f = seq >= 0 ? { t: 'px', auction, seq } : (unpackr.unpack(payload) as Frame);
      if (f.auction !== auction || (f.t !== 'px' && f.t !== 'snap')) return;
      if (last[i] < 0) {
        // The first snap: where this watcher starts (the same seq for all, since nobody bids yet).
        if (f.t !== 'snap') return;
        if (base === -1) base = f.seq as number;
        else if (f.seq !== base) baseMismatch++;
        last[i] = f.seq as number;
        snapped();
        return;
      }
      // A px, or a fresh snap sent to a watcher that lagged and caught up: either covers every bid
      // up to its seq.
      if (f.t === 'snap') resnaps++;
      const now = performance.now();
      const upTo = Math.min(f.seq as number, base + sent);
      for (let s = last[i] + 1; s <= upTo; s++) {
        const k = s - base;
        const ms = now - sentAt[k];
        samples[n++] = ms;
        if (ms < first[k]) first[k] = ms;
        if (ms > lastIn[k]) lastIn[k] = ms;
      }
      if (upTo > last[i]) {
        last[i] = upTo;
        if (upTo === base + bids) caughtUp++;
      }
    });
    sockets.push(ws);
    ws.send(sub);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`watcher ${i} got no snap`)), 10_000)));
    await Promise.race([gotSnap, late]).finally(() => clearTimeout(timer));
  };
  // In batches, so that the server's accept queue never overflows.
  for (let i = 0; i < o.watchers; i += o.batch) {
    await Promise.all(Array.from({ length: Math.min(o.batch, o.watchers - i) }, (_, k) => open(i + k)));
  }
  const openMs = Math.round(performance.now() - opened);
  await o.onOpened?.();

  bidder.onFrame = (f) => {
    if (f.t === 'ack' && f.ok === true && f.seq !== base + Number((f.rid as string).slice(1))) seqMismatch++;
  };
  await new Promise<void>((resolve) => {
    const every = 1000 / o.perSec;
    const t0 = performance.now();
    const tick = () => {
      // Scheduled against the start, not the previous tick, so a late tick does not slow the rate.
      const k = ++sent;
      sentAt[k] = performance.now();
      sendCorked(bidder.ws, [bidder.bids.frame(`f${k}`)]);
      if (sent < bids) setTimeout(tick, Math.max(0, t0 + sent * every - performance.now()));
      else resolve();
    };
    tick();
  });
  await until(() => caughtUp === o.watchers, o.drainMs);
  const got = samples.subarray(0, n);
  const firstP50 = quantile(first.subarray(1).filter(Number.isFinite), 0.5);
  const lastP50 = quantile(lastIn.subarray(1), 0.5);
  return {
    result: { p50: quantile(got, 0.5), p99: quantile(got, 0.99), max: quantile(got, 1), firstP50, lastP50, bids, delivered: n, expected: o.watchers * bids, seqMismatch, baseMismatch, resnaps, openMs },
    sockets,
  };
}

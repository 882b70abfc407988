// The server's clock, estimated from `snap.now` (the server's time when the frame is sent) for countdowns.
// A snap that answers our own `sub` bounds the offset on both sides (Cristian's algorithm): sent at local
// t0, received at t1, the server stamped it between them, so offset is in [now - t1, now - t0]. A snap
// nobody asked for (a status change, a recovery) bounds it from below only. The estimate is the midpoint
// of the tightest recent two-sided sample, kept inside the lower bounds of the others.

export interface ClockSample {
  /** Server time in the frame. */
  serverNow: number;
  /** Local time it was received. */
  receivedAt: number;
  /** Local time the request it answers was sent; absent for unsolicited frames. */
  sentAt?: number;
}

const WINDOW = 16;
/** A reply slower than this bounds the offset from below only (the server may have been busy loading). */
const MAX_RTT_MS = 5_000;

export class ServerClock {
  private samples: { lo: number; hi: number }[] = [];
  private estimate = 0;
  private known = false;

  constructor(private readonly localNow: () => number = Date.now) {}

  /** Server minus local time, ms (0 until the first snap). */
  get offset(): number {
    return this.estimate;
  }

  /** Whether any snap was seen yet. */
  get synced(): boolean {
    return this.known;
  }

  /** Round trip of the sample the estimate rests on (its uncertainty is half of it); Infinity if none. */
  get rtt(): number {
    const best = this.best();
    return best === undefined ? Infinity : best.hi - best.lo;
  }

  /** The server's clock now, as well as it is known. */
  now(): number {
    return this.localNow() + this.estimate;
  }

  add(s: ClockSample): void {
    const lo = s.serverNow - s.receivedAt;
    const rtt = s.sentAt === undefined ? Infinity : s.receivedAt - s.sentAt;
    const hi = rtt >= 0 && rtt <= MAX_RTT_MS ? lo + rtt : Infinity; // = serverNow - sentAt
    // Bounds that cannot all hold mean the local clock was stepped (sleep, NTP): start again from this one.
    if (this.samples.some((o) => o.lo > hi || lo > o.hi)) this.samples = [];
    this.samples.push({ lo, hi });
    if (this.samples.length > WINDOW) this.samples.shift();
    this.recompute();
  }

  private best(): { lo: number; hi: number } | undefined {
    let best: { lo: number; hi: number } | undefined;
    for (const s of this.samples) if (s.hi !== Infinity && (best === undefined || s.hi - s.lo < best.hi - best.lo)) best = s;
    return best;
  }

  private recompute(): void {
    const floor = Math.max(...this.samples.map((s) => s.lo));
    const best = this.best();
    // Without a two-sided sample, the latest lower bound is the best guess (delivery is usually quick).
    const mid = best === undefined ? floor : (best.lo + best.hi) / 2;
    this.estimate = Math.round(Math.max(mid, floor));
    this.known = true;
  }
}

// Auction views, counted at most once per viewer (user, else address) per hour, with no database write
// per request: the last counted time of each (auction, viewer) is kept in memory for an hour, counts
// add up per auction, and a flush writes them in one batch every few seconds. Bounded: past maxKeys the
// oldest viewers are forgotten (they may then count again within their hour). A count shown is the
// stored one plus the unwritten ones, read under `reading()`: a flush lands only while no such read is
// in progress, so a viewer never sees a batch counted twice (stored and in flight) or not at all.
import type { AuctionId, Clock, Millis } from '../../engine/index.ts';
import type { Market } from '../../storage/market/ports.ts';
import type { Logger } from '../../engine/logger.ts';

const HOUR = 3_600_000;

export interface ViewCounterOptions {
  market: Pick<Market, 'addViews'>;
  clock: Clock;
  log: Logger;
  flushEveryMs?: number;
  maxKeys?: number;
}

export class ViewCounter {
  /** (auction, viewer) -> when it was last counted; insertion order is time order. */
  private readonly seen = new Map<string, Millis>();
  private pending = new Map<AuctionId, number>();
  private inFlight = new Map<AuctionId, number>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private readers = 0;
  private drained: (() => void) | null = null;

  constructor(private readonly o: ViewCounterOptions) {
    this.timer = setInterval(() => void this.flush(), o.flushEveryMs ?? 5000);
    this.timer.unref();
  }

  /** Count a view unless this viewer was counted on this auction within the hour; true when counted. */
  record(auction: AuctionId, viewer: string, now: Millis = this.o.clock.now()): boolean {
    const key = `${auction}\u0000${viewer}`;
    const last = this.seen.get(key);
    if (last !== undefined && now - last < HOUR) return false;
    this.seen.delete(key);
    this.seen.set(key, now);
    this.pending.set(auction, (this.pending.get(auction) ?? 0) + 1);
    this.trim(now);
    return true;
  }

  /** Views counted but not written yet (added to the stored count when showing it). */
  unwritten(auction: AuctionId): number {
    return (this.pending.get(auction) ?? 0) + (this.inFlight.get(auction) ?? 0);
  }

  private trim(now: Millis): void {
    const max = this.o.maxKeys ?? 1_000_000;
    for (const [k, at] of this.seen) {
      if (this.seen.size <= max && now - at < HOUR) break;
      this.seen.delete(k);
    }
  }

  /**
   * Run `read` (stored counts read, `unwritten` added) with no flush landing meanwhile. A waiting flush
   * goes first; `read` must not call `reading` again (it would wait for that flush, which waits for it).
   */
  async reading<T>(read: () => Promise<T>): Promise<T> {
    while (this.flushing !== null) await this.flushing;
    this.readers++;
    try {
      return await read();
    } finally {
      if (--this.readers === 0) this.drained?.();
    }
  }

  /** Write the counts gathered so far; on failure they are kept for the next flush. */
  flush(): Promise<void> {
    if (this.flushing !== null) return this.flushing;
    if (this.pending.size === 0) return Promise.resolve();
    // `flushing` is cleared a step after the write settles: no read starts between the two.
    this.flushing = this.write().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.readers > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    this.drained = null;
    const batch = this.pending;
    this.pending = new Map();
    this.inFlight = batch;
    try {
      await this.o.market.addViews(batch);
    } catch (err) {
      for (const [id, n] of batch) this.pending.set(id, (this.pending.get(id) ?? 0) + n);
      this.o.log.warn({ err }, 'view counts not written; kept for the next flush');
    } finally {
      this.inFlight = new Map();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

// In-process close timers: the embedded default behind the engine's CloseTimer. One Node timer per
// open auction; a close that fires while the store is down is retried until it lands.
import type { AuctionId, Clock, CloseTimer, Millis } from '../../engine/index.ts';

// setTimeout cannot wait longer than 2^31-1 ms (~24.8 days); longer waits re-arm.
const MAX_DELAY = 2 ** 31 - 1;

export class ProcessCloseTimers implements CloseTimer {
  private readonly timers = new Map<AuctionId, { at: Millis; handle: NodeJS.Timeout }>();
  private stopped = false;

  constructor(private readonly clock: Clock, private readonly fire: (auction: AuctionId) => void) {}

  get size(): number {
    return this.timers.size;
  }

  schedule(auction: AuctionId, at: Millis): void {
    if (this.stopped) return;
    const current = this.timers.get(auction);
    if (current !== undefined) {
      if (current.at === at) return;
      clearTimeout(current.handle);
    }
    const delay = Math.max(0, at - this.clock.now());
    const handle = setTimeout(() => {
      this.timers.delete(auction);
      if (delay > MAX_DELAY) this.schedule(auction, at);
      else this.fire(auction);
    }, Math.min(delay, MAX_DELAY));
    handle.unref();
    this.timers.set(auction, { at, handle });
  }

  cancel(auction: AuctionId): void {
    const current = this.timers.get(auction);
    if (current === undefined) return;
    clearTimeout(current.handle);
    this.timers.delete(auction);
  }

  stop(): void {
    this.stopped = true;
    for (const { handle } of this.timers.values()) clearTimeout(handle);
    this.timers.clear();
  }
}

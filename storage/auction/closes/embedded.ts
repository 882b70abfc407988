// The embedded CloseScheduler (the default): due times in memory, checked against the injected clock on
// a short tick (so a ManualClock moved past an end closes it within a tick), and durable rows in the
// database, written in batches behind the tick, so closes scheduled before a restart are armed again
// by restore(). (Recovery also re-arms every open auction from the journal; the rows make the schedule
// itself survive, as the port promises.) A close is at most a tick late.
import type { AuctionId, Clock, Millis } from '../../../engine/index.ts';
import type { CloseSchedules } from '../../market/ports.ts';
import { DueHeap } from './heap.ts';
import type { CloseScheduler, FireClose } from './ports.ts';

export interface EmbeddedOptions {
  clock: Clock;
  rows: CloseSchedules;
  /** How often due times are checked and rows written. Default 250 ms. */
  tickMs?: number;
  onError?: (err: unknown) => void;
}

export class EmbeddedCloseScheduler implements CloseScheduler {
  private readonly due = new Map<AuctionId, Millis>();
  private readonly heap = new DueHeap();
  private readonly toPut = new Map<AuctionId, Millis>();
  private readonly toRemove = new Set<AuctionId>();
  private fire: FireClose = () => {};
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly o: EmbeddedOptions) {}

  get size(): number {
    return this.due.size;
  }

  bind(fire: FireClose): this {
    this.fire = fire;
    if (this.timer === null && !this.stopped) {
      this.timer = setInterval(() => this.tick(), this.o.tickMs ?? 250);
      this.timer.unref();
    }
    return this;
  }

  async restore(): Promise<void> {
    const rows = await this.o.rows.schedules();
    for (const [auction, at] of rows) if (!this.due.has(auction)) this.arm(auction, at);
    this.tick();
  }

  schedule(auction: AuctionId, at: Millis): void {
    if (this.stopped || this.due.get(auction) === at) return;
    this.arm(auction, at);
    this.toRemove.delete(auction);
    this.toPut.set(auction, at);
  }

  cancel(auction: AuctionId): void {
    if (!this.due.delete(auction)) return;
    this.forget(auction);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.due.clear();
    this.heap.clear();
    void this.flush();
  }

  private arm(auction: AuctionId, at: Millis): void {
    this.due.set(auction, at);
    this.heap.push({ at, auction });
  }

  private forget(auction: AuctionId): void {
    this.toPut.delete(auction);
    this.toRemove.add(auction);
  }

  /** Fire every due close, then write the rows that changed. */
  tick(): void {
    if (this.stopped) return;
    const now = this.o.clock.now();
    for (let top = this.heap.peek(); top !== undefined && top.at <= now; top = this.heap.peek()) {
      this.heap.pop();
      if (this.due.get(top.auction) !== top.at) continue; // cancelled or moved: a stale entry
      this.due.delete(top.auction);
      this.forget(top.auction);
      this.fire(top.auction);
    }
    void this.flush();
  }

  /** One write in flight at a time; what fails is merged back and tried at the next tick. */
  private flush(): Promise<void> {
    if (this.writing !== null || (this.toPut.size === 0 && this.toRemove.size === 0)) return this.writing ?? Promise.resolve();
    const put = new Map(this.toPut);
    const remove = [...this.toRemove];
    this.toPut.clear();
    this.toRemove.clear();
    this.writing = this.o.rows.saveSchedules(put, remove).then(
      () => {
        this.writing = null;
      },
      (err: unknown) => {
        this.writing = null;
        for (const [id, at] of put) if (!this.toPut.has(id) && !this.toRemove.has(id)) this.toPut.set(id, at);
        for (const id of remove) if (!this.toPut.has(id)) this.toRemove.add(id);
        this.o.onError?.(err);
      },
    );
    return this.writing;
  }

  /** Resolves when the rows written so far are stored (tests). */
  async settled(): Promise<void> {
    for (let i = 0; i < 100 && (this.writing !== null || this.toPut.size > 0 || this.toRemove.size > 0); i++) await this.flush();
  }
}

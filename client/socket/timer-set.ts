// The socket's timers, so none outlives what it belongs to: connection-scoped ones (renewals, resyncs,
// the stable-connection mark) end with the connection, the rest (backoff, retries) with close().
import type { Timers } from './transport.ts';

export class TimerSet {
  private readonly all = new Set<unknown>();
  private readonly scoped = new Set<unknown>();

  constructor(private readonly timers: Timers) {}

  after(ms: number, fn: () => void, scoped = false): unknown {
    const h = this.timers.setTimeout(() => {
      this.all.delete(h);
      this.scoped.delete(h);
      fn();
    }, ms);
    this.all.add(h);
    if (scoped) this.scoped.add(h);
    return h;
  }

  cancel(h: unknown): void {
    if (h === null) return;
    this.timers.clearTimeout(h);
    this.all.delete(h);
    this.scoped.delete(h);
  }

  /** The connection ended. */
  clearScoped(): void {
    for (const h of this.scoped) this.cancel(h);
  }

  /** The client closed. */
  clearAll(): void {
    for (const h of this.all) this.timers.clearTimeout(h);
    this.all.clear();
    this.scoped.clear();
  }
}

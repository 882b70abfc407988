// Sign-in attempt counts in memory: a fixed window per key, forgotten when it ends.
import type { AttemptCounter } from './ports.ts';
import { MemoryLifecycle } from '../lifecycle.ts';

/** Keys kept at most; past it the oldest windows are dropped (a flood of addresses cannot grow memory). */
const MAX_KEYS = 100_000;

export class MemoryAttempts extends MemoryLifecycle implements AttemptCounter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly now: () => number = Date.now) {
    super('the memory attempt counter');
  }

  async reserve(key: string, limit: number, windowMs: number): Promise<{ reserved: boolean; count: number; resetInMs: number }> {
    this.assertOpen();
    const now = this.now();
    let w = this.windows.get(key);
    if (w === undefined || w.endsAt <= now) {
      this.windows.delete(key);
      w = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, w);
      if (this.windows.size > MAX_KEYS) this.windows.delete(this.windows.keys().next().value as string);
    }
    // No await between the read and the write: one event-loop turn, so racing reservations cannot interleave.
    const reserved = w.count < limit;
    if (reserved) w.count++;
    return { reserved, count: w.count, resetInMs: w.endsAt - now };
  }

  async release(key: string): Promise<void> {
    this.assertOpen();
    const w = this.windows.get(key);
    if (w !== undefined && w.endsAt > this.now() && w.count > 0) w.count--;
  }

  async clear(key: string): Promise<void> {
    this.assertOpen();
    this.windows.delete(key);
  }
}

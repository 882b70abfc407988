// Idempotency: the first reply to each (user, rid) is kept for 24 hours and returned to every retry.
// A Map iterates in insertion order, and replies arrive in time order, so the oldest entries are at the
// front: expiry and the size bound both trim from the front in O(1) each.
import type { Millis, Reply, UserId } from './types.ts';

export const REPLY_TTL_MS = 24 * 60 * 60 * 1000;

interface Entry { reply: Reply; at: Millis }

export interface RecentRepliesOptions {
  ttlMs?: number;
  /** Bound on memory; past it the oldest replies are dropped and `evictedAfter` tells the runtime. */
  maxEntries?: number;
}

export class RecentReplies {
  private readonly map = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  /** Latest `at` of an entry dropped for size before its time: older retries must be checked in the store. */
  evictedAfter: Millis = -Infinity;
  private puts = 0;

  constructor(opts: RecentRepliesOptions = {}) {
    this.ttlMs = opts.ttlMs ?? REPLY_TTL_MS;
    this.maxEntries = opts.maxEntries ?? 2_000_000;
  }

  static key(by: UserId, rid: string): string {
    return by + '\u0000' + rid;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string, now: Millis): Reply | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    if (now - e.at >= this.ttlMs) {
      this.map.delete(key);
      return undefined;
    }
    return e.reply;
  }

  put(key: string, reply: Reply, at: Millis): void {
    this.map.set(key, { reply, at });
    // Sweep expired entries now and then, and at once when over the bound.
    if ((++this.puts & 4095) === 0 || this.map.size > this.maxEntries) this.trim(at);
  }

  /** Forget replies that were never made durable (the journal write failed). */
  forget(key: string): void {
    this.map.delete(key);
  }

  /** Could a retry at `now` have its first reply only in the durable store? */
  mayHaveEvicted(now: Millis): boolean {
    return now - this.evictedAfter < this.ttlMs;
  }

  /** Drop expired entries from the front, then the oldest ones past the bound. */
  trim(now: Millis): void {
    for (const [k, e] of this.map) {
      const expired = now - e.at >= this.ttlMs;
      if (!expired && this.map.size <= this.maxEntries) break;
      if (!expired) this.evictedAfter = Math.max(this.evictedAfter, e.at);
      this.map.delete(k);
    }
  }

  *entries(): IterableIterator<[string, Reply, Millis]> {
    for (const [k, e] of this.map) yield [k, e.reply, e.at];
  }
}

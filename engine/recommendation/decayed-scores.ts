// Decayed scores of many keys (a group's tags, the auctions' popularity) held in memory, by the rules of
// decay.ts: one epoch for the whole set, rebased when an event would overflow it. The memory adapters
// and the offline evaluator use it; the Redis adapter runs the same steps in add-decayed-3.lua.
import type { Millis } from '../auction/model.ts';
import { byScoreDesc, checkHalfLife, factorAt, FORGET_BELOW, needsRebase, stored, type Scored } from './decay.ts';
import { topK } from './top.ts';

export class DecayedScores {
  private epoch: Millis | null = null;
  private readonly values = new Map<string, number>();
  readonly halfLifeMs: number;

  /** `maxMembers`: after each add, only that many of the best are kept (the rest were the least worth). */
  constructor(halfLifeMs: number, private readonly maxMembers = Infinity) {
    this.halfLifeMs = checkHalfLife(halfLifeMs);
  }

  get size(): number {
    return this.values.size;
  }

  add(key: string, weight: number, at: Millis): void {
    if (this.epoch === null || this.values.size === 0) this.epoch = at;
    else if (needsRebase(at, this.epoch, this.halfLifeMs)) this.rebase(at);
    this.values.set(key, (this.values.get(key) ?? 0) + stored(weight, at, this.epoch, this.halfLifeMs));
    if (this.values.size > this.maxMembers) this.trim();
  }

  /** What `key` is worth at `now`: 0 when it has none. */
  valueAt(key: string, now: Millis): number {
    const v = this.values.get(key);
    return v === undefined || this.epoch === null ? 0 : v * factorAt(this.epoch, now, this.halfLifeMs);
  }

  /** The `limit` best keys with their worth at `now`, best first. */
  top(now: Millis, limit: number): Scored[] {
    if (this.epoch === null) return [];
    const f = factorAt(this.epoch, now, this.halfLifeMs);
    // The common factor cannot change the order: pick on stored values, scale only what is returned.
    const entries = (function* (values: Map<string, number>) {
      for (const [key, score] of values) yield { key, score };
    })(this.values);
    return topK(entries, limit, byScoreDesc).map((s) => ({ key: s.key, score: s.score * f }));
  }

  delete(key: string): boolean {
    return this.values.delete(key);
  }

  private rebase(epoch: Millis): void {
    const f = factorAt(this.epoch as Millis, epoch, this.halfLifeMs);
    for (const [key, v] of this.values) {
      const next = v * f;
      if (next < FORGET_BELOW) this.values.delete(key);
      else this.values.set(key, next);
    }
    this.epoch = epoch;
  }

  private trim(): void {
    const keep = this.top(this.epoch as Millis, this.maxMembers);
    const kept = new Set(keep.map((s) => s.key));
    for (const key of this.values.keys()) if (!kept.has(key)) this.values.delete(key);
  }
}

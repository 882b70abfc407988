// Exponential time decay with no rescans. A weight w given at time t is worth w * 2^(-(now - t)/h) at
// `now` (h: the half-life). A store keeps w * 2^((t - epoch)/h) against an epoch of its own: adding an
// event is one increment, and at read time every value of the store shares the one factor
// 2^((epoch - now)/h), so the order of its members never needs it and no member is ever rescanned
// to age it.
//
// Finite numbers: a stored increment grows 2x per half-life of `t` past the epoch. Once an event would
// be stored with an exponent above MAX_EXPONENT (x 2^64, about 1.8e19: far from a double's 1.8e308,
// and sums of them keep 52 bits of precision), the store is rebased: its epoch moves to that event's
// time and each stored value is multiplied once by 2^((old - new)/h). That is one pass over one key
// every 64 half-lives; members that have decayed below FORGET_BELOW are dropped in that pass, which also
// keeps stores bounded. Events older than the epoch (late, replayed) get a negative exponent: still exact.
import type { Millis } from '../auction/model.ts';

/** Past this exponent a store rebases its epoch before adding. */
export const MAX_EXPONENT = 64;
/** At a rebase, members worth less than this at the new epoch (a weight of 1 aged 30 half-lives) go. */
export const FORGET_BELOW = 2 ** -30;

export function checkHalfLife(halfLifeMs: number): number {
  if (!Number.isFinite(halfLifeMs) || halfLifeMs <= 0) {
    throw new RangeError(`recommendation: "halfLifeMs" must be a positive number of ms, got ${halfLifeMs}`);
  }
  return halfLifeMs;
}

/** What `weight` given at `at` is stored as against `epoch`. */
export function stored(weight: number, at: Millis, epoch: Millis, halfLifeMs: number): number {
  return weight * 2 ** ((at - epoch) / halfLifeMs);
}

/** The factor that turns a value stored against `epoch` into its worth at `now`. */
export function factorAt(epoch: Millis, now: Millis, halfLifeMs: number): number {
  return 2 ** ((epoch - now) / halfLifeMs);
}

/** What one weight given at `at` is worth at `now`: the reference the stores must agree with. */
export function decayed(weight: number, at: Millis, now: Millis, halfLifeMs: number): number {
  return weight * 2 ** ((at - now) / halfLifeMs);
}

/** True when an event at `at` must not be stored against `epoch` without a rebase first. */
export function needsRebase(at: Millis, epoch: Millis, halfLifeMs: number): boolean {
  return (at - epoch) / halfLifeMs > MAX_EXPONENT;
}

export interface Scored {
  key: string;
  score: number;
}

/**
 * Ties break on the key, descending, as Redis' ZREVRANGE does, so every adapter lists ties alike.
 * Exported for the adapters and tests.
 */
export const byScoreDesc = (a: Scored, b: Scored): number => b.score - a.score || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);

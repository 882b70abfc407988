// The recommendation stores' settings, checked once with every error reported together, and the checks
// every adapter applies to what it is given (a NaN written to a sorted set would poison its ranking).
import { checkHalfLife, isGroupKey } from '../../engine/recommendation/index.ts';
import type { AuctionSignal, CoBid, RecommendationOptions, TagSignal } from './ports.ts';

export type Settings = Readonly<Required<RecommendationOptions>>;

const DAY = 86_400_000;
export const DEFAULTS: Settings = Object.freeze({
  halfLifeMs: 7 * DAY,
  maxTagsPerGroup: 2_000,
  maxPopular: 20_000,
  bidsPerUser: 100,
  partnersPerAuction: 500,
  ttlMs: 30 * DAY,
});

export function settings(o: RecommendationOptions = {}): Settings {
  // Only the known settings, and an undefined one keeps its default.
  const s = { ...DEFAULTS };
  for (const name of Object.keys(DEFAULTS) as (keyof Settings)[]) if (o[name] !== undefined) s[name] = o[name];
  const errors: string[] = [];
  try {
    checkHalfLife(s.halfLifeMs);
  } catch (err) {
    errors.push((err as Error).message);
  }
  for (const name of ['maxTagsPerGroup', 'maxPopular', 'bidsPerUser', 'partnersPerAuction', 'ttlMs'] as const) {
    if (!Number.isInteger(s[name]) || s[name] <= 0) errors.push(`recommendation: "${name}" must be a positive integer, got ${s[name]}`);
  }
  if (errors.length > 0) throw new RangeError(errors.join('; '));
  return Object.freeze(s);
}

const finite = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n);
const word = (s: unknown): boolean => typeof s === 'string' && s.length > 0;

export function checkTagSignal(s: TagSignal): void {
  if (!isGroupKey(s.group)) throw new TypeError(`recommendation: not a group key: ${JSON.stringify(s.group)}`);
  if (!Array.isArray(s.tags) || !s.tags.every(word)) throw new TypeError('recommendation: tags must be non-empty strings');
  checkWeight(s.weight, s.at);
  checkPosition(s.position);
}

export function checkAuctionSignal(s: AuctionSignal): void {
  if (!word(s.auction)) throw new TypeError('recommendation: an auction id must be a non-empty string');
  checkWeight(s.weight, s.at);
  checkPosition(s.position);
}

export function checkCoBid(b: CoBid): void {
  if (!word(b.user) || !word(b.auction)) throw new TypeError('recommendation: a co-bid needs a user and an auction');
  if (!finite(b.at)) throw new TypeError(`recommendation: "at" must be a finite time, got ${b.at}`);
}

export function checkPosition(position: number | undefined): void {
  if (position !== undefined && !(Number.isSafeInteger(position) && position > 0)) {
    throw new TypeError(`recommendation: a position must be a positive integer, got ${position}`);
  }
}

function checkWeight(weight: number, at: number): void {
  if (!finite(weight) || weight <= 0) throw new TypeError(`recommendation: a weight must be positive and finite, got ${weight}`);
  if (!finite(at)) throw new TypeError(`recommendation: "at" must be a finite time, got ${at}`);
}

/** A page size as the stores use it: a whole number, 0 for anything not positive. */
export const pageSize = (limit: number): number => (Number.isFinite(limit) && limit > 0 ? Math.floor(limit) : 0);

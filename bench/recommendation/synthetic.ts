// A synthetic marketplace history with planted group preferences, for the offline evaluation: each group
// prefers a few tags, and its members mostly wish for and bid on auctions carrying them; the rest of
// their activity follows a popularity curve shared by everyone (Zipf), which is what the popularity
// baseline can learn. Deterministic for a seed.
import type { Candidate } from '../../engine/recommendation/index.ts';
import type { SignalKind } from '../../engine/recommendation/index.ts';

export interface SyntheticOptions {
  seed: number;
  groups: number;
  tags: number;
  auctions: number;
  tagsPerAuction: number;
  usersPerGroup: number;
  events: number;
  /** Tags each group prefers. */
  preferredPerGroup: number;
  /** Share of a member's events that follow the group's preference; the rest follow popularity. */
  affinity: number;
  /** Zipf exponent of the shared popularity curve. */
  zipf: number;
  start: number;
  /** Time between consecutive events, ms. */
  stepMs: number;
}

export const SMALL: SyntheticOptions = {
  seed: 17, groups: 12, tags: 120, auctions: 600, tagsPerAuction: 3, usersPerGroup: 20, events: 6_000, preferredPerGroup: 2,
  affinity: 0.7, zipf: 1, start: 1_700_000_000_000, stepMs: 60_000,
};

export interface SyntheticEvent {
  user: string;
  group: string;
  auction: string;
  kind: SignalKind;
  at: number;
}

export interface SyntheticHistory {
  /** Every auction, OPEN, sold by someone outside the groups. */
  auctions: Candidate[];
  /** The tags each group was given to prefer. */
  planted: Map<string, string[]>;
  /** In time order. */
  events: SyntheticEvent[];
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` distinct integers below `m`. */
function distinct(rand: () => number, n: number, m: number): number[] {
  const out = new Set<number>();
  while (out.size < Math.min(n, m)) out.add(Math.floor(rand() * m));
  return [...out];
}

export function synthesize(o: SyntheticOptions): SyntheticHistory {
  const rand = prng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const tagName = (i: number) => `tag-${i}`;

  const auctions: Candidate[] = Array.from({ length: o.auctions }, (_, i) => ({
    id: `auction-${i}`, sellerId: 'seller', leader: null, status: 'OPEN', tags: distinct(rand, o.tagsPerAuction, o.tags).map(tagName),
  }));
  const withTag = new Map<string, Candidate[]>();
  for (const a of auctions) for (const tag of a.tags) withTag.set(tag, [...(withTag.get(tag) ?? []), a]);

  // The shared popularity curve: auction i (in a shuffled order) weighs 1 / rank^zipf.
  const order = distinct(rand, o.auctions, o.auctions);
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 0; r < order.length; r++) cumulative.push((total += 1 / (r + 1) ** o.zipf));
  const popular = (): Candidate => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return auctions[order[lo]];
  };

  const planted = new Map<string, string[]>();
  const members: { user: string; group: string }[] = [];
  for (let g = 0; g < o.groups; g++) {
    const group = `G${g}|20s|SEOUL`;
    planted.set(group, distinct(rand, o.preferredPerGroup, o.tags).map(tagName).filter((tag) => withTag.has(tag)));
    for (let u = 0; u < o.usersPerGroup; u++) members.push({ user: `user-${g}-${u}`, group });
  }

  const events: SyntheticEvent[] = [];
  for (let i = 0; i < o.events; i++) {
    const { user, group } = pick(members);
    const liked = planted.get(group) as string[];
    const auction = rand() < o.affinity && liked.length > 0 ? pick(withTag.get(pick(liked)) as Candidate[]) : popular();
    events.push({ user, group, auction: auction.id, kind: rand() < 0.5 ? 'wish' : 'bid', at: o.start + i * o.stepMs });
  }
  return { auctions, planted, events };
}

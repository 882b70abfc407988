// The lists of SPEC §8, ranked from what the stores answer. Each item says why it is there.
//
// By tags: an auction's score is the sum of its tags' scores in the caller's group divided by the square
// root of its tag count: the cosine between its tags and the group's taste, up to the group's norm, which
// every auction of one list shares. A plain sum lets an auction stuffed with tags beat a close match; a
// max ignores that two matching tags say more than one. Its reason is the tag that gave it most.
//
// Every list holds only OPEN auctions the caller neither sells nor leads, each at most once.
import type { AuctionId, UserId } from '../types.ts';
import type { Candidate, Candidates } from './tag-index.ts';
import { topK } from './top.ts';

export type Reason = { kind: 'tag'; tag: string } | { kind: 'cobid'; auction: AuctionId } | { kind: 'popular' };

export interface Recommendation {
  auction: AuctionId;
  score: number;
  reason: Reason;
}

export interface TagScore {
  tag: string;
  score: number;
}

export interface AuctionScore {
  auction: AuctionId;
  score: number;
}

/** Whether `c` may be shown to `caller` (null: an anonymous caller, who sells and leads nothing). */
export function eligible(c: Candidate | undefined, caller: UserId | null): c is Candidate {
  return c !== undefined && c.status === 'OPEN' && (caller === null || (c.sellerId !== caller && c.leader !== caller));
}

const byScore = (a: Recommendation, b: Recommendation): number =>
  b.score - a.score || (a.auction < b.auction ? -1 : a.auction > b.auction ? 1 : 0);

interface Tally {
  c: Candidate;
  sum: number;
  best: string;
  bestScore: number;
}

/** Open auctions ranked by the caller's group's tag scores; auctions with none of those tags are left out. */
export function rankByTags(caller: UserId | null, tagScores: readonly TagScore[], candidates: Candidates, limit: number): Recommendation[] {
  const tallies = new Map<AuctionId, Tally>();
  const seen = new Set<string>();
  for (const { tag, score } of tagScores) {
    if (!(score > 0) || seen.has(tag)) continue;
    seen.add(tag);
    for (const c of candidates.withTag(tag)) {
      const t = tallies.get(c.id);
      if (t !== undefined) {
        t.sum += score;
        if (score > t.bestScore) {
          t.best = tag;
          t.bestScore = score;
        }
      } else if (eligible(c, caller)) {
        tallies.set(c.id, { c, sum: score, best: tag, bestScore: score });
      }
    }
  }
  const items = (function* () {
    for (const t of tallies.values()) {
      const reason: Reason = { kind: 'tag', tag: t.best };
      yield { auction: t.c.id, score: t.sum / Math.sqrt(Math.max(1, t.c.tags.length)), reason };
    }
  })();
  return topK(items, limit, byScore);
}

/** Auctions like `of` (the co-bid store's answer), those the caller may see, best first. */
export function rankSimilar(
  caller: UserId | null,
  of: AuctionId,
  similar: readonly AuctionScore[],
  candidates: Candidates,
  limit: number,
): Recommendation[] {
  return pick(caller, similar, candidates, limit, { kind: 'cobid', auction: of }, of);
}

/** Decayed popularity (the store's answer), those the caller may see, best first. */
export function rankPopular(caller: UserId | null, popular: readonly AuctionScore[], candidates: Candidates, limit: number): Recommendation[] {
  return pick(caller, popular, candidates, limit, { kind: 'popular' }, null);
}

function pick(
  caller: UserId | null,
  scores: readonly AuctionScore[],
  candidates: Candidates,
  limit: number,
  reason: Reason,
  except: AuctionId | null,
): Recommendation[] {
  const seen = new Set<AuctionId>();
  const items: Recommendation[] = [];
  for (const { auction, score } of scores) {
    if (auction === except || seen.has(auction) || !eligible(candidates.get(auction), caller)) continue;
    seen.add(auction);
    items.push({ auction, score, reason });
  }
  return topK(items, limit, byScore);
}

/** `primary` first, then `fallback` items not already listed, up to `limit` (e.g. tags, then popularity). */
export function fill(primary: readonly Recommendation[], fallback: readonly Recommendation[], limit: number): Recommendation[] {
  const out: Recommendation[] = [];
  const seen = new Set<AuctionId>();
  for (const r of [...primary, ...fallback]) {
    if (out.length >= limit) break;
    if (seen.has(r.auction)) continue;
    seen.add(r.auction);
    out.push(r);
  }
  return out;
}

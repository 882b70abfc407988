// The lists of SPEC §8, ranked from what the stores answer. Each item says why it is there.
//
// By tags: an auction's score is the sum of its tags' scores in the caller's group divided by the square
// root of its tag count: the cosine between its tags and the group's taste, up to the group's norm, which
// every auction of one list shares. A plain sum lets an auction stuffed with tags beat a close match; a
// max ignores that two matching tags say more than one. Its reason is the tag that gave it most.
//
// Every list holds only OPEN auctions the caller neither sells nor leads, each at most once.
import type { AuctionId, UserId } from '../auction/model.ts';
import type { Candidate, Candidates, TagIndex } from './tag-index.ts';
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

/**
 * Open auctions ranked by the caller's group's tag scores; auctions with none of those tags are left out.
 * Tags not in `tagScores` count as 0: callers pass the group's best few hundred (GroupTagScores.top), which
 * carry nearly all of its weight, and the walk costs one step per (tag given, auction with it).
 */
export function rankByTags(caller: UserId | null, tagScores: readonly TagScore[], index: TagIndex, limit: number): Recommendation[] {
  // Tallies by slot: sum of scores, the best tag's position in tagScores and its score; -1 marks a slot
  // seen and not eligible, so eligibility is checked once per auction.
  const { sum, bestScore, best } = index.rankScratch();
  const touched: number[] = [];
  const seen = new Set<string>();
  try {
    for (let i = 0; i < tagScores.length; i++) {
      const { tag, score } = tagScores[i];
      if (!(score > 0) || seen.has(tag)) continue;
      seen.add(tag);
      const slots = index.slotsWithTag(tag);
      for (let j = 0; j < slots.length; j++) {
        const slot = slots[j];
        const was = sum[slot];
        if (was < 0) continue;
        if (was === 0) {
          touched.push(slot);
          if (!eligible(index.at(slot), caller)) {
            sum[slot] = -1;
            continue;
          }
        }
        sum[slot] = was + score;
        if (score > bestScore[slot]) {
          bestScore[slot] = score;
          best[slot] = i;
        }
      }
    }
    // Final scores in place; objects are made for the page only.
    const scored: number[] = [];
    for (const slot of touched) {
      if (sum[slot] < 0) continue;
      sum[slot] /= Math.sqrt(Math.max(1, (index.at(slot) as Candidate).tags.length));
      scored.push(slot);
    }
    const idOf = (slot: number) => (index.at(slot) as Candidate).id;
    const order = (a: number, b: number) => sum[b] - sum[a] || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0);
    return topK(scored, limit, order).map((slot) => ({
      auction: idOf(slot),
      score: sum[slot],
      reason: { kind: 'tag', tag: tagScores[best[slot]].tag },
    }));
  } finally {
    // Leave the scratch all zero for the next ranking.
    for (const slot of touched) {
      sum[slot] = 0;
      bestScore[slot] = 0;
      best[slot] = 0;
    }
  }
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

// Offline evaluation of the group ranking against the popularity baseline: learn both from the first
// part of a history (by the rules of engine/recommendation, as the stores apply them), then count how
// often each one's top 10 at the split holds the auction of a held-out later event (hit rate at 10).
import {
  DecayedScores, rankByTags, rankPopular, TagIndex, weightOf, type Recommendation,
} from '../../engine/recommendation/index.ts';
import type { SyntheticHistory } from './synthetic.ts';

export interface EvaluationOptions {
  /** Share of the events learned from; the rest are held out. */
  trainShare: number;
  k: number;
  halfLifeMs: number;
}

export const EVALUATION: EvaluationOptions = { trainShare: 0.8, k: 10, halfLifeMs: 7 * 86_400_000 };

export interface Evaluation {
  hitRateAt10: number;
  popularityHitRateAt10: number;
  heldOut: number;
  /** Groups whose best tags, learned, are exactly the planted ones. */
  recovered: number;
  groups: number;
}

export function evaluate(h: SyntheticHistory, o: EvaluationOptions = EVALUATION): Evaluation {
  const split = Math.floor(h.events.length * o.trainShare);
  const train = h.events.slice(0, split);
  const test = h.events.slice(split);
  const now = train[train.length - 1].at;

  const index = new TagIndex();
  for (const a of h.auctions) index.put(a);
  const tagsOf = new Map(h.auctions.map((a) => [a.id, a.tags]));
  const groups = new Map<string, DecayedScores>();
  const popularity = new DecayedScores(o.halfLifeMs);
  for (const e of train) {
    const w = weightOf(e.kind);
    let g = groups.get(e.group);
    if (g === undefined) groups.set(e.group, (g = new DecayedScores(o.halfLifeMs)));
    for (const tag of tagsOf.get(e.auction) ?? []) g.add(tag, w, e.at);
    popularity.add(e.auction, w, e.at);
  }

  const popular = ids(rankPopular(null, popularity.top(now, o.k * 5).map((s) => ({ auction: s.key, score: s.score })), index, o.k));
  const byGroup = new Map<string, Set<string>>();
  let recovered = 0;
  for (const [group, scores] of groups) {
    const tags = scores.top(now, 1_000).map((s) => ({ tag: s.key, score: s.score }));
    byGroup.set(group, ids(rankByTags(null, tags, index, o.k)));
    const planted = [...(h.planted.get(group) ?? [])].sort();
    if (tags.slice(0, planted.length).map((s) => s.tag).sort().join() === planted.join()) recovered++;
  }

  let hits = 0;
  let popularHits = 0;
  for (const e of test) {
    if (byGroup.get(e.group)?.has(e.auction)) hits++;
    if (popular.has(e.auction)) popularHits++;
  }
  return {
    hitRateAt10: hits / test.length,
    popularityHitRateAt10: popularHits / test.length,
    heldOut: test.length,
    recovered,
    groups: groups.size,
  };
}

const ids = (list: Recommendation[]): Set<string> => new Set(list.map((r) => r.auction));

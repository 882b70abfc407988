// What both co-bid adapters share: how many partners `similar` reads (the most in common first) before
// normalising, and the order of its answer.
import type { Settings } from './options.ts';
import type { SimilarAuction } from './ports.ts';

/**
 * Candidates read for a page of `limit`: cosine can lift an auction with few bidders above one with more
 * in common, so read well past the page, within what a partner list keeps.
 */
export const similarPool = (limit: number, s: Settings): number => Math.min(s.partnersPerAuction, Math.max(4 * limit, 100));

export const bySimilarity = (a: SimilarAuction, b: SimilarAuction): number =>
  b.score - a.score || b.common - a.common || (a.auction < b.auction ? -1 : a.auction > b.auction ? 1 : 0);

// "Bidders on this also bid on": how alike two auctions are from the people who bid on both.
//
// Raw co-bid counts favour whatever everyone bids on. Normalised by each auction's bidder count as a
// cosine over bidder sets (Ochiai): common / sqrt(bidders(a) * bidders(b)), in [0, 1]. For a fixed `a`
// the ranking is by common / sqrt(bidders(b)), so an auction bid on by a crowd needs a crowd in common.
// Cosine rather than Jaccard (common / |a ∪ b|): Jaccard sinks a moderately popular auction that many
// of a's few bidders also bid on almost as hard as a crowd favourite, and cosine is the usual item-to-item
// measure. Counts may disagree slightly in a store (bounded histories, at-most-once counting), so the
// counts are floored at `common`, which keeps the result in [0, 1] whatever they say.

/** Cosine over bidder sets: 0 when nothing is shared, 1 when both auctions have the same bidders. */
export function cosine(common: number, biddersA: number, biddersB: number): number {
  if (!(common > 0)) return 0;
  const a = Math.max(biddersA, common);
  const b = Math.max(biddersB, common);
  return Math.min(1, common / Math.sqrt(a * b));
}

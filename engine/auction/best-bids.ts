// Each bidder's best offer on an auction, from its events: what a second-chance offer goes by (eBay's
// rule: the runner-up's highest bid, their ceiling). Ceilings are secret, so this is only ever shown to
// the bidder it belongs to.
import type { AuctionEvent, UserId, Won } from './model.ts';

export interface BidderBest {
  bidder: UserId;
  /** The highest ceiling they set (max, or the amount when they gave none). */
  ceiling: Won;
  /** When they first reached it: ties go to the earlier, as in the auction itself. */
  at: number;
}

/** Best first; a bidder once. Buy-now purchases are not bids. */
export function bestBidsOf(events: readonly AuctionEvent[]): BidderBest[] {
  const best = new Map<UserId, BidderBest>();
  for (const e of events) {
    if (e.type !== 'bid' || e.by === null || e.amount === null) continue;
    const ceiling = Math.max(e.amount, e.max ?? 0);
    const had = best.get(e.by);
    if (had === undefined || ceiling > had.ceiling) best.set(e.by, { bidder: e.by, ceiling, at: e.at });
  }
  return [...best.values()].sort((a, b) => b.ceiling - a.ceiling || a.at - b.at);
}

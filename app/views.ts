// The public view of an auction (what `snap` shows and the board stores): no ceilings, no reserve.
import { maskName, minNext, reserveMet, type AuctionState } from '../engine/index.ts';
import type { AuctionView } from '../storage/ports.ts';

export function viewOf(s: AuctionState): AuctionView {
  return {
    auction: s.spec.id,
    seq: s.seq,
    status: s.status,
    price: s.price,
    bidCount: s.bidCount,
    leader: maskName(s.leader),
    minNext: minNext(s),
    endsAt: s.endsAt,
    buyNowPrice: s.spec.buyNowPrice,
    reserveMet: reserveMet(s),
  };
}

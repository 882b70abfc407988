// The public view of an auction (what `snap` shows and the board stores): no ceilings, no reserve.
import type { AuctionId, AuctionState, AuctionStatus, Millis, Won } from './model.ts';
import { maskName } from './mask.ts';
import { minNext, reserveMet } from './rules.ts';

/** The public face of an auction for readers: what a `snap` frame shows. */
export interface AuctionView {
  auction: AuctionId;
  seq: number;
  status: AuctionStatus;
  price: Won;
  bidCount: number;
  /** Masked name of the leader, or null. */
  leader: string | null;
  minNext: Won;
  endsAt: Millis;
  buyNowPrice: Won | null;
  reserveMet: boolean;
}


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

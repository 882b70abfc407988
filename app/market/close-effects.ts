// What an auction's events mean for the marketplace, as pure functions: listing facts, outbox events,
// and the close's side effects (an order for the winner, inbox rows for everyone involved). Used on
// every commit and again, identically, when recovery re-runs an interrupted projection.
import { createHash } from 'node:crypto';
import { maskName, type AuctionEvent, type AuctionSpec, type Millis, type UserId } from '../../engine/index.ts';
import type { AuctionView } from '../../storage/auction/ports.ts';
import type { InboxItem, InboxKind, ListingFacts, Order, OutboxEvent, CloseEffects } from '../../storage/market/ports.ts';

export function factsOf(view: AuctionView, spec: AuctionSpec): ListingFacts {
  return {
    id: view.auction, seq: view.seq, sellerId: spec.sellerId, productId: spec.productId, status: view.status,
    price: view.price, bidCount: view.bidCount, startsAt: spec.startsAt, endsAt: view.endsAt, buyNowPrice: view.buyNowPrice,
  };
}

/** The outbox event of a journal event, or null for those consumers do not need (created, edited). */
export function outboxOf(e: AuctionEvent): OutboxEvent | null {
  const base = { auctionId: e.auction, seq: e.seq, at: e.at };
  switch (e.type) {
    case 'opened':
      return { ...base, type: 'auction.opened', data: { endsAt: e.endsAt, price: e.price, by: e.by } };
    case 'bid':
      return { ...base, type: 'bid.accepted', data: { bidder: e.by, price: e.price, leader: maskName(e.leader), endsAt: e.endsAt } };
    case 'bought':
    case 'closed':
      return { ...base, type: 'auction.closed', data: { status: e.status, price: e.price, winner: e.status === 'SOLD' ? e.leader : null, buyNow: e.type === 'bought' } };
    case 'canceled':
      return { ...base, type: 'auction.canceled', data: { by: e.by } };
    default:
      return null;
  }
}

export const endsAuction = (e: AuctionEvent): boolean => e.type === 'closed' || e.type === 'bought' || e.type === 'canceled';

/** A stable order id per auction: a re-run of a close names the same order. */
export function orderIdFor(auction: string): string {
  return `ord_${createHash('sha256').update(auction).digest('base64url').slice(0, 24)}`;
}

/**
 * The side effects of an auction's final event: for SOLD an order for the winner, payable within
 * `paymentMs`; inbox rows for the winner, every other participant and the seller.
 */
export function closeEffectsOf(e: AuctionEvent, spec: AuctionSpec, participants: Iterable<UserId>, paymentMs: Millis): CloseEffects {
  const sold = e.status === 'SOLD' && e.leader !== null;
  const winner = sold ? e.leader : null;
  const order: Order | null = sold && winner !== null
    ? {
        id: orderIdFor(e.auction), auctionId: e.auction, buyerId: winner, sellerId: spec.sellerId, productId: spec.productId,
        amount: e.price, status: 'AWAITING_PAYMENT', createdAt: e.at, payBy: e.at + paymentMs,
      }
    : null;
  const item = (userId: UserId, kind: InboxKind): InboxItem => ({
    id: `${kind}:${e.auction}:${userId}`, userId, auctionId: e.auction, kind, price: e.price,
    orderId: kind === 'won' || kind === 'sold' ? order?.id ?? null : null, createdAt: e.at, readAt: null,
  });
  const inbox: InboxItem[] = [];
  const canceled = e.status === 'CANCELED';
  if (winner !== null) inbox.push(item(winner, 'won'));
  for (const p of new Set(participants)) if (p !== winner) inbox.push(item(p, canceled ? 'canceled' : 'lost'));
  inbox.push(item(spec.sellerId, canceled ? 'canceled' : sold ? 'sold' : 'unsold'));
  return { auctionId: e.auction, order, inbox };
}

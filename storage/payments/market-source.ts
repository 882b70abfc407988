// Where the payments domain finds the orders the marketplace opened (a SOLD close's order rows), read
// through the marketplace's Orders port; and the feed of those it opened, read from the auction journal
// with its cursor kept among the marketplace's relay cursors.
import type { AuctionId } from '../../engine/auction/model.ts';
import type { BidJournal } from '../auction/ports.ts';
import type { Orders, RelayCursors } from '../market/ports.ts';
import type { OpenedOrders, OrderSource } from './order-ports.ts';

/** The payments adopter's name among the relay cursors. */
export const ADOPT_RELAY = 'payments-adopt';

export function marketOrderSource(orders: Orders): OrderSource {
  return {
    async opening(id) {
      const o = await orders.order(id);
      if (o === null) return null;
      return { id: o.id, auctionId: o.auctionId, productId: o.productId, buyerId: o.buyerId, sellerId: o.sellerId, amount: o.amount, payBy: o.payBy, createdAt: o.createdAt };
    },
    async idsOf(user, limit) {
      return (await orders.ordersOf(user, limit)).map((o) => o.id);
    },
  };
}

/** `orderIdFor` is the marketplace's own naming of an auction's order (given, so storage needs no app code). */
export function marketOpenedOrders(journal: Pick<BidJournal, 'after'>, cursors: RelayCursors, orderIdFor: (auction: AuctionId) => string): OpenedOrders {
  return {
    async opened(after, limit) {
      const events = await journal.after(after, limit);
      const items: { position: number; orderId: string }[] = [];
      for (const { pos, event: e } of events) {
        // The same test as the close's effects: SOLD with a winner opens an order.
        if ((e.type === 'closed' || e.type === 'bought') && e.status === 'SOLD' && e.leader !== null) items.push({ position: pos, orderId: orderIdFor(e.auction) });
      }
      return { items, next: events.length > 0 ? events[events.length - 1].pos : after };
    },
    adoptedUpTo: () => cursors.relayPosition(ADOPT_RELAY),
    saveAdoptedUpTo: (position, at) => cursors.saveRelayPosition(ADOPT_RELAY, position, at),
  };
}

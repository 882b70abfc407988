// Where the payments domain finds the orders the marketplace opened (a SOLD close's order rows), read
// through the marketplace's Orders port.
import type { Orders } from '../market/ports.ts';
import type { OrderSource } from './order-ports.ts';

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

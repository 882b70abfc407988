// Tells an order's buyer and seller of each of its transitions (paid, shipped, confirmed, expired,
// refunded) and of second-chance offers made and accepted: an inbox item first (stored), then a socket
// notice to each of the user's sockets. Inbox ids are fixed by the order and its event seq (the offer,
// for offers), so a transition told twice still leaves one item. Work is chained: notices go out in the
// order the transitions were stored.
import type { Millis, UserId, Won } from '../../engine/kernel.ts';
import type { Logger } from '../../engine/logger.ts';
import type { InboxItem } from '../../engine/market/model.ts';
import type { OrderEvent, OrderEventType, OrderNoticeKind, PaymentOrder, SecondChanceOffer } from '../../engine/payments/model.ts';
import type { Inbox } from '../../storage/market/ports.ts';

/** One user's notice of an order (the gateway's `notice` frame with `order`). */
export interface OrderNotice {
  to: UserId;
  kind: OrderNoticeKind;
  order: string;
  auction: string;
  /** The order's event seq (0 for an offer made: no order event). */
  seq: number;
  price: Won;
  /** The order's payBy; an offer's expiry. */
  endsAt: Millis;
}

export interface OrderNoticesOptions {
  inbox: Pick<Inbox, 'addInbox'>;
  /** Sends to the user's open sockets (none: nothing). */
  tell(notice: OrderNotice): void;
  log: Logger;
}

const KIND_OF: Partial<Record<OrderEventType, OrderNoticeKind>> = {
  PAID: 'order_paid', SHIPPED: 'order_shipped', CONFIRMED: 'order_confirmed', EXPIRED: 'order_expired', REFUNDED: 'order_refunded',
};

export class OrderNotices {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly o: OrderNoticesOptions) {}

  changed(order: PaymentOrder, event: OrderEvent): void {
    const kind = KIND_OF[event.type];
    if (kind === undefined) return;
    this.send(`${kind}:${order.id}:${event.seq}`, event.at, [order.buyerId, order.sellerId],
      { kind, order: order.id, auction: order.auctionId, seq: event.seq, price: order.amount, endsAt: order.payBy });
  }

  offered(offer: SecondChanceOffer): void {
    this.send(`offer_made:${offer.id}`, offer.createdAt, [offer.bidderId, offer.sellerId],
      { kind: 'offer_made', order: offer.orderId, auction: offer.auctionId, seq: 0, price: offer.amount, endsAt: offer.expiresAt });
  }

  accepted(offer: SecondChanceOffer, order: PaymentOrder): void {
    this.send(`offer_accepted:${offer.id}`, order.createdAt, [order.buyerId, order.sellerId],
      { kind: 'offer_accepted', order: order.id, auction: order.auctionId, seq: order.seq, price: order.amount, endsAt: order.payBy });
  }

  /** Resolves once everything told so far is stored and sent (tests, shutdown). */
  settled(): Promise<void> {
    return this.tail;
  }

  private send(key: string, at: Millis, users: UserId[], n: Omit<OrderNotice, 'to'>): void {
    const to = [...new Set(users)];
    this.tail = this.tail.then(async () => {
      const items: InboxItem[] = to.map((userId) => ({
        id: `${key}:${userId}`, userId, auctionId: n.auction, kind: n.kind, price: n.price, orderId: n.order, createdAt: at, readAt: null,
      }));
      try {
        await this.o.inbox.addInbox(items);
      } catch (err) {
        // Not stored, so not told: the order's own history still has the change.
        this.o.log.error({ err, key }, 'payments: order inbox items could not be stored');
        return;
      }
      for (const user of to) this.o.tell({ ...n, to: user });
    });
  }
}

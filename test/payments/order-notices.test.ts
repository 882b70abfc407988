// OrderNotices on the memory inbox: each transition past OPENED and each offer gives the buyer and the
// seller one inbox item, stored before the socket is told; the same transition told twice is one item;
// an inbox that cannot store tells nobody.
import t from 'tap';
import { silentLogger } from '../../engine/logger.ts';
import type { OrderEvent, PaymentOrder, SecondChanceOffer } from '../../engine/payments/model.ts';
import { OrderNotices, type OrderNotice } from '../../app/payments/notices.ts';
import { MemoryMarket } from '../../storage/market/memory.ts';
import type { InboxItem } from '../../engine/market/model.ts';

const order: PaymentOrder = {
  id: 'ord_1', auctionId: 'a1', productId: 'p1', buyerId: 'bob', sellerId: 'sam', amount: 12_000, payBy: 5_000, createdAt: 1_000,
  status: 'EXPIRED', seq: 2, confirming: null, payment: null, paid: 0, refunded: 0, shipment: null, updatedAt: 5_000,
};
const expired: OrderEvent = { type: 'EXPIRED', orderId: 'ord_1', seq: 2, at: 5_000 };
const offer: SecondChanceOffer = {
  id: 'sco_1', orderId: 'ord_1', auctionId: 'a1', productId: 'p1', sellerId: 'sam', bidderId: 'carol', amount: 11_000,
  createdAt: 6_000, expiresAt: 9_000, status: 'OPEN', newOrderId: null,
};

t.test('stored, then told; once per transition; offers too', async (t) => {
  const inbox = new MemoryMarket();
  const told: OrderNotice[] = [];
  const checks: Promise<boolean>[] = [];
  const notices = new OrderNotices({
    inbox,
    tell: (n) => {
      told.push(n);
      // Read as the notice goes out: its item must be there already.
      checks.push(inbox.inbox(n.to, 50).then((items) => items.some((i) => i.kind === n.kind && i.orderId === n.order)));
    },
    log: silentLogger,
  });
  notices.changed(order, expired);
  notices.changed(order, expired);
  notices.changed(order, { type: 'OPENED', orderId: 'ord_1', seq: 1, at: 1_000, amount: 12_000, payBy: 5_000 });
  notices.offered(offer);
  notices.accepted({ ...offer, status: 'ACCEPTED', newOrderId: 'ord_2' }, { ...order, id: 'ord_2', buyerId: 'carol', status: 'AWAITING_PAYMENT', seq: 1, createdAt: 7_000 });
  await notices.settled();
  const bob = await inbox.inbox('bob', 50);
  t.same(bob.map((i) => i.id), ['order_expired:ord_1:2:bob'], 'one item for the transition told twice; none for OPENED');
  t.same((await inbox.inbox('carol', 50)).map((i) => i.kind).sort(), ['offer_accepted', 'offer_made']);
  t.same((await inbox.inbox('sam', 50)).map((i) => i.kind).sort(), ['offer_accepted', 'offer_made', 'order_expired']);
  t.same(told.map((n) => `${n.kind}>${n.to}`), [
    'order_expired>bob', 'order_expired>sam', 'order_expired>bob', 'order_expired>sam',
    'offer_made>carol', 'offer_made>sam', 'offer_accepted>carol', 'offer_accepted>sam',
  ], 'in the order stored');
  t.same(await Promise.all(checks), told.map(() => true), 'each item was stored before its notice');
});

t.test('an inbox that cannot store tells nobody', async (t) => {
  const told: OrderNotice[] = [];
  const failing = { addInbox: async (_: readonly InboxItem[]) => { throw new Error('down'); } };
  const notices = new OrderNotices({ inbox: failing, tell: (n) => told.push(n), log: silentLogger });
  notices.changed(order, expired);
  await notices.settled();
  t.same(told, []);
});

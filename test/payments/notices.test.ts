// Buyer and seller are told of each order transition, over real HTTP and real sockets: the buyer pays
// (the seller gets an `order_paid` notice and inbox item), the seller ships (the buyer gets
// `order_shipped`), the buyer confirms receipt (the seller gets `order_confirmed`). Each item is keyed by
// the order and its event seq: telling a transition again leaves one item.
import t from 'tap';
import { api, boot, Client, rid } from '../gateway/harness.ts';
import { FakeToss } from '../fakes/toss.ts';
import { eventually } from '../market/fixtures.ts';
import { soldOrder } from '../helpers/sold.ts';
import { newBidder, newSeller, type TestUser } from '../market/users.ts';

t.test('pay, ship and confirm tell the other party on its sockets and in its inbox', async (t) => {
  const fake = await FakeToss.start();
  t.teardown(() => fake.close());
  const b = await boot({ TOSS_SECRET_KEY: fake.secretKey, TOSS_CLIENT_KEY: 'test_ck_n', TOSS_API_BASE: fake.baseUrl }, { payments: { tickMs: 50 } });
  t.teardown(() => b.stop());
  const [seller, buyer] = [await newSeller(b), await newBidder(b)];

  const { auction, order } = await soldOrder(b.http, seller.token, buyer.token);

  const sellerWs = await Client.open(b.ws, { token: seller.token });
  const buyerWs = await Client.open(b.ws, { token: buyer.token, enc: 'msgpack' });
  t.teardown(() => Promise.all([sellerWs, buyerWs].map((c) => c.close())));
  const write = (path: string, user: TestUser, body?: unknown) => api(b.http, 'POST', path, { token: user.token, key: rid('k'), body });
  const inboxItem = (user: TestUser, kind: string) => eventually(async () => {
    const items = (await api(b.http, 'GET', '/api/v1/inbox', { token: user.token })).body.items as { kind: string; orderId: string }[];
    return items.find((i) => i.kind === kind && i.orderId === order);
  }, 5_000, `${kind} in the inbox`);

  const pk = fake.toss.authorise({ orderId: order, amount: 12_000 });
  t.match(await write('/api/v1/payments/confirm', buyer, { paymentKey: pk, orderId: order, amount: 12_000 }), { status: 200, body: { status: 'PAID' } });
  t.match(await sellerWs.type('notice', { kind: 'order_paid' }, 5_000), { order, auction, seq: 3, price: 12_000 });
  t.match(await inboxItem(seller, 'order_paid'), { id: `order_paid:${order}:3:${seller.id}`, auctionId: auction, price: 12_000, readAt: null });

  t.match(await write(`/api/v1/orders/${order}/ship`, seller, { carrier: 'CJ', trackingNumber: '123' }), { status: 200, body: { status: 'SHIPPED' } });
  t.match(await buyerWs.type('notice', { kind: 'order_shipped' }, 5_000), { order, auction, seq: 4 });
  t.match(await inboxItem(buyer, 'order_shipped'), { id: `order_shipped:${order}:4:${buyer.id}` });

  t.match(await write(`/api/v1/orders/${order}/confirm`, buyer), { status: 200, body: { status: 'CONFIRMED' } });
  t.match(await sellerWs.type('notice', { kind: 'order_confirmed' }, 5_000), { order, seq: 5 });
  await inboxItem(seller, 'order_confirmed');
  // Each party is told of every transition (the one who made it too, on its other devices).
  t.match(await buyerWs.type('notice', { kind: 'order_paid' }, 5_000), { order });

  // A transition told again (a retried hook): still one inbox item for it.
  const notices = b.server.payments.notices;
  if (notices === null) throw new Error('the server tells of orders');
  const stored = await b.server.payments.stores.order(order);
  const [paid] = (await b.server.payments.stores.history(order)).filter((e) => e.type === 'PAID');
  notices.changed(stored!, paid);
  await notices.settled();
  const items = (await api(b.http, 'GET', '/api/v1/inbox', { token: seller.token })).body.items as { kind: string }[];
  t.equal(items.filter((i) => i.kind === 'order_paid').length, 1, 'one order_paid item');
});

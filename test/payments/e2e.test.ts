// End to end over real HTTP against the loopback fake Toss, on SQLite and on MariaDB + Redis: auctions
// close SOLD; their winners check out and pay; an amount mismatch charges nothing; a confirm that times
// out, and whose lookup fails too, is answered PAYMENT_PENDING and its retry with the same key ends PAID
// with one charge (the fake's count); the seller ships and the buyer confirms; full and partial refunds go
// through Toss's cancel; forged and replayed webhooks change nothing; bad input gets a stable code.
import t, { type Test } from 'tap';
import { mariaDbDatabase, redisPrefix, requireRedis } from '../helpers/services.ts';
import { api, boot, rid, type Booted } from '../gateway/harness.ts';
import { FakeToss } from '../fakes/toss.ts';
import { eventually } from '../market/fixtures.ts';
import { soldOrders } from '../helpers/sold.ts';
import { newAdmin, newBidder, newSeller } from '../market/users.ts';

async function scenario(t: Test, b: Booted, fake: FakeToss): Promise<void> {
  const seller = await newSeller(b);
  const admin = await newAdmin(b);
  const [carol, dave, erin] = [await newBidder(b), await newBidder(b), await newBidder(b)];
  const [oc, od, oe] = await soldOrders(b.http, seller.token, [carol.token, dave.token, erin.token]);
  const write = (path: string, token: string, body?: unknown, key = rid('k')) => api(b.http, 'POST', path, { token, key, body });

  // Carol: checkout, an amount that is not the order's, then the right one; ship; confirm receipt.
  const checkout = await write(`/api/v1/orders/${oc}/checkout`, carol.token);
  t.match(checkout.body, { orderId: oc, amount: 12_000, clientKey: 'test_ck_e2e', successUrl: /\/orders\/pay\/success$/ });
  const pk = fake.toss.authorise({ orderId: oc, amount: 12_000 });
  const mismatch = await write('/api/v1/payments/confirm', carol.token, { paymentKey: pk, orderId: oc, amount: 11_000 });
  t.match(mismatch, { status: 422, body: { code: 'PAYMENT_AMOUNT_MISMATCH' } });
  t.equal(fake.requests.filter((r) => r.url === '/v1/payments/confirm').length, 0, 'nothing sent to Toss');
  const paid = await write('/api/v1/payments/confirm', carol.token, { paymentKey: pk, orderId: oc, amount: 12_000 });
  t.match(paid, { status: 200, body: { status: 'PAID', payment: { paymentKey: pk, method: '카드', refundable: 12_000 } } });
  t.equal(fake.toss.charges(oc), 1);
  t.equal((await write(`/api/v1/orders/${oc}/ship`, carol.token, { carrier: 'CJ', trackingNumber: '1' })).body.code, 'FORBIDDEN');
  t.match(await write(`/api/v1/orders/${oc}/ship`, seller.token, { carrier: 'CJ', trackingNumber: '123-456' }), { status: 200, body: { status: 'SHIPPED' } });
  const confirmed = await write(`/api/v1/orders/${oc}/confirm`, carol.token);
  t.match(confirmed.body, { status: 'CONFIRMED' });
  t.same(confirmed.body.events.map((e: { seq: number; type: string }) => `${e.seq}:${e.type}`), ['1:OPENED', '2:CONFIRM_STARTED', '3:PAID', '4:SHIPPED', '5:CONFIRMED']);

  // Dave: the confirm times out after Toss charged, and the lookup after it fails too: PAYMENT_PENDING.
  // The retry with the same Idempotency-Key asks Toss for the order's payment and ends PAID, one charge.
  const pd = fake.toss.authorise({ orderId: od, amount: 12_000 });
  fake.failNext({ kind: 'timeout', processed: true });
  fake.failNext({ kind: 'reply', status: 502, body: '<html>bad gateway</html>', contentType: 'text/html', processed: false });
  const key = rid('confirm');
  const pending = await write('/api/v1/payments/confirm', dave.token, { paymentKey: pd, orderId: od, amount: 12_000 }, key);
  t.match(pending, { status: 409, body: { code: 'PAYMENT_PENDING' } });
  t.match((await api(b.http, 'GET', `/api/v1/orders/${od}`, { token: dave.token })).body, { status: 'AWAITING_PAYMENT', confirming: true });
  const retried = await write('/api/v1/payments/confirm', dave.token, { paymentKey: pd, orderId: od, amount: 12_000 }, key);
  t.match(retried, { status: 200, body: { status: 'PAID' } });
  t.equal(fake.toss.charges(od), 1, 'charged once');
  t.equal(fake.requests.filter((r) => r.url === '/v1/payments/confirm' && (r.body as { orderId: string }).orderId === od).length, 1, 'confirmed once, never blindly again');
  // Refunds: the admin part of it, then the rest; never more than paid.
  t.match(await write(`/api/v1/orders/${od}/refund`, admin.token, { amount: 2_000, reason: 'scratched' }), { status: 200, body: { status: 'PAID', payment: { refundable: 10_000 } } });
  t.match(await write(`/api/v1/orders/${od}/refund`, admin.token, { amount: 10_001, reason: 'more' }), { status: 422, body: { code: 'REFUND_EXCEEDS_PAID' } });
  t.match(await write(`/api/v1/orders/${od}/refund`, admin.token, { reason: 'the rest' }), { status: 200, body: { status: 'REFUNDED' } });

  // Erin: bad input changes nothing; then she pays and refunds the whole amount herself.
  const bad = [
    [{ paymentKey: 'x', orderId: oe, amount: -1 }, 'VALIDATION_FAILED'],
    [{ paymentKey: 'x', orderId: oe, amount: 1.5 }, 'VALIDATION_FAILED'],
    [{ paymentKey: 'x', orderId: oe, amount: '12000' }, 'VALIDATION_FAILED'],
    [{ paymentKey: 'x', orderId: oe, amount: 12_000, extra: 1 }, 'VALIDATION_FAILED'],
  ] as const;
  for (const [body, code] of bad) t.match(await write('/api/v1/payments/confirm', erin.token, body), { status: 400, body: { code } }, JSON.stringify(body));
  t.match(await write('/api/v1/payments/confirm', carol.token, { paymentKey: 'x', orderId: oe, amount: 12_000 }), { status: 404, body: { code: 'ORDER_NOT_FOUND' } }, "another user's order");
  t.equal((await api(b.http, 'POST', '/api/v1/payments/confirm', { token: erin.token, body: { paymentKey: 'x', orderId: oe, amount: 12_000 } })).body.code, 'VALIDATION_FAILED', 'no Idempotency-Key');
  t.equal((await api(b.http, 'GET', `/api/v1/orders/${oe}`, { token: erin.token })).body.events.length, 1, 'nothing recorded');

  // Webhooks: forged (a paymentKey Toss does not know), a wrong deposit secret, a 1 MB body.
  const hook = `${b.http}/api/v1/payments/webhook`;
  const post = (body: string) => fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  t.equal((await post(JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: 'x', data: { paymentKey: 'tpk_forged', orderId: oe, status: 'DONE' } }))).status, 200);
  t.equal((await post(JSON.stringify({ createdAt: 'x', secret: 'guess', status: 'DONE', transactionKey: 't', orderId: oe }))).status, 200);
  const huge = await post(JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', data: { pad: 'x'.repeat(1 << 20) } }));
  t.equal(huge.status, 413);
  t.equal((await huge.json()).code, 'PAYLOAD_TOO_LARGE');
  t.equal((await post('{"nope":1}')).status, 400);
  const pe = fake.toss.authorise({ orderId: oe, amount: 12_000 });
  t.match(await write('/api/v1/payments/confirm', erin.token, { paymentKey: pe, orderId: oe, amount: 12_000 }), { status: 200, body: { status: 'PAID' } });
  // Toss's own webhook for it, twice: applied once (nothing changes: the order is PAID already).
  t.equal(await fake.sendWebhook(hook, 'PAYMENT_STATUS_CHANGED', pe), 200);
  t.equal(await fake.sendWebhook(hook, 'PAYMENT_STATUS_CHANGED', pe), 200);
  await eventually(async () => ((await b.server.payments.stores.backlog('webhook')).count === 0 ? true : undefined), 5_000, 'webhooks processed');
  const erinOrder = (await api(b.http, 'GET', `/api/v1/orders/${oe}`, { token: erin.token })).body;
  t.same(erinOrder.events.map((e: { type: string }) => e.type), ['OPENED', 'CONFIRM_STARTED', 'PAID'], 'forged and repeated webhooks changed nothing');
  t.match(await write(`/api/v1/orders/${oe}/refund`, erin.token, { reason: 'changed my mind' }), { status: 200, body: { status: 'REFUNDED' } });
  t.same(fake.toss.cancels().filter((c) => c.orderId === od || c.orderId === oe).map((c) => c.amount), [2_000, 10_000, 12_000]);
  const metrics = await b.server.metrics.text();
  t.match(metrics, /okj_payment_confirms_total\{outcome="paid",provider_code=""\} [1-9]/);
  t.match(metrics, /okj_payment_findings_total\{kind="forged_webhook"\} 2/);
}

async function withToss(t: Test, env: Record<string, string> = {}): Promise<{ b: Booted; fake: FakeToss }> {
  const fake = await FakeToss.start();
  t.teardown(() => fake.close());
  const b = await boot(
    { TOSS_SECRET_KEY: fake.secretKey, TOSS_CLIENT_KEY: 'test_ck_e2e', TOSS_API_BASE: fake.baseUrl, ...env },
    { payments: { tickMs: 50, tossTimeoutMs: 500 } },
  );
  return { b, fake };
}

t.test('embedded default: SQLite and memory board', async (t) => {
  const { b, fake } = await withToss(t);
  t.teardown(() => b.stop());
  await scenario(t, b, fake);
});

t.test('MariaDB and Redis', async (t) => {
  let booted: Booted | null = null;
  const db = await mariaDbDatabase(t, async () => booted?.stop());
  if (db === null) return;
  const redis = await requireRedis(t);
  if (redis === null) return;
  const prefix = await redisPrefix(t, redis);
  const { b, fake } = await withToss(t, { DATABASE_URL: db.url, REDIS_URL: redis, REDIS_PREFIX: prefix });
  booted = b;
  await scenario(t, b, fake);
});

t.test('without Toss keys: payment routes answer 501 PAYMENTS_NOT_CONFIGURED, orders are readable', async (t) => {
  const b = await boot();
  t.teardown(() => b.stop());
  const seller = await newSeller(b);
  const buyer = await newBidder(b);
  const [order] = await soldOrders(b.http, seller.token, [buyer.token]);
  t.match((await api(b.http, 'GET', `/api/v1/orders/${order}`, { token: buyer.token })).body, { status: 'AWAITING_PAYMENT' });
  const r = await api(b.http, 'POST', `/api/v1/orders/${order}/checkout`, { token: buyer.token });
  t.match(r, { status: 501, body: { code: 'PAYMENTS_NOT_CONFIGURED' } });
});

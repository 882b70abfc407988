// The loopback fake itself, spoken to with plain fetch: the checks Toss makes before any rule (auth,
// Idempotency-Key length, a JSON body), the documented shapes it serves, and the webhook bodies it sends.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { readPayment } from '../../storage/payments/toss-wire.ts';
import { FakeToss, TEST_SECRET_KEY } from '../fakes/toss.ts';
import { MINUTE, clock, orderId } from './subjects.ts';

const BASIC = `Basic ${Buffer.from(`${TEST_SECRET_KEY}:`).toString('base64')}`;

async function start(t: Test) {
  const c = clock();
  const fake = await FakeToss.start({ now: c.now });
  t.teardown(() => fake.close());
  const call = async (method: string, path: string, o: { headers?: Record<string, string>; body?: string } = {}) => {
    const res = await fetch(`${fake.baseUrl}${path}`, { method, headers: { Authorization: BASIC, ...o.headers }, body: o.body });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch { /* not JSON: keep the text */ }
    return { status: res.status, body };
  };
  const confirmBody = (paymentKey: string, order: string, amount: number) => JSON.stringify({ paymentKey, orderId: order, amount });
  return { fake, call, clock: c, confirmBody };
}

t.test('before any rule, the fake checks what Toss checks', async (t) => {
  const { call, confirmBody, fake } = await start(t);
  const order = orderId();
  const key = fake.toss.authorise({ orderId: order, amount: 1_000 });
  const json = { 'Content-Type': 'application/json' };
  t.strictSame(await call('POST', '/v1/payments/confirm', { headers: { ...json, Authorization: '' }, body: confirmBody(key, order, 1_000) }),
    { status: 401, body: { code: 'UNAUTHORIZED_KEY', message: '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.' } });
  const noColon = `Basic ${Buffer.from(TEST_SECRET_KEY).toString('base64')}`;
  t.match(await call('GET', `/v1/payments/${key}`, { headers: { Authorization: noColon } }), { status: 403, body: { code: 'INCORRECT_BASIC_AUTH_FORMAT' } });
  t.match(await call('POST', '/v1/payments/confirm', { headers: { ...json, 'Idempotency-Key': 'k'.repeat(301) }, body: confirmBody(key, order, 1_000) }),
    { status: 400, body: { code: 'INVALID_IDEMPOTENCY_KEY', message: '멱등키는 300자 이하여야 합니다.' } });
  t.match(await call('POST', '/v1/payments/confirm', { headers: json, body: '{"paymentKey":' }), { status: 400, body: { code: 'INVALID_REQUEST' } });
  t.match(await call('POST', '/v1/payments/confirm', { headers: json, body: JSON.stringify({ paymentKey: key, orderId: 'short', amount: 1_000 }) }),
    { status: 400, body: { code: 'INVALID_REQUEST' } }, 'an order id of fewer than 6 characters');
  t.match(await call('POST', '/v1/payments/confirm', { headers: json, body: JSON.stringify({ paymentKey: key, orderId: order, amount: '1000' }) }),
    { status: 400, body: { code: 'INVALID_REQUEST' } }, 'an amount that is not a number');
  t.match(await call('GET', '/v2/nothing'), { status: 404, body: /Not Found/ });
  t.equal(fake.toss.charges(order), 0);
  t.equal(fake.requests.length, 7, 'every request is recorded, refused ones too');
});

t.test('Idempotency-Key is scoped by URL and method: the same key on another route is another request', async (t) => {
  const { call, confirmBody, fake } = await start(t);
  const order = orderId();
  const key = fake.toss.authorise({ orderId: order, amount: 2_000 });
  const headers = { 'Content-Type': 'application/json', 'Idempotency-Key': 'same-key' };
  t.match(await call('POST', '/v1/payments/confirm', { headers, body: confirmBody(key, order, 2_000) }), { status: 200, body: { status: 'DONE' } });
  t.match(await call('POST', `/v1/payments/${key}/cancel`, { headers, body: JSON.stringify({ cancelReason: '환불' }) }),
    { status: 200, body: { status: 'CANCELED' } });
  t.match(await call('POST', '/v1/payments/confirm', { headers, body: confirmBody(key, order, 2_000) }), { status: 200, body: { status: 'DONE' } },
    'the confirm route still answers its first response');
  t.equal(fake.toss.charges(order), 1);
});

t.test('the payment and transactions it serves have Toss\'s documented shape', async (t) => {
  const { call, confirmBody, fake, clock: c } = await start(t);
  const order = orderId();
  const key = fake.toss.authorise({ orderId: order, amount: 15_000, orderName: '토스 티셔츠 외 2건' });
  c.advance(MINUTE);
  const confirmed = await call('POST', '/v1/payments/confirm', { headers: { 'Content-Type': 'application/json' }, body: confirmBody(key, order, 15_000) });
  t.match(confirmed, {
    status: 200,
    body: {
      mId: 'tosspayments', version: '2022-11-16', paymentKey: key, orderId: order, orderName: '토스 티셔츠 외 2건', status: 'DONE',
      method: '카드', currency: 'KRW', totalAmount: 15_000, balanceAmount: 15_000, suppliedAmount: 13_636, vat: 1_364,
      requestedAt: '2026-01-05T12:00:00+09:00', approvedAt: '2026-01-05T12:01:00+09:00', cancels: null, secret: null,
      card: { approveNo: '00000000' }, virtualAccount: null, receipt: { url: /^https:\/\// }, failure: null,
    },
  });
  await call('POST', `/v1/payments/${key}/cancel`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ cancelReason: '부분', cancelAmount: 5_000 }) });
  t.match(await call('GET', `/v1/payments/${key}`), {
    status: 200,
    body: { status: 'PARTIAL_CANCELED', balanceAmount: 10_000, cancels: [{ cancelAmount: 5_000, cancelReason: '부분', refundableAmount: 10_000, canceledAt: '2026-01-05T12:01:00+09:00' }] },
  });
  const list = await call('GET', '/v1/transactions?startDate=2026-01-05T00:00:00&endDate=2026-01-05T23:59:59');
  t.match(list, {
    status: 200,
    body: [
      { mId: 'tosspayments', paymentKey: key, orderId: order, currency: 'KRW', method: '카드', amount: 15_000, status: 'DONE', transactionAt: '2026-01-05T12:01:00+09:00' },
      { paymentKey: key, amount: 5_000, status: 'PARTIAL_CANCELED' },
    ],
  });
  t.match(await call('GET', '/v1/transactions?startDate=yesterday&endDate=2026-01-05T23:59:59'), { status: 400, body: { code: 'INVALID_REQUEST' } });
  t.match(await call('GET', '/v1/transactions?startDate=2026-01-05T00:00:00&endDate=2026-01-05T23:59:59&limit=10001'), { status: 400, body: { code: 'INVALID_REQUEST' } });
  fake.toss.setStatus(key, 'EXPIRED');
  t.match(await call('GET', `/v1/payments/orders/${order}`), { status: 200, body: { status: 'EXPIRED' } }, 'a status Toss changed on its own');
});

t.test('webhooks: PAYMENT_STATUS_CHANGED carries the Payment, DEPOSIT_CALLBACK the secret', async (t) => {
  const { call, confirmBody, fake, clock: c } = await start(t);
  const received: Array<{ headers: http.IncomingHttpHeaders; body: unknown }> = [];
  let answer = 200;
  const receiver = http.createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    received.push({ headers: req.headers, body: JSON.parse(raw) });
    res.writeHead(answer).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/payments/webhook`;

  const order = orderId();
  const key = fake.toss.authorise({ orderId: order, amount: 50_000, method: 'VIRTUAL_ACCOUNT' });
  await call('POST', '/v1/payments/confirm', { headers: { 'Content-Type': 'application/json' }, body: confirmBody(key, order, 50_000) });
  c.advance(MINUTE);
  const paidIn = fake.toss.deposit(key);

  t.equal(await fake.sendWebhook(url, 'DEPOSIT_CALLBACK', key), 200);
  t.match(received[0].headers, { 'content-type': 'application/json' });
  t.strictSame(received[0].body, {
    createdAt: '2026-01-05T12:01:00.000000', secret: paidIn.secret, status: 'DONE', transactionKey: paidIn.lastTransactionKey, orderId: order,
  });

  answer = 500;
  t.equal(await fake.sendWebhook(url, 'PAYMENT_STATUS_CHANGED', key), 500, 'the receiver\'s status comes back (Toss retries on anything but 200)');
  const event = received[1].body as { eventType: string; createdAt: string; data: unknown };
  t.equal(event.eventType, 'PAYMENT_STATUS_CHANGED');
  t.equal(event.createdAt, '2026-01-05T12:01:00.000000');
  t.strictSame(readPayment(event.data), paidIn, 'data is the whole Payment, as the adapter reads it');
  await t.rejects(fake.sendWebhook(url, 'DEPOSIT_CALLBACK', 'tpk_unknown'), /no confirmed payment/);
});

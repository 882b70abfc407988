// The Toss adapter alone, against the loopback fake: the requests exactly as the fake sees them, odd
// answers and unreachable Toss as unknown outcomes, and the secret key absent from everything it says.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import t, { type Test } from 'tap';
import type { UnknownCause } from '../../storage/payments/ports.ts';
import { TossPayments, type UnknownEvent } from '../../storage/payments/toss.ts';
import { FakeToss, TEST_SECRET_KEY } from '../fakes/toss.ts';
import { tossPayment } from '../fakes/toss-json.ts';
import { MINUTE, T0, WRITE_TIMEOUT_MS, clock, idempotencyKey, orderId } from './subjects.ts';

const BASIC = `Basic ${Buffer.from(`${TEST_SECRET_KEY}:`).toString('base64')}`;

async function setup(t: Test, opts: { secretKey?: string; fakeKey?: string } = {}) {
  const c = clock();
  const fake = await FakeToss.start({ now: c.now, secretKey: opts.fakeKey });
  t.teardown(() => fake.close());
  const events: UnknownEvent[] = [];
  const toss = new TossPayments({
    secretKey: opts.secretKey ?? TEST_SECRET_KEY, baseUrl: fake.baseUrl, timeoutMs: WRITE_TIMEOUT_MS, onUnknown: (e) => events.push(e),
  });
  const authorise = (amount = 15_000, method: 'CARD' | 'VIRTUAL_ACCOUNT' = 'CARD') => {
    const order = orderId();
    return { orderId: order, amount, paymentKey: fake.toss.authorise({ orderId: order, amount, method }) };
  };
  return { fake, toss, events, clock: c, authorise };
}

/** Waits for a condition the test cannot await directly (the fake seeing a client give up). */
async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

t.test('requests are what Toss documents: Basic auth, JSON bodies, Idempotency-Key on writes only', async (t) => {
  const { fake, toss, authorise } = await setup(t);
  const a = authorise(15_000);
  const confirmKey = idempotencyKey();
  await toss.confirm({ ...a, idempotencyKey: confirmKey });
  await toss.payment(a.paymentKey);
  await toss.paymentOfOrder(a.orderId);
  const partKey = idempotencyKey();
  await toss.cancel({ paymentKey: a.paymentKey, reason: '부분 환불', amount: 1_000, idempotencyKey: partKey });
  await toss.cancel({ paymentKey: a.paymentKey, reason: '전액 환불', idempotencyKey: idempotencyKey() });
  await toss.transactions({ from: T0, to: T0 + 60 * MINUTE - 1, limit: 2, startingAfter: 'txk_1' });

  const [confirm, byKey, byOrder, part, full, list] = fake.requests;
  for (const r of fake.requests) {
    t.equal(r.headers.authorization, BASIC, `${r.method} ${r.url}: Basic base64(secretKey + ":")`);
    t.equal(r.headers.accept, 'application/json');
    t.notOk('tosspayments-test-code' in r.headers, 'no test code unless asked');
  }
  t.match(confirm, { method: 'POST', url: '/v1/payments/confirm', headers: { 'content-type': 'application/json', 'idempotency-key': confirmKey } });
  t.strictSame(confirm.body, { paymentKey: a.paymentKey, orderId: a.orderId, amount: 15_000 }, 'exactly the three fields');
  for (const [r, url] of [[byKey, `/v1/payments/${a.paymentKey}`], [byOrder, `/v1/payments/orders/${a.orderId}`]] as const) {
    t.match(r, { method: 'GET', url, body: '' });
    t.notOk('idempotency-key' in r.headers, 'GETs are idempotent by themselves');
    t.notOk('content-type' in r.headers);
  }
  t.match(part, { method: 'POST', url: `/v1/payments/${a.paymentKey}/cancel`, headers: { 'idempotency-key': partKey } });
  t.strictSame(part.body, { cancelReason: '부분 환불', cancelAmount: 1_000 });
  t.strictSame(full.body, { cancelReason: '전액 환불' }, 'no cancelAmount: the whole balance');
  const url = new URL(list.url, fake.baseUrl);
  t.equal(url.pathname, '/v1/transactions');
  t.strictSame(Object.fromEntries(url.searchParams), {
    startDate: '2026-01-05T12:00:00.000', endDate: '2026-01-05T12:59:59.999', startingAfter: 'txk_1', limit: '2',
  }, 'the period in Korea Standard Time, without offset');
});

t.test('a virtual account\'s refund carries refundReceiveAccount; a test code rides in its header', async (t) => {
  const { fake, toss, authorise } = await setup(t);
  const a = authorise(20_000, 'VIRTUAL_ACCOUNT');
  await toss.confirm({ ...a, idempotencyKey: idempotencyKey() });
  fake.toss.deposit(a.paymentKey);
  const account = { bank: '88', accountNumber: '110123456789', holderName: '김환불' };
  await toss.cancel({ paymentKey: a.paymentKey, reason: '환불', refundAccount: account, idempotencyKey: idempotencyKey() });
  t.strictSame(fake.requests.at(-1)?.body, { cancelReason: '환불', refundReceiveAccount: account });
  await toss.withTestCode('NOT_FOUND_PAYMENT').payment(a.paymentKey);
  t.equal(fake.requests.at(-1)?.headers['tosspayments-test-code'], 'NOT_FOUND_PAYMENT');
});

t.test('ids are escaped in the path', async (t) => {
  const { fake, toss } = await setup(t);
  const paymentKey = fake.toss.authorise({ orderId: 'ord_escape_1', amount: 1_000, paymentKey: 'pk/with space?&#' });
  t.match(await toss.confirm({ paymentKey, orderId: 'ord_escape_1', amount: 1_000, idempotencyKey: idempotencyKey() }), { kind: 'ok' });
  t.match(await toss.payment(paymentKey), { kind: 'ok', payment: { paymentKey } });
  t.equal(fake.requests.at(-1)?.url, `/v1/payments/${encodeURIComponent(paymentKey)}`);
});

t.test('a base URL with a path prefix (a proxy\'s) keeps it', async (t) => {
  const seen: string[] = [];
  const proxy = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'NOT_FOUND_PAYMENT', message: '존재하지 않는 결제 정보 입니다.' }));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
  const toss = new TossPayments({ secretKey: TEST_SECRET_KEY, baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/toss/` });
  t.strictSame(await toss.paymentOfOrder('ord_prefix_1'), { kind: 'ok', payment: null });
  t.strictSame(seen, ['/toss/v1/payments/orders/ord_prefix_1']);
});

t.test('odd answers are unknown outcomes, never a crash nor "no payment"', async (t) => {
  const { fake, toss, authorise } = await setup(t);
  const { paymentKey, orderId: order, amount } = authorise(15_000);
  await toss.confirm({ paymentKey, orderId: order, amount, idempotencyKey: idempotencyKey() });
  const good = tossPayment(fake.toss.payments()[0]);
  const json = (body: unknown) => JSON.stringify(body);
  const cases: Array<[string, number, string, UnknownCause]> = [
    ['an HTML page with 200', 200, '<html><body>OK</body></html>', 'bad_response'],
    ['truncated JSON', 200, json(good).slice(0, 80), 'bad_response'],
    ['an empty body', 200, '', 'bad_response'],
    ['JSON null', 200, 'null', 'bad_response'],
    ['a payment without totalAmount', 200, json({ ...good, totalAmount: undefined }), 'bad_response'],
    ['an amount as a string', 200, json({ ...good, balanceAmount: '15000' }), 'bad_response'],
    ['a fractional amount', 200, json({ ...good, balanceAmount: 150.5 }), 'bad_response'],
    ['a status Toss does not have', 200, json({ ...good, status: 'PAID' }), 'bad_response'],
    ['a time without its offset', 200, json({ ...good, approvedAt: '2026-01-05T12:00:00' }), 'bad_response'],
    ['another currency', 200, json({ ...good, currency: 'USD' }), 'bad_response'],
    ['a 400 HTML page', 400, '<html>Bad Request</html>', 'bad_response'],
    ['a 404 HTML page from a proxy', 404, '<html>Not Found</html>', 'bad_response'],
    ['an error without a code', 404, json({ message: '존재하지 않는 결제 정보 입니다.' }), 'bad_response'],
    ['a 502 from a proxy', 502, '<html>Bad Gateway</html>', 'server'],
    ['a 503 with nothing', 503, '', 'server'],
  ];
  for (const [name, status, body, cause] of cases) {
    fake.failNext({ kind: 'reply', status, body, contentType: 'application/json', processed: false });
    t.match(await toss.paymentOfOrder(order), { kind: 'unknown', cause, code: null }, name);
  }
  t.match(await toss.paymentOfOrder(order), { kind: 'ok', payment: { paymentKey, totalAmount: 15_000 } }, 'Toss\'s own answer reads fine');

  const transactions = [['a list that is an object', json({ items: [] })], ['a list with a broken item', json([{ transactionKey: 'k' }])]];
  for (const [name, body] of transactions) {
    fake.failNext({ kind: 'reply', status: 200, body, contentType: 'application/json', processed: false });
    t.match(await toss.transactions({ from: T0, to: T0 + MINUTE }), { kind: 'unknown', cause: 'bad_response' }, name);
  }
});

t.test('5xx and "try again" codes from Toss are unknown, with Toss\'s code', async (t) => {
  const { toss, authorise } = await setup(t);
  const a = authorise();
  for (const code of ['FAILED_INTERNAL_SYSTEM_PROCESSING', 'FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING', 'UNKNOWN_PAYMENT_ERROR', 'PROVIDER_ERROR']) {
    t.match(await toss.withTestCode(code).confirm({ ...a, idempotencyKey: idempotencyKey() }), { kind: 'unknown', cause: 'server', code }, code);
  }
  t.match(await toss.withTestCode('FORBIDDEN_CONSECUTIVE_REQUEST').cancel({ paymentKey: a.paymentKey, reason: 'x', idempotencyKey: idempotencyKey() }),
    { kind: 'unknown', code: 'FORBIDDEN_CONSECUTIVE_REQUEST' }, 'a refused repeat: the first may have gone through');
  t.match(await toss.withTestCode('NOT_FOUND_PAYMENT_SESSION').paymentOfOrder(a.orderId), { kind: 'rejected', code: 'NOT_FOUND_PAYMENT_SESSION' },
    'only NOT_FOUND_PAYMENT means the order has no payment');
  t.match(await toss.withTestCode('DUPLICATED_ORDER_ID').confirm({ ...a, idempotencyKey: idempotencyKey() }), { kind: 'already_processed', code: 'DUPLICATED_ORDER_ID' });
  t.match(await toss.withTestCode('ALREADY_PROCESSED_PAYMENT').cancel({ paymentKey: a.paymentKey, reason: 'x', idempotencyKey: idempotencyKey() }),
    { kind: 'rejected', code: 'ALREADY_PROCESSED_PAYMENT' }, 'a kind cancel does not answer with is a refusal');
});

t.test('a time-out lets go of the request; Toss out of reach is a network unknown', async (t) => {
  const { fake, toss, authorise, events } = await setup(t);
  const a = authorise();
  fake.failNext({ kind: 'timeout', processed: false });
  const started = Date.now();
  t.match(await toss.confirm({ ...a, idempotencyKey: idempotencyKey() }), { kind: 'unknown', cause: 'timeout', message: `Toss did not answer within ${WRITE_TIMEOUT_MS} ms` });
  t.ok(Date.now() - started >= WRITE_TIMEOUT_MS - 50, 'not before the deadline');
  await until(() => fake.holding === 0);
  t.pass('the fake saw the client give up');

  const gone = await FakeToss.start();
  const baseUrl = gone.baseUrl;
  await gone.close();
  const unreachable = new TossPayments({ secretKey: TEST_SECRET_KEY, baseUrl, onUnknown: (e) => events.push(e) });
  t.match(await unreachable.confirm({ ...a, idempotencyKey: idempotencyKey() }), { kind: 'unknown', cause: 'network', message: /ECONNREFUSED/ });
  t.strictSame(events, [
    { operation: 'confirm', cause: 'timeout', status: null, code: null },
    { operation: 'confirm', cause: 'network', status: null, code: null },
  ], 'each unknown outcome is told, for metrics');
});

t.test('a wrong or malformed key is refused by Toss: rejected', async (t) => {
  const { fake, authorise } = await setup(t);
  const a = authorise();
  const wrong = new TossPayments({ secretKey: 'test_sk_wrong_placeholder', baseUrl: fake.baseUrl });
  t.strictSame(await wrong.confirm({ ...a, idempotencyKey: idempotencyKey() }),
    { kind: 'rejected', code: 'UNAUTHORIZED_KEY', message: '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.' });
  t.match(await wrong.paymentOfOrder(a.orderId), { kind: 'rejected', code: 'UNAUTHORIZED_KEY' }, 'a lookup too: never "no payment"');
  t.equal(fake.toss.charges(a.orderId), 0);
});

t.test('live keys ignore TossPayments-Test-Code, as Toss\'s do', async (t) => {
  const { fake, toss, authorise } = await setup(t, { secretKey: 'live_sk_placeholder', fakeKey: 'live_sk_placeholder' });
  const a = authorise();
  t.match(await toss.withTestCode('REJECT_CARD_PAYMENT').confirm({ ...a, idempotencyKey: idempotencyKey() }), { kind: 'ok' });
  t.equal(fake.requests.at(-1)?.headers['tosspayments-test-code'], 'REJECT_CARD_PAYMENT', 'sent, and ignored');
});

t.test('the secret key appears in no result, event, error or inspection', async (t) => {
  const secret = 'test_sk_placeholder_SECRET_9f2c';
  const { fake, authorise } = await setup(t, { fakeKey: secret });
  const encoded = Buffer.from(`${secret}:`).toString('base64');
  const said: unknown[] = [];
  const events: UnknownEvent[] = [];
  const toss = new TossPayments({ secretKey: secret, baseUrl: fake.baseUrl, timeoutMs: WRITE_TIMEOUT_MS, onUnknown: (e) => events.push(e) });
  const a = authorise();
  // A proxy that echoes the request's Authorization header in a Toss-shaped error, and in an HTML page.
  for (const [status, body] of [[400, JSON.stringify({ code: 'INVALID_REQUEST', message: `bad header Basic ${encoded} for ${secret}` })], [502, `<pre>Authorization: Basic ${encoded}</pre>`]] as const) {
    fake.failNext({ kind: 'reply', status, body, contentType: 'application/json', processed: false });
    said.push(await toss.confirm({ ...a, idempotencyKey: idempotencyKey() }));
  }
  t.match(said[0], { kind: 'rejected', message: 'bad header Basic [redacted] for [redacted]' }, 'Toss\'s message is kept, the key scrubbed');
  fake.failNext({ kind: 'timeout', processed: true });
  said.push(await toss.confirm({ ...a, idempotencyKey: idempotencyKey() }));
  said.push(await toss.withTestCode('REJECT_CARD_PAYMENT').confirm({ ...a, idempotencyKey: idempotencyKey() }));
  said.push(await new TossPayments({ secretKey: 'test_sk_other', baseUrl: fake.baseUrl }).payment(a.paymentKey));
  said.push(await toss.cancel({ paymentKey: a.paymentKey, reason: 'x', amount: 10 ** 9, idempotencyKey: idempotencyKey() }));
  for (const options of [{ secretKey: secret, baseUrl: `not a url ${secret}` }, { secretKey: secret, baseUrl: `ftp://${secret}@x` }, { secretKey: secret, timeoutMs: -1 }]) {
    try {
      new TossPayments(options);
      t.fail('constructed');
    } catch (err) {
      said.push(String(err));
    }
  }
  said.push(inspect(toss, { depth: 10, showHidden: true }), JSON.stringify(toss), String(toss));
  t.equal(events.length, 2, 'the 502 and the time-out were told');
  t.equal(said.length, 12);
  for (const item of [...said, ...events]) {
    const text = typeof item === 'string' ? item : JSON.stringify(item);
    t.notOk(text.includes(secret) || text.includes(encoded), text.slice(0, 120));
  }
});

t.test('a long message is scrubbed before it is cut; a throwing onUnknown hook changes no answer', async (t) => {
  const { fake, authorise } = await setup(t);
  const toss = new TossPayments({ secretKey: TEST_SECRET_KEY, baseUrl: fake.baseUrl, onUnknown: () => { throw new Error('metrics down'); } });
  const a = authorise();
  fake.failNext({ kind: 'reply', status: 403, body: JSON.stringify({ code: 'FORBIDDEN_REQUEST', message: `${'x'.repeat(490)}${TEST_SECRET_KEY}` }), processed: false });
  const r = await toss.confirm({ ...a, idempotencyKey: idempotencyKey() });
  t.match(r, { kind: 'rejected', code: 'FORBIDDEN_REQUEST' });
  if (r.kind === 'rejected') t.equal(r.message, `${'x'.repeat(490)}[redacted]`, 'no half of the key at the cut');
  fake.failNext({ kind: 'reply', status: 503, body: '', processed: false });
  t.match(await toss.paymentOfOrder(a.orderId), { kind: 'unknown', cause: 'server' });
});

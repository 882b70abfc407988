// The SDK's payments routes against a real server and the loopback fake Toss: checkout; the confirm keyed
// by its payment, so the same success redirect confirmed twice is one write at the server and one at Toss;
// the buyer's refund before shipping; a refusal as ApiError with its code; offers listed.
import t from 'tap';
import { ApiError, OkjApi } from '../../client/index.ts';
import { newUser, PASSWORD } from '../accounts/helpers.ts';
import { FakeToss } from '../fakes/toss.ts';
import { api, boot, rid } from '../gateway/harness.ts';
import { eventually } from '../market/fixtures.ts';
import { soldOrder } from '../helpers/sold.ts';

const fake = await FakeToss.start();
t.teardown(() => fake.close());
const s = await boot(
  { TOSS_SECRET_KEY: fake.secretKey, TOSS_CLIENT_KEY: 'test_ck_sdk', TOSS_API_BASE: fake.baseUrl },
  { payments: { tickMs: 50, tossTimeoutMs: 500 } },
);
t.teardown(() => s.stop());

async function signedIn(email: string): Promise<OkjApi> {
  const sdk = new OkjApi({ baseUrl: s.http, session: { mode: 'token' } });
  await sdk.auth.login({ email, password: PASSWORD });
  return sdk;
}

t.test('pay twice from the same redirect, refund, refusals and offers', async (t) => {
  const seller = await newUser(s);
  const buyer = await newUser(s);
  const { order } = await soldOrder(s.http, seller.access, buyer.access);
  const b = await signedIn(buyer.person.email);
  const sl = await signedIn(seller.person.email);

  t.match(await b.orders.checkout(order), { orderId: order, amount: 12_000, clientKey: 'test_ck_sdk', successUrl: /\/orders\/pay\/success$/ });
  const paymentKey = fake.toss.authorise({ orderId: order, amount: 12_000 });
  const first = await b.orders.confirmPayment({ paymentKey, orderId: order, amount: 12_000 });
  const again = await b.orders.confirmPayment({ paymentKey, orderId: order, amount: 12_000 });
  t.match(first, { status: 'PAID' });
  t.same(again, first, 'the repeat gets the first answer');
  t.equal(fake.requests.filter((r) => r.url === '/v1/payments/confirm').length, 1, 'one confirm at Toss');

  const refused = await sl.orders.refund(order, { reason: 'seller' }).catch((e: unknown) => e);
  t.ok(refused instanceof ApiError && refused.code === 'FORBIDDEN', 'a seller may not refund');
  t.match(await b.orders.refund(order, { reason: 'changed my mind' }), { status: 'REFUNDED' });
  const late = await b.orders.confirmReceipt(order).catch((e: unknown) => e);
  t.ok(late instanceof ApiError && late.code === 'ILLEGAL_ORDER_TRANSITION', 'a refunded order is not received');
  const offer = await sl.orders.secondChance(order).catch((e: unknown) => e);
  t.ok(offer instanceof ApiError && offer.code === 'ILLEGAL_ORDER_TRANSITION', 'only an expired order is offered again');
  t.same((await b.offers.list()).items, [], 'no offers');
});

t.test("the confirm's default key is the payment's, with Web Crypto and without (a page over plain http)", async (t) => {
  const keys: string[] = [];
  const sdk = new OkjApi({
    baseUrl: 'http://h',
    fetch: async (_url, init) => {
      keys.push(init.headers['idempotency-key'] ?? init.headers['Idempotency-Key'] ?? '');
      return { status: 200, headers: { get: (n) => (n.toLowerCase() === 'content-type' ? 'application/json' : null) }, text: async () => '{}', blob: async () => new Blob([]) };
    },
  });
  const confirm = (paymentKey: string) => sdk.orders.confirmPayment({ paymentKey, orderId: 'o1', amount: 1_000 });
  const withCrypto = async () => {
    await confirm('pk-a');
    await confirm('pk-a');
    await confirm('pk-b');
  };
  await withCrypto();
  const real = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
  Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
  try {
    await withCrypto();
  } finally {
    Object.defineProperty(globalThis, 'crypto', real);
  }
  t.equal(keys.length, 6);
  for (const k of keys) t.ok(/^[\x21-\x7e]{1,64}$/.test(k), `a valid header: ${k}`);
  t.equal(keys[0], keys[1], 'the same payment, the same key');
  t.not(keys[0], keys[2], 'another payment, another key');
  t.equal(keys[3], keys[4], 'without Web Crypto too');
  t.not(keys[3], keys[5]);
  t.not(keys[0], keys[3], 'the fallback is its own hash');
});

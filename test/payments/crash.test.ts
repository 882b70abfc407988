// Crash tests: the server (`npm start`'s entry, as a child) is SIGKILLed (a) after Toss charged but before
// the order was marked PAID (the confirm's answer is held by the fake Toss), and (b) after a deposit
// webhook was stored but before it was processed (the worker's lookup is held). After a restart each
// ends exactly once: PAID, one charge at the fake, one PAID event.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { signAccessToken, tokenKeys } from '../../app/accounts/tokens.ts';
import { api, rid } from '../gateway/harness.ts';
import { killServerProcess as kill, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { FakeToss } from '../fakes/toss.ts';
import { eventually } from '../market/fixtures.ts';

const SECRET = 'payments-crash-test-secret-long-enough!!';
const keys = tokenKeys({ secret: SECRET, issuer: 'okjangpan', audience: 'okjangpan-api' });

t.test('SIGKILL after Toss charged, and after a webhook was stored: each ends once after restart', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-pay-crash-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const fake = await FakeToss.start();
  t.teardown(() => fake.close());
  const env = { TOSS_SECRET_KEY: fake.secretKey, TOSS_CLIENT_KEY: 'test_ck_crash', TOSS_API_BASE: fake.baseUrl };
  const seller = await signAccessToken(keys, 'seller-c');
  const [amy, ben] = [await signAccessToken(keys, 'amy-c'), await signAccessToken(keys, 'ben-c')];

  let child: ServerProcess = await startServerProcess(dir, SECRET, env);
  t.teardown(() => kill(child, 'SIGKILL'));
  const product = await api(child.url, 'POST', '/api/v1/products', { token: seller, body: { name: 'radio' } });
  const endsAt = Date.now() + 4_000;
  const auctions: string[] = [];
  for (const buyer of [amy, ben]) {
    const a = await api(child.url, 'POST', '/api/v1/auctions', {
      token: seller, key: rid('c'),
      body: { productId: product.body.id, startPrice: 5_000, bidUnit: 100, startsAt: Date.now(), endsAt, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 } },
    });
    await api(child.url, 'POST', `/api/v1/auctions/${a.body.id}/open`, { token: seller });
    t.match((await api(child.url, 'POST', `/api/v1/auctions/${a.body.id}/bids`, { token: buyer, key: rid('b'), body: { amount: 5_000 } })).body, { ok: true });
    auctions.push(a.body.id as string);
  }
  const orders: string[] = [];
  for (const [i, buyer] of [amy, ben].entries()) {
    orders.push(await eventually(async () => {
      const r = await api(child.url, 'GET', '/api/v1/orders', { token: buyer });
      return r.body.items.find((o: { auctionId: string }) => o.auctionId === auctions[i])?.id as string | undefined;
    }, 8_000, 'the order'));
  }
  const [oa, ob] = orders;

  // (a) Amy's confirm: Toss charges, its answer never comes back; the process dies.
  const pa = fake.toss.authorise({ orderId: oa, amount: 5_000 });
  fake.failNext({ kind: 'timeout', processed: true });
  const inFlight = api(child.url, 'POST', '/api/v1/payments/confirm', { token: amy, key: rid('p'), body: { paymentKey: pa, orderId: oa, amount: 5_000 } }).catch(() => null);
  await eventually(async () => (fake.holding === 1 && fake.toss.charges(oa) === 1 ? true : undefined), 5_000, 'Toss charged, the answer held');
  await kill(child, 'SIGKILL');
  await inFlight;

  child = await startServerProcess(dir, SECRET, env);
  const paid = await eventually(async () => {
    const r = await api(child.url, 'GET', `/api/v1/orders/${oa}`, { token: amy });
    return r.body.status === 'PAID' ? r.body : undefined;
  }, 10_000, "Amy's order PAID after the restart");
  t.equal(paid.events.filter((e: { type: string }) => e.type === 'PAID').length, 1);
  t.equal(fake.toss.charges(oa), 1, 'charged once');
  t.equal(fake.requests.filter((r) => r.url === '/v1/payments/confirm').length, 1, 'never confirmed again');

  // (b) Ben pays into a virtual account; Toss's deposit webhook is stored, then the process dies while
  // the worker asks Toss about it.
  const pb = fake.toss.authorise({ orderId: ob, amount: 5_000, method: 'VIRTUAL_ACCOUNT' });
  t.match((await api(child.url, 'POST', '/api/v1/payments/confirm', { token: ben, key: rid('p'), body: { paymentKey: pb, orderId: ob, amount: 5_000 } })).body, { status: 'AWAITING_PAYMENT' });
  fake.toss.deposit(pb);
  fake.failNext({ kind: 'timeout', processed: false });
  t.equal(await fake.sendWebhook(`${child.url}/api/v1/payments/webhook`, 'DEPOSIT_CALLBACK', pb), 200, 'stored, then answered');
  await eventually(async () => (fake.holding === 1 ? true : undefined), 5_000, "the worker's lookup held");
  await kill(child, 'SIGKILL');

  child = await startServerProcess(dir, SECRET, env);
  const deposited = await eventually(async () => {
    const r = await api(child.url, 'GET', `/api/v1/orders/${ob}`, { token: ben });
    return r.body.status === 'PAID' ? r.body : undefined;
  }, 10_000, "Ben's order PAID after the restart");
  t.equal(deposited.events.filter((e: { type: string }) => e.type === 'PAID').length, 1, 'the webhook applied once');
  t.equal(fake.toss.charges(ob), 1);
  t.equal(fake.toss.cancels().length, 0, 'nothing refunded');
});

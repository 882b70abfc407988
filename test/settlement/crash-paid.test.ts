// A crash between Toss's charge and PAID: the server (`npm start`'s entry, a child on SQLite) is killed
// with SIGKILL while its confirm is held at the fake Toss after Toss took the money. Nothing was posted;
// after the restart the buyer's retry settles the order from Toss's word, Toss's webhook for it comes
// twice, and the capture is in the ledger once, with the order's PAID.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { signAccessToken, tokenKeys } from '../../app/accounts/tokens.ts';
import { escrowOf } from '../../engine/settlement/accounts.ts';
import { api, rid } from '../gateway/harness.ts';
import { killServerProcess as kill, startServerProcess } from '../helpers/server-process.ts';
import { FakeToss } from '../fakes/toss.ts';
import { eventually } from '../market/fixtures.ts';
import { soldOrder } from '../helpers/sold.ts';

const SECRET = 'crash-paid-test-secret-that-is-long-enough!';
const keys = tokenKeys({ secret: SECRET, issuer: 'okjangpan', audience: 'okjangpan-api' });
const PRICE = 12_000;

t.test('SIGKILL after Toss charged, before PAID: captured once after the restart', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-crash-paid-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const fake = await FakeToss.start();
  t.teardown(() => fake.close());
  const env = { TOSS_SECRET_KEY: fake.secretKey, TOSS_CLIENT_KEY: 'test_ck_crash', TOSS_API_BASE: fake.baseUrl, METRICS_PUBLIC: '1' };
  const [seller, buyer, admin] = [await signAccessToken(keys, 'seller-c'), await signAccessToken(keys, 'buyer-c'), await signAccessToken(keys, 'admin-c', { role: 'admin' })];

  let child = await startServerProcess(dir, SECRET, env);
  t.teardown(() => kill(child, 'SIGKILL'));
  const { order: orderId } = await soldOrder(child.url, seller, buyer, { price: PRICE, productId: 'prod-crash' });

  // Toss does the work and holds its answer; the server dies waiting for it.
  const paymentKey = fake.toss.authorise({ orderId, amount: PRICE });
  fake.failNext({ kind: 'timeout', processed: true });
  const key = rid('confirm');
  const lost = api(child.url, 'POST', '/api/v1/payments/confirm', { token: buyer, key, body: { paymentKey, orderId, amount: PRICE } }).catch(() => null);
  await eventually(async () => (fake.holding === 1 ? true : undefined), 10_000, 'the confirm held at Toss');
  t.equal(fake.toss.charges(orderId), 1, 'Toss took the money');
  await kill(child, 'SIGKILL');
  await lost;

  child = await startServerProcess(dir, SECRET, env);
  const balance = async () => (await api(child.url, 'GET', `/api/v1/admin/ledger/balances?account=${encodeURIComponent(escrowOf(orderId))}`, { token: admin })).body.balances;
  // The restart's own reconciliation asks Toss about confirms left in flight, and may settle this one at
  // any moment: either it is still in flight with nothing posted, or it is PAID with its capture posted.
  // The order and the ledger are two requests, so they are read until the order is the same on both
  // sides of the ledger's read (a settle landing between them would pair an old status with a new ledger).
  const order = async () => (await api(child.url, 'GET', `/api/v1/orders/${orderId}`, { token: buyer })).body as { status: string; confirming: boolean };
  const { after, posted } = await eventually(async () => {
    const before = await order();
    const posted = await balance();
    const again = await order();
    return before.status === again.status && before.confirming === again.confirming ? { after: before, posted } : undefined;
  }, 10_000, 'an order read twice the same around its ledger');
  if (after.status === 'AWAITING_PAYMENT') {
    t.equal(after.confirming, true, 'the crash left the confirm in flight');
    t.same(posted, {}, 'and nothing posted');
  } else {
    t.equal(after.status, 'PAID', 'the restart settled the confirm from Toss');
    t.same(posted, { [escrowOf(orderId)]: PRICE }, 'with its capture posted');
  }
  const retried = await api(child.url, 'POST', '/api/v1/payments/confirm', { token: buyer, key, body: { paymentKey, orderId, amount: PRICE } });
  t.match(retried, { status: 200, body: { status: 'PAID' } });
  const hook = `${child.url}/api/v1/payments/webhook`;
  t.equal(await fake.sendWebhook(hook, 'PAYMENT_STATUS_CHANGED', paymentKey), 200);
  t.equal(await fake.sendWebhook(hook, 'PAYMENT_STATUS_CHANGED', paymentKey), 200);
  // Both are stored by their 200; wait until the worker has processed them.
  await eventually(async () => (/^okj_payment_webhooks_pending 0$/m.test(await (await fetch(`${child.url}/metrics`)).text()) ? true : undefined), 10_000, 'webhooks processed');
  const events = (await api(child.url, 'GET', `/api/v1/orders/${orderId}`, { token: buyer })).body.events as Array<{ type: string }>;
  t.equal(events.filter((e) => e.type === 'PAID').length, 1, 'PAID once');
  t.same(await balance(), { [escrowOf(orderId)]: PRICE }, 'captured once');
  t.equal(fake.toss.charges(orderId), 1, 'charged once');
  const all = (await api(child.url, 'GET', '/api/v1/admin/ledger/balances', { token: admin })).body.balances as Record<string, number>;
  t.equal(Object.values(all).reduce((s, v) => s + v, 0), 0, 'the ledger sums to zero');
});

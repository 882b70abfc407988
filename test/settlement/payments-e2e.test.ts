// Payments and settlement together, end to end over real HTTP against the loopback fake Toss, on SQLite
// and MariaDB: auctions close SOLD, their buyers pay; orders are refunded (in part, in full), shipped and
// confirmed (by the buyer, and by the auto-confirm job); one confirm's answer is lost after Toss charged
// and the server stops there (a crash between Toss and PAID): the next server settles it, and Toss's
// webhook for it comes twice: captured once. Every money event is posted in the order's own write; the
// ledger sums to zero, agrees with Toss's transaction list, and a run pays each seller exactly
// sum(price - fee) of their confirmed orders, once.
import t, { type Test } from 'tap';
import { escrowOf, payableOf, paidOutOf } from '../../engine/settlement/accounts.ts';
import { feeOf } from '../../engine/settlement/fees.ts';
import { lastEndedPeriod, SEOUL_OFFSET_MS } from '../../engine/settlement/periods.ts';
import { reconcile } from '../../app/settlement/reconcile.ts';
import { mariaDbDatabase } from '../helpers/services.ts';
import { api, boot, rid, type Booted } from '../gateway/harness.ts';
import { FakeToss } from '../fakes/toss.ts';
import { eventually } from '../market/fixtures.ts';
import { soldOrders } from '../helpers/sold.ts';
import { newAdmin, newBidder, newSeller, type TestUser } from '../market/users.ts';
import { ACCOUNT } from './world.ts';

const PRICE = 12_000;
/** The built-in IMMEDIATELY policy (8 %, at least 100 won): the sellers here are paid by the next run. */
const net = (price: number): number => price - feeOf(price, 800, 100);

async function scenario(t: Test, first: Booted, fake: FakeToss, restart: () => Promise<Booted>): Promise<void> {
  let b = first;
  const write = (p: string, token: string, body?: unknown, key = rid('k')) => api(b.http, 'POST', p, { token, key, body });
  const [sa, sb] = [await newSeller(b), await newSeller(b)];
  const admin = await newAdmin(b);
  const [carol, dave, erin, fred, gina] = [await newBidder(b), await newBidder(b), await newBidder(b), await newBidder(b), await newBidder(b)];
  for (const s of [sa, sb]) {
    t.equal((await api(b.http, 'PUT', `/api/v1/sellers/${s.id}/settlement/plan`, { token: s.token, body: { plan: 'IMMEDIATELY' } })).status, 200);
    t.equal((await api(b.http, 'PUT', `/api/v1/sellers/${s.id}/settlement/payout-account`, { token: s.token, body: ACCOUNT })).status, 200);
  }
  const [[a1, a2], [b1, b2, b3]] = await Promise.all([soldOrders(b.http, sa.token, [carol.token, dave.token], { price: PRICE }), soldOrders(b.http, sb.token, [erin.token, fred.token, gina.token], { price: PRICE })]);
  const pay = async (buyer: TestUser, orderId: string) => {
    const pk = fake.toss.authorise({ orderId, amount: PRICE });
    t.match(await write('/api/v1/payments/confirm', buyer.token, { paymentKey: pk, orderId, amount: PRICE }), { status: 200, body: { status: 'PAID' } });
    return pk;
  };
  const ship = async (seller: TestUser, orderId: string) =>
    t.match(await write(`/api/v1/orders/${orderId}/ship`, seller.token, { carrier: 'CJ', trackingNumber: '123-456' }), { status: 200, body: { status: 'SHIPPED' } });
  const balances = async (...accounts: string[]): Promise<Record<string, number>> => {
    const q = accounts.map((a) => `account=${encodeURIComponent(a)}`).join('&');
    const r = await api(b.http, 'GET', `/api/v1/admin/ledger/balances${q === '' ? '' : `?${q}`}`, { token: admin.token });
    t.equal(r.status, 200);
    return r.body.balances as Record<string, number>;
  };
  const sumsToZero = async (what: string) => t.equal(Object.values(await balances()).reduce((s, v) => s + v, 0), 0, `the ledger sums to zero ${what}`);

  // Seller A: carol pays, it is shipped and she confirms; dave pays, the admin refunds 2 000 of it, it is
  // shipped and the auto-confirm job confirms it.
  await pay(carol, a1);
  await ship(sa, a1);
  t.match(await write(`/api/v1/orders/${a1}/confirm`, carol.token), { status: 200, body: { status: 'CONFIRMED' } });
  await pay(dave, a2);
  t.match(await write(`/api/v1/orders/${a2}/refund`, admin.token, { amount: 2_000, reason: 'scratched' }), { status: 200, body: { status: 'PAID' } });
  await ship(sa, a2);
  t.equal(await b.server.payments.service.autoConfirm(a2, `auto_confirm:${a2}`), 'done', 'the job the worker runs when due');
  // Seller B: erin pays and refunds it all; gina's is shipped and not confirmed yet.
  await pay(erin, b1);
  t.match(await write(`/api/v1/orders/${b1}/refund`, erin.token, { reason: 'changed my mind' }), { status: 200, body: { status: 'REFUNDED' } });
  await pay(gina, b3);
  await ship(sb, b3);
  t.same(await balances(escrowOf(a1), escrowOf(a2), escrowOf(b1), escrowOf(b3), payableOf(sa.id)), {
    [escrowOf(a1)]: 0, [escrowOf(a2)]: 0, [escrowOf(b1)]: 0, [escrowOf(b3)]: PRICE, [payableOf(sa.id)]: net(PRICE) + net(PRICE - 2_000),
  }, 'each money event posted with its order');

  // Fred: Toss charges, but its answer is lost and so is the lookup after it; the server stops there.
  const pk = fake.toss.authorise({ orderId: b2, amount: PRICE });
  fake.failNext({ kind: 'timeout', processed: true });
  fake.failNext({ kind: 'reply', status: 502, body: '<html>bad gateway</html>', contentType: 'text/html', processed: false });
  const key = rid('confirm');
  t.match(await write('/api/v1/payments/confirm', fred.token, { paymentKey: pk, orderId: b2, amount: PRICE }, key), { status: 409, body: { code: 'PAYMENT_PENDING' } });
  t.equal(fake.toss.charges(b2), 1, 'Toss took the money');
  t.same(await balances(escrowOf(b2)), {}, 'nothing posted before PAID');
  await b.server.close();
  b = await restart();
  t.match(await write('/api/v1/payments/confirm', fred.token, { paymentKey: pk, orderId: b2, amount: PRICE }, key), { status: 200, body: { status: 'PAID' } });
  const hook = `${b.http}/api/v1/payments/webhook`;
  t.equal(await fake.sendWebhook(hook, 'PAYMENT_STATUS_CHANGED', pk), 200);
  t.equal(await fake.sendWebhook(hook, 'PAYMENT_STATUS_CHANGED', pk), 200);
  await eventually(async () => ((await b.server.payments.stores.backlog('webhook')).count === 0 ? true : undefined), 5_000, 'webhooks processed');
  t.same(await balances(escrowOf(b2)), { [escrowOf(b2)]: PRICE }, 'captured once');
  t.equal(fake.toss.charges(b2), 1);
  await ship(sb, b2);
  t.match(await write(`/api/v1/orders/${b2}/confirm`, fred.token), { status: 200, body: { status: 'CONFIRMED' } });
  await sumsToZero('before the run');

  // The ledger agrees with Toss's transactions (today, Seoul time; the route reconciles ended periods only).
  const mine = new Set([a1, a2, b1, b2, b3]);
  const now = Date.now();
  const dayStart = Math.floor((now + SEOUL_OFFSET_MS) / 86_400_000) * 86_400_000 - SEOUL_OFFSET_MS;
  const toss = await b.server.payments.gateway!.transactions({ from: dayStart, to: now + 60_000, limit: 10_000 });
  if (toss.kind !== 'ok') throw new Error(`toss: ${toss.kind}`);
  const ledger = (await b.server.settlement.store.transactions(dayStart, now + 60_000, 100_000)).filter((x) => x.orderId !== null && mine.has(x.orderId));
  const r = reconcile('today', ledger, toss.transactions.filter((x) => mine.has(x.orderId)));
  t.same({ checked: r.checked, mismatches: r.mismatches }, { checked: 5, mismatches: [] }, 'captured less refunded per order, as Toss has it');
  const period = lastEndedPeriod(now);
  const route = await api(b.http, 'GET', `/api/v1/admin/settlements/reconciliation?period=${period}`, { token: admin.token });
  t.match(route, { status: 200, body: { period } }, 'the route answers through payments\' Toss gateway');

  // The run pays each seller sum(price - fee) of their confirmed orders; a second pays nothing more.
  const run = await api(b.http, 'POST', '/api/v1/admin/settlements/run', { token: admin.token, body: { period } });
  t.equal(run.status, 200, JSON.stringify(run.body));
  const settled = async (s: TestUser) => (await api(b.http, 'GET', '/api/v1/settlements', { token: s.token })).body.items as Array<{ amount: number; lines: Array<{ orderId: string; price: number; fee: number; net: number }> }>;
  const expected = { [sa.id]: { amount: net(PRICE) + net(PRICE - 2_000), orders: [a1, a2].sort() }, [sb.id]: { amount: net(PRICE), orders: [b2] } };
  for (const s of [sa, sb]) {
    const items = await settled(s);
    t.equal(items.reduce((sum, x) => sum + x.amount, 0), expected[s.id]!.amount, `seller ${s.id} paid exactly`);
    const lines = items.flatMap((x) => x.lines);
    t.same(lines.map((l) => l.orderId).sort(), expected[s.id]!.orders, 'a line per confirmed order');
    for (const l of lines) t.equal(l.net, l.price - l.fee);
  }
  const again = await api(b.http, 'POST', '/api/v1/admin/settlements/run', { token: admin.token, body: { period } });
  t.equal(again.status, 200);
  for (const s of [sa, sb]) t.equal((await settled(s)).reduce((sum, x) => sum + x.amount, 0), expected[s.id]!.amount, 'a second run pays nothing more');
  t.same(await balances(payableOf(sa.id), payableOf(sb.id), paidOutOf(sa.id), paidOutOf(sb.id), escrowOf(b3)), {
    [payableOf(sa.id)]: 0, [payableOf(sb.id)]: 0, [paidOutOf(sa.id)]: expected[sa.id]!.amount, [paidOutOf(sb.id)]: expected[sb.id]!.amount, [escrowOf(b3)]: PRICE,
  }, 'paid out through the bank file; the unconfirmed order stays in escrow');
  await sumsToZero('after the run');
}

/** Boots a server with the fake Toss, and a second one on its database when the scenario restarts. */
async function run(t: Test, env: Record<string, string>, stops: Array<() => Promise<void>>): Promise<void> {
  const fake = await FakeToss.start();
  t.teardown(() => fake.close());
  const tossEnv = { TOSS_SECRET_KEY: fake.secretKey, TOSS_CLIENT_KEY: 'test_ck_e2e', TOSS_API_BASE: fake.baseUrl, ...env };
  const opts = { payments: { tickMs: 50, tossTimeoutMs: 500 } };
  const first = await boot(tossEnv, opts);
  // The second server opens the first one's database (SQLite: its file, which first.stop() removes, so last).
  stops.push(() => first.stop());
  await scenario(t, first, fake, async () => {
    const second = await boot({ ...tossEnv, DATABASE_URL: first.config.databaseUrl }, opts);
    stops.unshift(() => second.stop());
    return second;
  });
}

const stopAll = async (stops: Array<() => Promise<void>>): Promise<void> => {
  for (const stop of stops) await stop();
};

t.test('sqlite', async (t) => {
  const stops: Array<() => Promise<void>> = [];
  t.teardown(() => stopAll(stops));
  await run(t, {}, stops);
});

t.test('mariadb', async (t) => {
  const stops: Array<() => Promise<void>> = [];
  const db = await mariaDbDatabase(t, () => stopAll(stops));
  if (db === null) return;
  await run(t, { DATABASE_URL: db.url }, stops);
});

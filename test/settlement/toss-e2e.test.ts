// Toss payouts end to end over HTTP, against the loopback fake: a run requests each payout from Toss
// (encrypted), the signed payout.changed webhook completes or fails it (a failure goes back to payable
// for the next run); forged, tampered or repeated webhooks change nothing. SQLite and MariaDB.
import t, { type Test } from 'tap';
import { lastEndedPeriod } from '../../engine/settlement/periods.ts';
import { mariaDbDatabase } from '../helpers/services.ts';
import { api, boot, type Booted } from '../gateway/harness.ts';
import { FakeTossPayouts, PAYOUT_SECRET_KEY, SECURITY_KEY } from '../fakes/toss-payouts.ts';
import { ACCOUNT, autoNet } from './world.ts';

async function scenario(t: Test, b: Booted, fake: FakeTossPayouts): Promise<void> {
  const rt = b.server.settlement;
  const period = lastEndedPeriod(Date.now());
  const at = Date.parse(`${period}T03:00:00Z`);
  const tag = Math.random().toString(36).slice(2, 8);
  const [good, bad] = [`good-${tag}`, `bad-${tag}`];
  const admin = await b.token(`admin-${tag}`, { role: 'admin' });
  for (const s of [good, bad]) {
    t.equal((await api(b.http, 'PUT', `/api/v1/sellers/${s}/settlement/payout-account`, { token: await b.token(s), body: ACCOUNT })).status, 200);
    const orderId = `o-${s}`;
    await rt.store.post(rt.service.captured({ orderId, sellerId: s, amount: 20_000, at }));
    await rt.store.post(await rt.service.confirmed({ orderId, sellerId: s, categoryId: null, price: 20_000, at: at + 1 }));
  }
  const run = await api(b.http, 'POST', '/api/v1/admin/settlements/run', { token: admin, body: { period } });
  t.match(run, { status: 200, body: { opened: 2, requested: 2, completed: 0 } });
  t.equal(fake.payouts.size, 2, 'Toss took both');
  const id = async (s: string) => ((await api(b.http, 'GET', '/api/v1/settlements', { token: await b.token(s) })).body.items[0].id as string);
  const [goodId, badId] = [await id(good), await id(bad)];
  const hook = `${b.http}/api/v1/settlement/webhooks/toss`;
  const bal = async () => (await api(b.http, 'GET', `/api/v1/admin/ledger/balances?account=paid_out:${good}&account=payable:${bad}&account=in_transit:${good}&account=in_transit:${bad}`, { token: admin })).body.balances;
  const before = await bal();
  t.equal(await fake.sendWebhook(hook, goodId, 'COMPLETED', { key: 'c3'.repeat(32) }), 401, 'signed with another key');
  t.equal(await fake.sendWebhook(hook, badId, 'FAILED', { tamper: true }), 401, 'a body changed after signing');
  t.same(await bal(), before, 'nothing changed');
  const raw = await api(b.http, 'POST', '/api/v1/settlement/webhooks/toss', { body: { eventType: 'payout.changed', data: { refPayoutId: goodId, status: 'COMPLETED' } } });
  t.match(raw, { status: 401, body: { code: 'WEBHOOK_SIGNATURE_INVALID' } }, 'unsigned');

  t.equal(await fake.sendWebhook(hook, goodId, 'COMPLETED'), 200);
  t.equal(await fake.sendWebhook(hook, goodId, 'COMPLETED'), 200, 'a repeat is answered');
  t.equal(await fake.sendWebhook(hook, badId, 'FAILED'), 200);
  t.same(await bal(), { [`in_transit:${bad}`]: 0, [`in_transit:${good}`]: 0, [`paid_out:${good}`]: autoNet(20_000), [`payable:${bad}`]: autoNet(20_000) }, 'paid once; the failure is back in payable');
  t.match((await api(b.http, 'GET', `/api/v1/settlements/${goodId}`, { token: await b.token(good) })).body, { status: 'PAID' });
  t.match((await api(b.http, 'GET', `/api/v1/settlements/${badId}`, { token: await b.token(bad) })).body, { status: 'FAILED' });
  t.equal(await fake.sendWebhook(hook, badId, 'COMPLETED'), 200, 'a late contradiction');
  t.same(await bal(), { [`in_transit:${bad}`]: 0, [`in_transit:${good}`]: 0, [`paid_out:${good}`]: autoNet(20_000), [`payable:${bad}`]: autoNet(20_000) }, 'changes nothing');
}

const env = (url: string): Record<string, string> => ({ SETTLEMENT_PAYOUTS: 'toss', TOSS_PAYOUTS_SECRET_KEY: PAYOUT_SECRET_KEY, TOSS_SECURITY_KEY: SECURITY_KEY, TOSS_PAYOUTS_BASE_URL: url });

t.test('sqlite', async (t) => {
  const fake = await FakeTossPayouts.start();
  t.teardown(() => fake.close());
  const b = await boot(env(fake.baseUrl));
  t.teardown(() => b.stop());
  await scenario(t, b, fake);
});

t.test('mariadb', async (t) => {
  const fake = await FakeTossPayouts.start();
  t.teardown(() => fake.close());
  let booted: Booted | null = null;
  const db = await mariaDbDatabase(t, async () => booted?.stop());
  if (db === null) return;
  booted = await boot({ DATABASE_URL: db.url, ...env(fake.baseUrl) });
  await scenario(t, booted, fake);
});

t.test('without Toss payouts no webhook verifies', async (t) => {
  const b = await boot();
  t.teardown(() => b.stop());
  t.match(await api(b.http, 'POST', '/api/v1/settlement/webhooks/toss', { body: {} }), { status: 401, body: { code: 'WEBHOOK_SIGNATURE_INVALID', detail: /not configured/ } });
});

// End to end over HTTP, on SQLite and on MariaDB: three sellers with orders confirmed, refunded, partly
// refunded and still open across two periods, money events seeded through the LedgerPostings seam (as
// payments posts them; payments-e2e.test.ts goes through payments itself, in one period). The admin's
// run pays each seller exactly the sum of (price - fee) of their confirmed orders; the bank file and the settlement CSV parse and add up; a second run of the same
// period pays nothing more; refusals change nothing.
import t, { type Test } from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { feeOf } from '../../engine/settlement/fees.ts';
import { lastEndedPeriod } from '../../engine/settlement/periods.ts';
import { mariaDbDatabase } from '../helpers/services.ts';
import { api, boot, type Booted } from '../gateway/harness.ts';
import { ACCOUNT } from './world.ts';

const DAY = 86_400_000;
const net = (price: number): number => price - feeOf(price, 500, 100);

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.csv')) out.push(path.join(e.parentPath, e.name));
  return out;
}

async function scenario(t: Test, b: Booted): Promise<void> {
  const rt = b.server.settlement;
  const now = Date.now();
  const p2 = lastEndedPeriod(now); // yesterday in Seoul
  const p1 = lastEndedPeriod(now - DAY);
  const inP1 = Date.parse(`${p1}T03:00:00Z`); // noon in Seoul
  const inP2 = inP1 + DAY;
  const tag = Math.random().toString(36).slice(2, 8);
  const sellers = ['s1', 's2', 's3'].map((s) => `${s}-${tag}`);
  const admin = await b.token(`admin-${tag}`, { role: 'admin' });
  const tokens = Object.fromEntries(await Promise.all(sellers.map(async (s) => [s, await b.token(s)] as const)));
  for (const s of sellers) {
    const r = await api(b.http, 'PUT', `/api/v1/sellers/${s}/settlement/payout-account`, { token: tokens[s], body: { ...ACCOUNT, holderName: `holder ${s}` } });
    t.equal(r.status, 200, JSON.stringify(r.body));
  }
  const [s1, s2, s3] = sellers;
  let n = 0;
  const pay = async (seller: string, amount: number, at: number) => {
    const orderId = `o-${tag}-${++n}`;
    await rt.store.post(rt.service.captured({ orderId, sellerId: seller, amount, at }));
    return orderId;
  };
  const refund = (orderId: string, seller: string, amount: number, at: number) => rt.store.post(rt.service.refunded({ orderId, sellerId: seller, refundId: `${orderId}-r`, amount, at }));
  const confirm = async (orderId: string, seller: string, price: number, at: number) => rt.store.post(await rt.service.confirmed({ orderId, sellerId: seller, categoryId: null, price, at }));

  const a = await pay(s1, 12_000, inP1); await confirm(a, s1, 12_000, inP1 + 1);
  const b1 = await pay(s1, 30_000, inP1); await refund(b1, s1, 10_000, inP1 + 1); await confirm(b1, s1, 20_000, inP1 + 2);
  const c = await pay(s2, 45_000, inP1); await refund(c, s2, 45_000, inP1 + 1);
  const d = await pay(s2, 1_000, inP1); await confirm(d, s2, 1_000, inP1 + 1);
  await pay(s3, 80_000, inP1); // still open
  const e = await pay(s3, 33_333, inP2); await confirm(e, s3, 33_333, inP2 + 1);
  const f = await pay(s1, 7_000, inP2); await confirm(f, s1, 7_000, inP2 + 1);

  const balancesBefore = (await api(b.http, 'GET', '/api/v1/admin/ledger/balances', { token: admin })).body;

  // Refusals first: they change nothing.
  t.match(await api(b.http, 'POST', '/api/v1/admin/settlements/run', { token: tokens[s1], body: { period: p1 } }), { status: 403, body: { code: 'FORBIDDEN' } });
  for (const period of ['2026-02-30', 'yesterday', '2026/12/01', '']) {
    t.match(await api(b.http, 'POST', '/api/v1/admin/settlements/run', { token: admin, body: { period } }), { status: 400, body: { code: 'PERIOD_INVALID' } }, period);
  }
  t.match(await api(b.http, 'POST', '/api/v1/admin/settlements/run', { token: admin, body: { period: 20261201 } }), { status: 400, body: { code: 'VALIDATION_FAILED' } });
  t.match(await api(b.http, 'POST', '/api/v1/admin/settlements/run', { token: admin, body: { period: lastEndedPeriod(now + DAY) } }), { status: 409, body: { code: 'PERIOD_NOT_ENDED' } });
  t.match(await api(b.http, 'POST', '/api/v1/admin/settlements/run', { body: { period: p1 } }), { status: 401 });
  t.same((await api(b.http, 'GET', '/api/v1/admin/ledger/balances', { token: admin })).body, balancesBefore, 'nothing moved');
  t.match(await api(b.http, 'GET', '/api/v1/admin/ledger/balances', { token: tokens[s1] }), { status: 403 });
  t.match(await api(b.http, 'GET', `/api/v1/admin/settlements/reconciliation?period=${p1}`, { token: admin }), { status: 501, body: { code: 'RECONCILIATION_NOT_CONFIGURED' } });

  // Period 1.
  const run1 = await api(b.http, 'POST', '/api/v1/admin/settlements/run', { token: admin, body: { period: p1 } });
  t.equal(run1.status, 200, JSON.stringify(run1.body));
  const owed1 = { [s1]: net(12_000) + net(20_000), [s2]: net(1_000), [s3]: 0 };
  const mine = async (s: string) => (await api(b.http, 'GET', '/api/v1/settlements', { token: tokens[s] })).body.items as Array<{ id: string; period: string; amount: number; lines: Array<{ orderId: string; price: number; fee: number; net: number }> }>;
  for (const s of sellers) {
    const items = (await mine(s)).filter((x) => x.period === p1);
    t.equal(items.reduce((sum, x) => sum + x.amount, 0), owed1[s], `${s} is owed ${owed1[s]} for ${p1}`);
  }
  const [st1] = await mine(s1);
  t.same(st1.lines.map((l) => [l.orderId, l.price, l.fee, l.net]), [[a, 12_000, 600, 11_400], [b1, 20_000, 1_000, 19_000]]);
  const one = await api(b.http, 'GET', `/api/v1/settlements/${st1.id}`, { token: tokens[s1] });
  t.match(one, { status: 200, body: { id: st1.id, sellerId: s1, status: 'PAID' } });
  t.match(await api(b.http, 'GET', `/api/v1/settlements/${st1.id}`, { token: tokens[s2] }), { status: 404, body: { code: 'SETTLEMENT_NOT_FOUND' } }, 'another seller\'s');
  t.match(await api(b.http, 'GET', `/api/v1/settlements/${st1.id}.csv`, { token: tokens[s2] }), { status: 404, body: { code: 'SETTLEMENT_NOT_FOUND' } });
  t.match(await api(b.http, 'GET', `/api/v1/settlements?all=true`, { token: tokens[s2] }), { status: 403 });
  const csv = await api(b.http, 'GET', `/api/v1/settlements/${st1.id}.csv`, { token: tokens[s1] });
  t.equal(csv.status, 200);
  t.match(csv.type, /^text\/csv/);
  const rows = (csv.body as string).trim().split('\r\n').map((r) => r.split(','));
  t.equal(rows.length, 4, 'header, two orders, total');
  t.equal(rows.slice(1, -1).reduce((s, r) => s + Number(r[4]), 0), Number(rows.at(-1)![4]));
  t.equal(Number(rows.at(-1)![4]), owed1[s1], 'the CSV adds up to what was paid');

  const again = await api(b.http, 'POST', '/api/v1/admin/settlements/run', { token: admin, body: { period: p1 } });
  t.match(again.body, { opened: 0, amount: 0 }, 'the same period again pays nothing more');

  // Period 2: what was confirmed after the first cutoff; two runs at once, one does the work.
  const both = await Promise.all([1, 2].map(() => api(b.http, 'POST', '/api/v1/admin/settlements/run', { token: admin, body: { period: p2 } })));
  t.same(both.map((r) => r.status), [200, 200]);
  t.equal(both[0].body.opened + both[1].body.opened, 2, 'two settlements opened between them, not four');
  const owed2 = { [s1]: net(7_000), [s2]: 0, [s3]: net(33_333) };
  for (const s of sellers) {
    const items = (await mine(s)).filter((x) => x.period === p2);
    t.equal(items.reduce((sum, x) => sum + x.amount, 0), owed2[s], `${s} is owed ${owed2[s]} for ${p2}`);
  }

  // The bank files: one line per seller per payout, adding up to every settlement's amount.
  const paidInFiles = new Map<string, number>();
  for (const file of await files(path.join(b.config.dataDir, 'settlement'))) {
    const lines = (await readFile(file, 'utf8')).trim().split('\r\n');
    t.equal(lines[0], 'payout_id,seller_id,bank_code,account_number,holder_name,amount_krw');
    for (const l of lines.slice(1)) {
      const [, seller, bank, acct, holder, amount] = l.split(',');
      t.same([bank, acct, holder], [ACCOUNT.bankCode, ACCOUNT.accountNumber, `holder ${seller}`]);
      paidInFiles.set(seller, (paidInFiles.get(seller) ?? 0) + Number(amount));
    }
  }
  for (const s of sellers) t.equal(paidInFiles.get(s) ?? 0, owed1[s] + owed2[s], `${s}: the files pay exactly what is owed`);

  const bal = (await api(b.http, 'GET', `/api/v1/admin/ledger/balances?${sellers.flatMap((s) => [`account=payable:${s}`, `account=paid_out:${s}`]).join('&')}`, { token: admin })).body.balances;
  for (const s of sellers) {
    t.equal(bal[`paid_out:${s}`] ?? 0, owed1[s] + owed2[s], `${s}: paid out in the ledger`);
    t.equal(bal[`payable:${s}`] ?? 0, 0, `${s}: nothing left payable`);
  }
  const all = (await api(b.http, 'GET', '/api/v1/admin/ledger/balances', { token: admin })).body.balances as Record<string, number>;
  t.equal(Object.values(all).reduce((x, y) => x + y, 0), 0, 'the ledger sums to zero');
}

t.test('sqlite', async (t) => {
  const b = await boot();
  t.teardown(() => b.stop());
  await scenario(t, b);
});

t.test('mariadb', async (t) => {
  let booted: Booted | null = null;
  const db = await mariaDbDatabase(t, async () => booted?.stop());
  if (db === null) return;
  booted = await boot({ DATABASE_URL: db.url });
  await scenario(t, booted);
});

t.test('a seller held for want of a payout account is told in their inbox, once per period', async (t) => {
  const b = await boot();
  t.teardown(() => b.stop());
  const rt = b.server.settlement;
  const period = lastEndedPeriod(Date.now());
  const at = Date.parse(`${period}T03:00:00Z`);
  const seller = `held-${Math.random().toString(36).slice(2, 8)}`;
  const admin = await b.token('admin-held', { role: 'admin' });
  const token = await b.token(seller);
  await rt.store.post(rt.service.captured({ orderId: `o-${seller}`, sellerId: seller, amount: 40_000, at }));
  await rt.store.post(await rt.service.confirmed({ orderId: `o-${seller}`, sellerId: seller, categoryId: null, price: 40_000, at: at + 1 }));
  for (let i = 0; i < 2; i++) {
    t.match((await api(b.http, 'POST', '/api/v1/admin/settlements/run', { token: admin, body: { period } })).body, { held: 1, opened: 0 });
  }
  const inbox = (await api(b.http, 'GET', '/api/v1/inbox', { token })).body.items as { kind: string; price: number; readAt: unknown }[];
  t.match(inbox, [{ kind: 'payout_held', price: net(40_000), readAt: null }], 'one item, with the amount held');
  t.equal(inbox.length, 1, 'not repeated by the second run');
});

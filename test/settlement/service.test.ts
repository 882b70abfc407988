// The settlement service over memory, SQLite and MariaDB, money events driven through the LedgerPostings
// seam: a run pays each seller the sum of (price - fee) of their orders confirmed before the cutoff,
// exactly once, whatever reruns, crashes or concurrent runs; failed payouts are reversed and retried;
// sellers without a payout account are held and told; refusals change nothing.
import t from 'tap';
import { OkjError } from '../../engine/errors.ts';
import { settlementSubjects } from './stores.ts';
import { ACCOUNT, ADMIN, autoNet, DAY, DEC1, world } from './world.ts';

for (const subject of settlementSubjects()) {
  t.test(subject.name, async (t) => {
    const opened = await subject.open(t);
    if (opened === null) return;
    const { store } = opened;

    await t.test('three sellers across two periods: each paid exactly, once', async (t) => {
      const w = world(store);
      const [s1, s2, s3] = ['s1', 's2', 's3'].map((s) => `${s}-${Math.random().toString(36).slice(2)}`);
      for (const s of [s1, s2, s3]) await w.service.setPayoutAccount({ userId: s, role: 'user' }, s, ACCOUNT);
      // Day 1 (period 2026-12-01).
      w.clock.set(DEC1 + 3_600_000);
      const a = await w.pay(s1, 10_000); await w.confirm(a, s1, 10_000);
      const b = await w.pay(s1, 25_000); await w.refund(b, s1, 5_000); await w.confirm(b, s1, 20_000); // partly refunded
      const c = await w.pay(s2, 40_000); await w.refund(c, s2, 40_000); // fully refunded: no confirmation
      const d = await w.pay(s2, 1_500); await w.confirm(d, s2, 1_500);
      const e = await w.pay(s3, 70_000); // still open
      // Day 2 (period 2026-12-02): confirmed after the first cutoff.
      w.clock.set(DEC1 + DAY + 3_600_000);
      const f = await w.pay(s3, 9_999); await w.confirm(f, s3, 9_999);
      await w.confirm(e, s3, 70_000);
      w.clock.set(DEC1 + 2 * DAY + 4 * 3_600_000); // 2026-12-03 04:00 Seoul

      const first = await w.service.run(ADMIN, '2026-12-01');
      t.match(first, { opened: 2, amount: autoNet(10_000) + autoNet(20_000) + autoNet(1_500), completed: 2, held: 0 });
      const paid = (s: string) => w.gateway.sent.filter((x) => x.payout.sellerId === s).reduce((sum, x) => sum + x.payout.amount, 0);
      t.equal(paid(s1), autoNet(10_000) + autoNet(20_000));
      t.equal(paid(s2), autoNet(1_500));
      t.equal(paid(s3), 0, 'confirmed after the cutoff: not in this period');
      t.match(await w.service.run(ADMIN, '2026-12-01'), { opened: 0, amount: 0, resent: 0 }, 'the same period again pays nothing');

      const second = await w.service.run(ADMIN, '2026-12-02');
      t.match(second, { opened: 1, amount: autoNet(9_999) + autoNet(70_000) });
      t.equal(paid(s3), autoNet(9_999) + autoNet(70_000));
      t.equal(w.gateway.sent.length, 3, 'three payouts in all');

      const list = await w.service.settlements({ userId: s1, role: 'user' }, false, 10);
      t.equal(list.length, 1);
      t.match(list[0], { sellerId: s1, period: '2026-12-01', status: 'PAID', amount: autoNet(10_000) + autoNet(20_000) });
      t.same(list[0].lines.map((l) => [l.orderId, l.price, l.fee, l.net]), [[a, 10_000, 500, 9_500], [b, 20_000, 1_000, 19_000]]);
      const csv = await w.service.settlementCsv({ userId: s1, role: 'user' }, list[0].id);
      const rows = csv.trim().split('\r\n').map((r) => r.split(','));
      t.same(rows[0], ['order_id', 'confirmed_at', 'price_krw', 'fee_krw', 'net_krw']);
      t.equal(rows.slice(1, -1).reduce((s, r) => s + Number(r[4]), 0), Number(rows.at(-1)![4]), 'the CSV adds up');
      t.equal(Number(rows.at(-1)![4]), list[0].amount);
      await t.rejects(w.service.settlement({ userId: s2, role: 'user' }, list[0].id), { code: 'SETTLEMENT_NOT_FOUND' }, 'another seller\'s');
      await t.rejects(w.service.settlementCsv({ userId: s2, role: 'user' }, list[0].id), { code: 'SETTLEMENT_NOT_FOUND' });
      const balances = await w.service.balances(ADMIN, [`payable:${s1}`, `paid_out:${s1}`, `escrow:${c}`, `in_transit:${s1}`]);
      t.same(balances, { [`escrow:${c}`]: 0, [`in_transit:${s1}`]: 0, [`paid_out:${s1}`]: 28_500, [`payable:${s1}`]: 0 });
    });

    await t.test('a seller without a payout account is held and told once; paid once they add one', async (t) => {
      const w = world(store);
      const s = `held-${Math.random().toString(36).slice(2)}`;
      w.clock.set(DEC1 + 3_600_000);
      const o = await w.pay(s, 30_000); await w.confirm(o, s, 30_000);
      w.clock.set(DEC1 + DAY + 3_600_000);
      t.match(await w.service.run(ADMIN, '2026-12-01'), { held: 1, opened: 0 });
      t.match(await w.service.run(ADMIN, '2026-12-01'), { held: 1, opened: 0 });
      t.same(w.held.filter((h) => h.sellerId === s), [{ sellerId: s, period: '2026-12-01', amount: autoNet(30_000) }], 'told once');
      t.same((await w.service.seller({ userId: s, role: 'user' }, s)).holds.map((h) => h.period), ['2026-12-01']);
      await w.service.setPayoutAccount({ userId: s, role: 'user' }, s, ACCOUNT);
      t.match(await w.service.run(ADMIN, '2026-12-01'), { opened: 1, amount: autoNet(30_000) });
    });

    await t.test('a failed payout is reversed and paid by the next run', async (t) => {
      const w = world(store);
      const s = `fail-${Math.random().toString(36).slice(2)}`;
      await w.service.setPayoutAccount({ userId: s, role: 'user' }, s, ACCOUNT);
      w.clock.set(DEC1 + 3_600_000);
      const o = await w.pay(s, 50_000); await w.confirm(o, s, 50_000);
      w.clock.set(DEC1 + DAY + 3_600_000);
      w.gateway.outcome = (p) => (p.sellerId === s ? { kind: 'failed', reason: 'account closed' } : { kind: 'completed', reference: 'x' });
      t.match(await w.service.run(ADMIN, '2026-12-01'), { opened: 1, failed: 1 });
      t.same(await w.service.balances(ADMIN, [`payable:${s}`, `in_transit:${s}`]), { [`in_transit:${s}`]: 0, [`payable:${s}`]: autoNet(50_000) }, 'back to payable');
      w.gateway.outcome = (p) => ({ kind: 'completed', reference: `ok-${p.id}` });
      t.match(await w.service.run(ADMIN, '2026-12-01'), { opened: 0 }, 'not again in the same period');
      w.clock.set(DEC1 + 2 * DAY + 3_600_000);
      t.match(await w.service.run(ADMIN, '2026-12-02'), { opened: 1, amount: autoNet(50_000), completed: 1 }, 'the next run pays it');
      t.same(await w.service.balances(ADMIN, [`payable:${s}`, `paid_out:${s}`]), { [`paid_out:${s}`]: autoNet(50_000), [`payable:${s}`]: 0 });
    });

    await t.test('IMMEDIATELY: paid in the next run after each confirmation, at its higher rate', async (t) => {
      const w = world(store);
      const s = `imm-${Math.random().toString(36).slice(2)}`;
      await w.service.setPayoutAccount({ userId: s, role: 'user' }, s, ACCOUNT);
      await w.service.setPlan({ userId: s, role: 'user' }, s, 'IMMEDIATELY');
      w.clock.set(DEC1 + DAY + 3_600_000); // on 2 December
      const o = await w.pay(s, 10_000); await w.confirm(o, s, 10_000);
      const r = await w.service.run(ADMIN, '2026-12-01');
      t.match(r, { opened: 1, amount: 10_000 - 800 }, 'confirmed after the cutoff, paid by this run, 8%');
    });

    await t.test('a run that crashed after opening is finished by a later one; two at once pay once', async (t) => {
      const w = world(store, 1_000);
      const sellers = ['c1', 'c2', 'c3'].map((s) => `${s}-${Math.random().toString(36).slice(2)}`);
      w.clock.set(DEC1 + 3_600_000);
      for (const s of sellers) {
        await w.service.setPayoutAccount({ userId: s, role: 'user' }, s, ACCOUNT);
        const o = await w.pay(s, 20_000); await w.confirm(o, s, 20_000);
      }
      w.clock.set(DEC1 + DAY + 3_600_000);
      const { SettlementService } = await import('../../app/settlement/service.ts');
      const crashing = new SettlementService({ store, gateway: w.gateway, clock: w.clock, claimMs: 1_000, payments: null, afterOpen: async () => { throw new Error('crash'); } });
      await t.rejects(crashing.run(ADMIN, '2026-12-01'), /crash/);
      const mine = () => w.gateway.sent.filter((x) => sellers.includes(x.payout.sellerId));
      t.equal(mine().length, 0, 'nothing sent before the crash');
      t.match(await w.service.run(ADMIN, '2026-12-01'), { opened: 0, resent: 0 }, 'the crashed run still holds its claim');
      w.clock.advance(1_000);
      const [x, y] = await Promise.all([w.service.run(ADMIN, '2026-12-01'), w.service.run(ADMIN, '2026-12-01')]);
      t.equal(x.resent + y.resent, 3, 'the lapsed payouts were claimed once between them');
      t.same(mine().map((m) => m.payout.sellerId).sort(), [...sellers].sort(), 'each seller paid once');
      w.clock.advance(10_000);
      await w.service.run(ADMIN, '2026-12-01');
      t.equal(mine().length, 3, 'and never again');
    });

    await t.test('two fresh runs at once: one does the work', async (t) => {
      const w = world(store);
      const sellers = ['d1', 'd2'].map((s) => `${s}-${Math.random().toString(36).slice(2)}`);
      w.clock.set(DEC1 + 3_600_000);
      for (const s of sellers) {
        await w.service.setPayoutAccount({ userId: s, role: 'user' }, s, ACCOUNT);
        const o = await w.pay(s, 5_000); await w.confirm(o, s, 5_000);
      }
      w.clock.set(DEC1 + DAY + 3_600_000);
      const runs = await Promise.all([w.service.run(ADMIN, '2026-12-01'), w.service.run(ADMIN, '2026-12-01')]);
      const mine = w.gateway.sent.filter((x) => sellers.includes(x.payout.sellerId));
      t.equal(mine.length, 2, 'each seller once');
      t.equal(runs.reduce((s, r) => s + r.opened, 0) >= 2, true);
    });

    await t.test('refusals change nothing', async (t) => {
      const w = world(store);
      const user = { userId: 'u', role: 'user' as const };
      w.clock.set(DEC1 + DAY + 3_600_000);
      await t.rejects(w.service.run(user, '2026-12-01'), { code: 'FORBIDDEN' });
      for (const p of ['2026-13-01', '20261201', '', null, 5, '2026-12-1']) await t.rejects(w.service.run(ADMIN, p), { code: 'PERIOD_INVALID' }, String(p));
      await t.rejects(w.service.run(ADMIN, '2026-12-02'), { code: 'PERIOD_NOT_ENDED' });
      await t.rejects(w.service.settlements(user, true, 10), { code: 'FORBIDDEN' });
      await t.rejects(w.service.balances(user, null), { code: 'FORBIDDEN' });
      await t.rejects(w.service.createFeePolicy(user, { categoryId: null, plan: 'AUTO', rateBps: 1, minFee: 0, effectiveFrom: 0 }), { code: 'FORBIDDEN' });
      await t.rejects(w.service.createFeePolicy(ADMIN, { categoryId: null, plan: 'AUTO', rateBps: 10_001, minFee: 0, effectiveFrom: 0 }), { code: 'FEE_POLICY_INVALID' });
      await t.rejects(w.service.deleteFeePolicy(ADMIN, 'nope'), { code: 'FEE_POLICY_NOT_FOUND' });
      await t.rejects(w.service.setPayoutAccount(user, 'someone-else', ACCOUNT), { code: 'FORBIDDEN' });
      await t.rejects(w.service.setPayoutAccount(user, 'u', { ...ACCOUNT, accountNumber: '12-34' }), { code: 'PAYOUT_ACCOUNT_INVALID' });
      await t.rejects(w.service.reconcile(ADMIN, '2026-12-01'), { code: 'RECONCILIATION_NOT_CONFIGURED' });
      t.same((await w.service.seller(user, 'u')).payoutAccount, null, 'nothing stored');
      t.ok(new OkjError('PERIOD_INVALID').status === 400);
    });

    await t.test('a fee policy fixed at confirmation is not rewritten by a later one', async (t) => {
      const w = world(store);
      const s = `fee-${Math.random().toString(36).slice(2)}`;
      const cat = `cat-${Math.random().toString(36).slice(2, 8)}`;
      await w.service.setPayoutAccount({ userId: s, role: 'user' }, s, ACCOUNT);
      w.clock.set(DEC1 + 3_600_000);
      await w.service.createFeePolicy(ADMIN, { categoryId: cat, plan: 'AUTO', rateBps: 1_000, minFee: 0, effectiveFrom: DEC1 });
      const o = await w.pay(s, 10_000);
      await store.post(await w.service.confirmed({ orderId: o, sellerId: s, categoryId: cat, price: 10_000, at: w.clock.now() }));
      await w.service.createFeePolicy(ADMIN, { categoryId: cat, plan: 'AUTO', rateBps: 3_000, minFee: 0, effectiveFrom: DEC1 });
      w.clock.set(DEC1 + DAY + 3_600_000);
      t.match(await w.service.run(ADMIN, '2026-12-01'), { opened: 1, amount: 9_000 }, '10% as at confirmation');
    });
  });
}

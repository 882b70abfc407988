// Settlement's pure rules: postings, fees, periods and the cron.
import t from 'tap';
import { kindOf, mayGoNegative } from '../../engine/settlement/accounts.ts';
import { nextOccurrence, parseCron } from '../../engine/settlement/cron.ts';
import { BUILT_IN_POLICIES, feeFor, feeOf, feePolicyProblem, policyFor } from '../../engine/settlement/fees.ts';
import type { FeePolicy } from '../../engine/settlement/model.ts';
import { cutoffOf, lastEndedPeriod, periodAt, periodProblem } from '../../engine/settlement/periods.ts';
import { balanced, captured, confirmed, payoutCompleted, payoutFailed, payoutSent, PostingError, refunded } from '../../engine/settlement/postings.ts';

t.test('each posting is balanced, keyed by its cause and names its accounts', async (t) => {
  const cap = captured({ orderId: 'o1', sellerId: 's1', amount: 10_000, at: 1 });
  t.same(cap.entries, [{ account: 'clearing', amount: -10_000 }, { account: 'escrow:o1', amount: 10_000 }]);
  t.equal(cap.key, 'payment_captured:o1');
  const ref = refunded({ orderId: 'o1', sellerId: 's1', refundId: 'r1', amount: 3_000, at: 2 });
  t.same(ref.entries, [{ account: 'escrow:o1', amount: -3_000 }, { account: 'refunds', amount: 3_000 }]);
  t.equal(ref.key, 'refunded:r1');
  const conf = confirmed({ orderId: 'o1', sellerId: 's1', price: 7_000, fee: 350, at: 3 });
  t.same(conf.entries, [{ account: 'escrow:o1', amount: -7_000 }, { account: 'payable:s1', amount: 6_650 }, { account: 'fee_revenue', amount: 350 }]);
  t.match(conf, { key: 'purchase_confirmed:o1', price: 7_000, fee: 350, orderId: 'o1', sellerId: 's1' });
  const sent = payoutSent({ payoutId: 'p1', sellerId: 's1', amount: 6_650, at: 4 });
  t.same(sent.entries, [{ account: 'payable:s1', amount: -6_650 }, { account: 'in_transit:s1', amount: 6_650 }]);
  t.same(payoutCompleted({ payoutId: 'p1', sellerId: 's1', amount: 6_650, at: 5 }).entries, [{ account: 'in_transit:s1', amount: -6_650 }, { account: 'paid_out:s1', amount: 6_650 }]);
  const failed = payoutFailed({ payoutId: 'p1', sellerId: 's1', amount: 6_650, at: 5 });
  t.same(failed.entries, [{ account: 'in_transit:s1', amount: -6_650 }, { account: 'payable:s1', amount: 6_650 }]);
  t.not(failed.key, sent.key, 'a reversal has a key of its own');
  for (const x of [cap, ref, conf, sent, failed]) t.ok(balanced(x), `${x.key} sums to zero`);
  t.ok(confirmed({ orderId: 'o2', sellerId: 's1', price: 100, fee: 100, at: 3 }).entries.every((e) => e.amount !== 0), 'no zero entry');
});

t.test('bad amounts and fees are refused', async (t) => {
  t.throws(() => captured({ orderId: 'o', sellerId: 's', amount: 0, at: 1 }), PostingError);
  t.throws(() => captured({ orderId: 'o', sellerId: 's', amount: 1.5, at: 1 }), PostingError);
  t.throws(() => refunded({ orderId: 'o', sellerId: 's', refundId: 'r', amount: -1, at: 1 }), PostingError);
  t.throws(() => confirmed({ orderId: 'o', sellerId: 's', price: 100, fee: 101, at: 1 }), PostingError);
  t.throws(() => confirmed({ orderId: 'o', sellerId: 's', price: 100, fee: -1, at: 1 }), PostingError);
  t.notOk(balanced({ ...captured({ orderId: 'o', sellerId: 's', amount: 5, at: 1 }), entries: [{ account: 'clearing', amount: -5 }, { account: 'escrow:o', amount: 4 }] }));
});

t.test('only the clearing account may go negative', async (t) => {
  t.equal(mayGoNegative('clearing'), true);
  for (const a of ['escrow:o', 'payable:s', 'fee_revenue', 'refunds', 'in_transit:s', 'paid_out:s']) t.equal(mayGoNegative(a), false, a);
  t.equal(kindOf('payable:a:b'), 'payable', 'ids may hold colons');
  t.throws(() => kindOf('nope:1'));
});

t.test('fees: floor, minimum, never above the amount', async (t) => {
  t.equal(feeOf(10_001, 500, 100), 500);
  t.equal(feeOf(1_999, 500, 0), 99);
  t.equal(feeOf(1_000, 500, 100), 100, 'the minimum');
  t.equal(feeOf(50, 500, 100), 50, 'at most the amount');
  t.equal(feeOf(1_000_000_000_000, 10_000, 0), 1_000_000_000_000, 'exact at the top of the range');
});

t.test('fee policies: category first, then default, then built in; effective-dated', async (t) => {
  const p = (id: string, categoryId: string | null, plan: 'AUTO' | 'IMMEDIATELY', rateBps: number, effectiveFrom: number, createdAt = 0): FeePolicy =>
    ({ id, categoryId, plan, rateBps, minFee: 0, effectiveFrom, createdAt });
  const policies = [p('d1', null, 'AUTO', 300, 100), p('d2', null, 'AUTO', 400, 200), p('c1', 'cam', 'AUTO', 200, 150), p('c1b', 'cam', 'AUTO', 250, 150, 5)];
  t.equal(policyFor(policies, 'cam', 'AUTO', 160).id, 'c1b', 'the category, the latest created among equal dates');
  t.equal(policyFor(policies, 'cam', 'AUTO', 120).id, 'd1', 'before the category policy starts: the default');
  t.equal(policyFor(policies, 'toys', 'AUTO', 250).id, 'd2');
  t.equal(policyFor(policies, null, 'AUTO', 50).id, 'built-in-auto', 'before any policy: the built-in one');
  t.equal(policyFor(policies, 'cam', 'IMMEDIATELY', 500).id, 'built-in-immediately');
  t.ok(BUILT_IN_POLICIES[1].rateBps > BUILT_IN_POLICIES[0].rateBps, 'IMMEDIATELY costs more');
  t.equal(feeFor(policies, 'toys', 'AUTO', 10_000, 250), 400);
  t.equal(feeFor(policies, 'toys', 'AUTO', 10_000, 150), 300, 'a later policy does not change a fee fixed earlier');
  t.equal(feePolicyProblem({ categoryId: null, plan: 'AUTO', rateBps: 10, minFee: 0, effectiveFrom: 0 }), null);
  t.equal(feePolicyProblem({ categoryId: null, plan: 'NOPE', rateBps: 10, minFee: 0, effectiveFrom: 0 }), 'plan');
  t.equal(feePolicyProblem({ categoryId: null, plan: 'AUTO', rateBps: 10_001, minFee: 0, effectiveFrom: 0 }), 'rateBps');
  t.equal(feePolicyProblem({ categoryId: null, plan: 'AUTO', rateBps: 1.5, minFee: 0, effectiveFrom: 0 }), 'rateBps');
  t.equal(feePolicyProblem({ categoryId: null, plan: 'AUTO', rateBps: 1, minFee: -1, effectiveFrom: 0 }), 'minFee');
  t.equal(feePolicyProblem({ categoryId: null, plan: 'AUTO', rateBps: 1, minFee: 0, effectiveFrom: '0' }), 'effectiveFrom');
  t.equal(feePolicyProblem({ categoryId: '', plan: 'AUTO', rateBps: 1, minFee: 0, effectiveFrom: 0 }), 'categoryId');
});

t.test('periods are Seoul days', async (t) => {
  t.equal(cutoffOf('2026-12-01'), Date.parse('2026-12-01T15:00:00Z'), 'the end of 1 December in Seoul is 15:00 UTC');
  t.equal(periodAt(Date.parse('2026-12-01T14:59:59.999Z')), '2026-12-01');
  t.equal(periodAt(Date.parse('2026-12-01T15:00:00Z')), '2026-12-02');
  t.equal(lastEndedPeriod(Date.parse('2026-12-01T19:00:00Z')), '2026-12-01', '04:00 on the 2nd in Seoul runs the 1st');
  const now = Date.parse('2026-12-02T00:00:00Z');
  t.equal(periodProblem('2026-12-01', now), null);
  t.equal(periodProblem('2026-12-02', now), 'PERIOD_NOT_ENDED');
  for (const bad of ['2026-02-30', '2026-13-01', '26-12-01', '2026-1-01', '2026-12-01T00:00', '', 20261201, null, '1999-12-31', ' 2026-12-01']) {
    t.equal(periodProblem(bad, now), 'PERIOD_INVALID', String(bad));
  }
  t.throws(() => cutoffOf('nope'));
});

t.test('cron: parse and next occurrence in Seoul time', async (t) => {
  const daily = parseCron('0 4 * * *');
  t.equal(nextOccurrence(daily, Date.parse('2026-12-01T18:00:00Z')), Date.parse('2026-12-01T19:00:00Z'), '04:00 KST is 19:00 UTC the day before');
  t.equal(nextOccurrence(daily, Date.parse('2026-12-01T19:00:00Z')), Date.parse('2026-12-02T19:00:00Z'), 'strictly after');
  const every15 = parseCron('*/15 9-10 * * 1-5');
  // Friday 2026-12-04 10:50 KST -> Monday 2026-12-07 09:00 KST
  t.equal(nextOccurrence(every15, Date.parse('2026-12-04T01:50:00Z')), Date.parse('2026-12-07T00:00:00Z'));
  t.equal(nextOccurrence(parseCron('30 0 1 * *'), Date.parse('2026-12-05T00:00:00Z')), Date.parse('2026-12-31T15:30:00Z'), 'the 1st of next month, 00:30 KST');
  t.equal(nextOccurrence(parseCron('0 0 1 * 0'), Date.parse('2026-12-01T00:00:00Z')), Date.parse('2026-12-05T15:00:00Z'), 'day or weekday: Sunday 6 Dec comes first');
  t.equal(nextOccurrence(parseCron('0 0 * * 7'), Date.parse('2026-12-01T00:00:00Z')), Date.parse('2026-12-05T15:00:00Z'), '7 is Sunday');
  t.equal(nextOccurrence(parseCron('0 0 31 2 *'), 0), null, 'never');
  t.same([...parseCron('1,5-7,20-30/5 * * * *').minutes], [1, 5, 6, 7, 20, 25, 30]);
  for (const bad of ['', '* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', 'a * * * *', '*/0 * * * *', '5-1 * * * *', '* * * * * *']) {
    t.throws(() => parseCron(bad), RangeError, JSON.stringify(bad));
  }
});

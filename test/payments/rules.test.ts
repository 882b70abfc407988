// The order's rules (engine/payments/rules.ts): SPEC §5's transitions, and fast-check over random
// command sequences: no illegal state is reachable, refunds never exceed what was paid, and every change
// is in the history with gap-free seq (the history alone rebuilds the order).
import t from 'tap';
import fc from 'fast-check';
import type { OrderEvent, OrderStatus, PaymentOrder } from '../../engine/payments/model.ts';
import {
  decide, evolve, open, refundAmount, refundable, roleOf, suspendedByStrikes, STRIKE_WINDOW_MS, type OrderCommand,
} from '../../engine/payments/rules.ts';

const T0 = 1_000_000;
const PAY_BY = T0 + 72 * 3_600_000;
const opening = { id: 'o1', auctionId: 'a1', productId: 'p1', buyerId: 'bob', sellerId: 'sam', amount: 50_000, payBy: PAY_BY, createdAt: T0 };
const facts = { paymentKey: 'pk1', method: '카드', approvedAt: T0 + 1, receiptUrl: null };

function run(cmds: Array<[OrderCommand, number]>): { order: PaymentOrder; events: OrderEvent[]; refused: string[] } {
  let { order, event } = open(opening);
  const events = [event];
  const refused: string[] = [];
  for (const [cmd, at] of cmds) {
    const d = decide(order, cmd, at);
    if (!d.ok) { refused.push(d.code); continue; }
    order = evolve(order, d.event);
    events.push(d.event);
  }
  return { order, events, refused };
}

const confirm = (amount = 50_000): OrderCommand => ({ type: 'startConfirm', paymentKey: 'pk1', amount, idempotencyKey: 'k1' });
const paid = (amount = 50_000): OrderCommand => ({ type: 'markPaid', payment: facts, amount });

t.test('the happy path: opened, confirming, paid, shipped, confirmed; seq 1 to 5', async (t) => {
  const { order, events, refused } = run([
    [confirm(), T0 + 10], [paid(), T0 + 20], [{ type: 'ship', carrier: 'CJ', trackingNumber: '123' }, T0 + 30],
    [{ type: 'confirmReceipt', automatic: false }, T0 + 40],
  ]);
  t.same(refused, []);
  t.equal(order.status, 'CONFIRMED');
  t.same(events.map((e) => [e.seq, e.type]), [[1, 'OPENED'], [2, 'CONFIRM_STARTED'], [3, 'PAID'], [4, 'SHIPPED'], [5, 'CONFIRMED']]);
  t.same(order.shipment, { carrier: 'CJ', trackingNumber: '123', shippedAt: T0 + 30 });
});

t.test('an amount that is not the order\'s is refused before anything', async (t) => {
  const { order, refused } = run([[confirm(49_999), T0]]);
  t.same(refused, ['PAYMENT_AMOUNT_MISMATCH']);
  t.equal(order.seq, 1);
});

t.test('payBy: no confirm after it, expiry only after it and never with a confirm in flight', async (t) => {
  t.same(run([[confirm(), PAY_BY]]).refused, ['ORDER_NOT_PAYABLE']);
  t.same(run([[{ type: 'expire' }, PAY_BY - 1]]).refused, ['ILLEGAL_ORDER_TRANSITION']);
  t.equal(run([[{ type: 'expire' }, PAY_BY]]).order.status, 'EXPIRED');
  const inFlight = run([[confirm(), PAY_BY - 1], [{ type: 'expire' }, PAY_BY + 5]]);
  t.same(inFlight.refused, ['ILLEGAL_ORDER_TRANSITION'], 'the charge may have happened: Toss settles it first');
  t.equal(run([[confirm(), PAY_BY - 1], [paid(), PAY_BY + 5]]).order.status, 'PAID', 'paid in time, learnt late');
  const late = { type: 'markPaid' as const, payment: { ...facts, approvedAt: PAY_BY }, amount: 50_000 };
  t.same(run([[late, PAY_BY + 5]]).refused, ['ORDER_NOT_PAYABLE'], 'money taken after payBy with no confirm: not taken');
  t.equal(run([[paid(), PAY_BY + 5]]).order.status, 'PAID', 'approved before payBy by Toss\'s clock, learnt after it: in time');
  const failed = run([[confirm(), T0], [{ type: 'confirmFailed', paymentKey: 'pk1', code: 'REJECT_CARD_PAYMENT' }, T0 + 1]]);
  t.equal(failed.order.status, 'AWAITING_PAYMENT', 'a rejected card leaves the order payable');
  t.equal(failed.order.confirming, null);
});

t.test('partial refunds keep the state; the whole amount makes it REFUNDED; never more than paid', async (t) => {
  const base: Array<[OrderCommand, number]> = [[confirm(), T0], [paid(), T0]];
  const r = (amount: number): [OrderCommand, number] => [{ type: 'refund', amount, reason: 'x', transactionKey: null }, T0];
  const partial = run([...base, r(20_000)]);
  t.equal(partial.order.status, 'PAID');
  t.equal(refundable(partial.order), 30_000);
  t.same(run([...base, r(20_000), r(30_001)]).refused, ['REFUND_EXCEEDS_PAID']);
  t.equal(run([...base, r(20_000), r(30_000)]).order.status, 'REFUNDED');
  t.same(run([...base, r(0), r(1.5), r(-1)]).refused, ['VALIDATION_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED']);
  t.same(run([r(1)]).refused, ['ILLEGAL_ORDER_TRANSITION'], 'nothing to refund before payment');
});

t.test('who may refund what', async (t) => {
  const { order } = run([[confirm(), T0], [paid(), T0]]);
  t.equal(roleOf(order, 'bob', false), 'buyer');
  t.equal(roleOf(order, 'sam', false), 'seller');
  t.equal(roleOf(order, 'eve', true), 'admin');
  t.equal(roleOf(order, 'eve', false), 'none');
  t.same(refundAmount(order, 'buyer', undefined), { ok: true, amount: 50_000 });
  t.same(refundAmount(order, 'buyer', 10), { ok: false, code: 'FORBIDDEN' }, 'the buyer refunds the whole amount only');
  t.same(refundAmount(order, 'seller', undefined), { ok: false, code: 'FORBIDDEN' });
  t.same(refundAmount(order, 'admin', 10), { ok: true, amount: 10 });
  t.same(refundAmount(order, 'admin', 50_001), { ok: false, code: 'REFUND_EXCEEDS_PAID' });
  const shipped = evolve(order, { type: 'SHIPPED', carrier: 'c', trackingNumber: 't', orderId: 'o1', seq: order.seq + 1, at: T0 });
  t.same(refundAmount(shipped, 'buyer', undefined), { ok: false, code: 'ILLEGAL_ORDER_TRANSITION' }, 'not after shipping');
  t.same(refundAmount(shipped, 'admin', undefined), { ok: true, amount: 50_000 });
});

t.test('strikes within 180 days', async (t) => {
  const now = 10 * STRIKE_WINDOW_MS;
  t.equal(suspendedByStrikes([now - 1, now - 2, now - 3], now, 3), true);
  t.equal(suspendedByStrikes([now - 1, now - 2, now - STRIKE_WINDOW_MS], now, 3), false, 'one is older than the window');
  t.equal(suspendedByStrikes([now - 1, now - 2], now, 3), false);
});

t.test('evolve refuses an event that does not follow', async (t) => {
  const { order } = open(opening);
  t.throws(() => evolve(order, { type: 'EXPIRED', orderId: 'o1', seq: 3, at: T0 }), /does not follow/);
  t.throws(() => evolve(order, { type: 'EXPIRED', orderId: 'o2', seq: 2, at: T0 }), /does not follow/);
});

// ---- properties ----------------------------------------------------------------------------------

const EDGES: ReadonlySet<string> = new Set([
  'AWAITING_PAYMENT>AWAITING_PAYMENT', 'AWAITING_PAYMENT>PAID', 'AWAITING_PAYMENT>EXPIRED',
  'PAID>PAID', 'PAID>SHIPPED', 'PAID>REFUNDED', 'SHIPPED>SHIPPED', 'SHIPPED>CONFIRMED', 'SHIPPED>REFUNDED',
]);

const amountArb = fc.oneof(fc.constant(50_000), fc.integer({ min: -10, max: 60_000 }), fc.double({ min: 0, max: 60_000 }));
const cmdArb: fc.Arbitrary<OrderCommand> = fc.oneof(
  fc.record({ type: fc.constant('startConfirm' as const), paymentKey: fc.constantFrom('pk1', 'pk2'), amount: amountArb, idempotencyKey: fc.constant('k') }),
  fc.record({ type: fc.constant('confirmFailed' as const), paymentKey: fc.constantFrom('pk1', 'pk2'), code: fc.constant('X') }),
  fc.record({ type: fc.constant('awaitDeposit' as const), paymentKey: fc.constantFrom('pk1', 'pk2') }),
  fc.record({ type: fc.constant('markPaid' as const), payment: fc.constant(facts), amount: amountArb }),
  fc.record({ type: fc.constant('ship' as const), carrier: fc.constant('CJ'), trackingNumber: fc.constant('1') }),
  fc.record({ type: fc.constant('confirmReceipt' as const), automatic: fc.boolean() }),
  fc.constant({ type: 'expire' as const }),
  fc.record({ type: fc.constant('refund' as const), amount: amountArb, reason: fc.constant('r'), transactionKey: fc.constant(null) }),
);
const stepArb = fc.tuple(cmdArb, fc.integer({ min: 0, max: 24 * 3_600_000 }));

t.test('property: only SPEC §5\'s transitions, refunds within what was paid, history gap-free and sufficient', async (t) => {
  fc.assert(fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
    let { order, event } = open(opening);
    const history = [event];
    let now = T0;
    for (const [cmd, wait] of steps) {
      now += wait;
      const before: OrderStatus = order.status;
      const d = decide(order, cmd, now);
      if (!d.ok) continue;
      order = evolve(order, d.event);
      history.push(d.event);
      if (!EDGES.has(`${before}>${order.status}`)) throw new Error(`illegal ${before} -> ${order.status}`);
      if (order.refunded > order.paid || order.refunded < 0) throw new Error(`refunded ${order.refunded} of ${order.paid}`);
      if (order.paid !== 0 && order.paid !== order.amount) throw new Error(`paid ${order.paid} of ${order.amount}`);
      if (order.status === 'REFUNDED' && order.refunded !== order.paid) throw new Error('REFUNDED before the whole amount');
    }
    history.forEach((e, i) => { if (e.seq !== i + 1) throw new Error(`seq ${e.seq} at ${i}`); });
    if (order.seq !== history.length) throw new Error('order seq is not its history length');
    let rebuilt = open(opening).order;
    for (const e of history.slice(1)) rebuilt = evolve(rebuilt, e);
    if (JSON.stringify(rebuilt) !== JSON.stringify(order)) throw new Error('the history does not rebuild the order');
  }), { numRuns: 2000 });
  t.pass('2000 random sequences');
});

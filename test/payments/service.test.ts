// The payments service over memory stores and the memory Toss: the order's whole life, never a second
// charge or a lost one, expiry with strikes and suspension, refunds, webhooks, and no keys.
import t from 'tap';
import { OkjError } from '../../engine/errors.ts';
import { ADMIN, BUYER, DAY, HOUR, SELLER, STRANGER, world } from './fixtures.ts';

const code = (c: string) => ({ name: 'OkjError', code: c });

t.test('win, check out, confirm, ship, confirm receipt: every change in the history and told', async (t) => {
  const w = world();
  const o = w.order();
  const checkout = await w.service.checkout(BUYER, o.id);
  t.match(checkout, { orderId: o.id, amount: 50_000, clientKey: 'test_ck_x', successUrl: /success$/, failUrl: /fail$/ });
  t.notOk(checkout.customerKey.includes('bob'), 'customerKey does not show the user id');
  const paymentKey = w.toss.authorise({ orderId: o.id, amount: 50_000 });
  const paid = await w.service.confirmPayment(BUYER, { paymentKey, orderId: o.id, amount: 50_000 });
  t.equal(paid.order.status, 'PAID');
  t.equal(paid.order.payment?.method, '카드');
  t.equal(w.toss.charges(o.id), 1);
  const again = await w.service.confirmPayment(BUYER, { paymentKey, orderId: o.id, amount: 50_000 });
  t.equal(again.order.seq, paid.order.seq, 'a repeated confirm changes nothing');
  await t.rejects(w.service.ship(BUYER, o.id, 'CJ', '1'), code('FORBIDDEN'));
  await w.service.ship(SELLER, o.id, 'CJ', '1234');
  const done = await w.service.confirmReceipt(BUYER, o.id);
  t.equal(done.order.status, 'CONFIRMED');
  t.same(done.events.map((e) => `${e.seq}:${e.type}`), ['1:OPENED', '2:CONFIRM_STARTED', '3:PAID', '4:SHIPPED', '5:CONFIRMED']);
  t.same(w.told, done.events.map((e) => `${o.id}:${e.type}`), 'each change told once');
  w.advance(8 * DAY);
  await w.worker.runDue();
  t.equal((await w.stores.history(o.id)).length, 5, 'the auto-confirm job was cancelled');
  await t.rejects(w.service.order(STRANGER, o.id), code('ORDER_NOT_FOUND'));
  t.equal((await w.service.order(ADMIN, o.id)).order.id, o.id);
  t.same((await w.service.orders(SELLER, 10)).map((x) => x.id), [o.id]);
});

t.test('an amount that is not the order\'s charges nothing; bad amounts are refused', async (t) => {
  const w = world();
  const o = w.order();
  const paymentKey = w.toss.authorise({ orderId: o.id, amount: 40_000 });
  await t.rejects(w.service.confirmPayment(BUYER, { paymentKey, orderId: o.id, amount: 40_000 }), code('PAYMENT_AMOUNT_MISMATCH'));
  for (const amount of [-1, 0, 1.5, '50000', null]) {
    await t.rejects(w.service.confirmPayment(BUYER, { paymentKey, orderId: o.id, amount }), code('VALIDATION_FAILED'), String(amount));
  }
  await t.rejects(w.service.confirmPayment(STRANGER, { paymentKey, orderId: o.id, amount: 50_000 }), code('ORDER_NOT_FOUND'));
  t.equal(w.toss.charges(o.id), 0);
  t.equal((await w.stores.history(o.id)).length, 1, 'nothing recorded');
});

t.test('a rejected card leaves the order payable', async (t) => {
  const w = world();
  const o = w.order();
  const paymentKey = w.toss.authorise({ orderId: o.id, amount: 50_000 });
  const svc = new (w.service.constructor as typeof import('../../app/payments/service.ts').PaymentsService)({
    stores: w.stores, source: w.source, gateway: w.gateway.withTestCode('REJECT_CARD_PAYMENT'),
    config: (await import('./fixtures.ts')).testConfig, clock: w.clock, log: { info() {}, warn() {}, error() {} },
  });
  const err = await svc.confirmPayment(BUYER, { paymentKey, orderId: o.id, amount: 50_000 }).catch((e: unknown) => e);
  t.ok(err instanceof OkjError && err.code === 'PAYMENT_REJECTED');
  t.same((err as OkjError).details, { providerCode: 'REJECT_CARD_PAYMENT' });
  const order = (await w.service.order(BUYER, o.id)).order;
  t.equal(order.status, 'AWAITING_PAYMENT');
  t.equal(order.confirming, null);
  const other = w.toss.authorise({ orderId: o.id, amount: 50_000 });
  t.equal((await w.service.confirmPayment(BUYER, { paymentKey: other, orderId: o.id, amount: 50_000 })).order.status, 'PAID');
});

t.test('a confirm that times out and is retried charges once; unknown stays PAYMENT_PENDING until Toss answers', async (t) => {
  const w = world();
  const o = w.order();
  const paymentKey = w.toss.authorise({ orderId: o.id, amount: 50_000 });
  w.gateway.failNext({ kind: 'timeout', processed: true }); // Toss charged, the answer was lost
  w.gateway.failNext({ kind: 'timeout', processed: false }); // and the lookup after it times out too
  await t.rejects(w.service.confirmPayment(BUYER, { paymentKey, orderId: o.id, amount: 50_000 }), code('PAYMENT_PENDING'));
  t.not((await w.stores.order(o.id))?.confirming, null, 'recorded as confirming');
  w.advance(80 * HOUR); // payBy passes meanwhile: the expiry waits for Toss's answer
  await w.worker.runDue();
  const paid = await w.service.confirmPayment(BUYER, { paymentKey, orderId: o.id, amount: 50_000 });
  t.equal(paid.order.status, 'PAID', 'settled by asking Toss, not by confirming again');
  t.equal(w.toss.charges(o.id), 1);
  t.equal(paid.events.filter((e) => e.type === 'CONFIRM_STARTED').length, 1);
});

t.test('the reconciler settles a confirm left unknown; no payment at Toss makes the order payable again', async (t) => {
  const w = world();
  const a = w.order();
  const b = w.order();
  const ka = w.toss.authorise({ orderId: a.id, amount: 50_000 });
  const kb = w.toss.authorise({ orderId: b.id, amount: 50_000 });
  w.gateway.failNext({ kind: 'timeout', processed: true });
  w.gateway.failNext({ kind: 'timeout', processed: false });
  await t.rejects(w.service.confirmPayment(BUYER, { paymentKey: ka, orderId: a.id, amount: 50_000 }), code('PAYMENT_PENDING'));
  w.gateway.failNext({ kind: 'reply', status: 502, body: '<html>', processed: false });
  w.gateway.failNext({ kind: 'timeout', processed: false });
  await t.rejects(w.service.confirmPayment(BUYER, { paymentKey: kb, orderId: b.id, amount: 50_000 }), code('PAYMENT_PENDING'));
  w.advance(2 * 60_000);
  t.equal(await w.worker.reconcile(), 2);
  t.equal((await w.stores.order(a.id))?.status, 'PAID');
  const orderB = await w.stores.order(b.id);
  t.equal(orderB?.status, 'AWAITING_PAYMENT');
  t.equal(orderB?.confirming, null);
  t.same([w.toss.charges(a.id), w.toss.charges(b.id)], [1, 0]);
  t.ok(w.findings.includes('failed'));
});

t.test('expiry at payBy: a strike each; at NONPAYMENT_STRIKES_MAX bidding is suspended; an admin lifts it', async (t) => {
  const w = world();
  for (let i = 0; i < 3; i++) {
    const o = w.order();
    await w.service.order(BUYER, o.id); // adopted: its expiry is scheduled
    await t.rejects(w.service.checkout(SELLER, o.id), code('FORBIDDEN'));
    w.advance(72 * HOUR - 1);
    await w.worker.runDue();
    t.equal((await w.stores.order(o.id))?.status, 'AWAITING_PAYMENT', 'not before payBy');
    w.advance(1);
    await w.worker.runDue();
    t.equal((await w.stores.order(o.id))?.status, 'EXPIRED');
    const k = w.toss.authorise({ orderId: o.id, amount: 50_000 });
    await t.rejects(w.service.confirmPayment(BUYER, { paymentKey: k, orderId: o.id, amount: 50_000 }), code('ORDER_NOT_PAYABLE'));
    t.equal(await w.service.suspended('bob'), i === 2, `suspended after ${i + 1} strikes: ${i === 2}`);
  }
  t.equal((await w.stores.strikesOf('bob', 0)).length, 3);
  await w.worker.runDue();
  t.equal((await w.stores.strikesOf('bob', 0)).length, 3, 'a job runs once');
  t.equal(await w.stores.lift('bob', w.clock.now()), true);
  t.equal(await w.service.suspended('bob'), false);
});

t.test('second chance: the buyer lets the order expire; the runner-up accepts the offer at their highest bid and pays', async (t) => {
  const w = world();
  const o = w.order({ amount: 50_000 });
  w.bids.set(o.auctionId, [{ bidder: 'bob', ceiling: 60_000 }, { bidder: 'sam', ceiling: 45_000 }, { bidder: 'cho', ceiling: 48_000 }]);
  const cho = { userId: 'cho', role: 'user' as const };
  await w.service.order(BUYER, o.id);
  await t.rejects(w.service.offerSecondChance(SELLER, o.id), code('ILLEGAL_ORDER_TRANSITION'), 'not before it expired');
  w.advance(72 * HOUR);
  await w.worker.runDue();
  await t.rejects(w.service.offerSecondChance(BUYER, o.id), code('FORBIDDEN'));
  const offer = await w.service.offerSecondChance(SELLER, o.id);
  t.match(offer, { bidderId: 'cho', amount: 48_000, status: 'OPEN', expiresAt: w.clock.now() + 48 * HOUR }, 'the best bidder who is not the buyer, at their ceiling');
  t.same(await w.service.offerSecondChance(SELLER, o.id), offer, 'asked again: the same offer');
  await t.rejects(w.service.acceptOffer(BUYER, offer.id), code('NOT_FOUND'), "not the buyer's to accept");
  const accepted = await w.service.acceptOffer(cho, offer.id);
  t.match(accepted.order, { buyerId: 'cho', sellerId: 'sam', amount: 48_000, status: 'AWAITING_PAYMENT', payBy: w.clock.now() + 72 * HOUR });
  t.same((await w.service.acceptOffer(cho, offer.id)).order.id, accepted.order.id, 'accepting again: the same order');
  t.same((await w.service.orders(cho, 10)).map((x) => x.id), [accepted.order.id], 'listed for the runner-up');
  const k = w.toss.authorise({ orderId: accepted.order.id, amount: 48_000 });
  t.equal((await w.service.confirmPayment(cho, { paymentKey: k, orderId: accepted.order.id, amount: 48_000 })).order.status, 'PAID');
  t.match(await w.stores.offer(offer.id), { status: 'ACCEPTED', newOrderId: accepted.order.id });
});

t.test('a second-chance offer past 48 hours cannot be accepted', async (t) => {
  const w = world();
  const o = w.order();
  w.bids.set(o.auctionId, [{ bidder: 'bob', ceiling: 60_000 }, { bidder: 'cho', ceiling: 40_000 }]);
  await w.service.order(BUYER, o.id);
  w.advance(72 * HOUR);
  await w.worker.runDue();
  const offer = await w.service.offerSecondChance(SELLER, o.id);
  w.advance(48 * HOUR);
  await t.rejects(w.service.acceptOffer({ userId: 'cho', role: 'user' }, offer.id), code('ILLEGAL_ORDER_TRANSITION'));
  const lone = w.order();
  w.bids.set(lone.auctionId, [{ bidder: 'bob', ceiling: 60_000 }]);
  await w.service.order(BUYER, lone.id);
  w.advance(72 * HOUR);
  await w.worker.runDue();
  await t.rejects(w.service.offerSecondChance(SELLER, lone.id), code('NOT_FOUND'), 'no other bidder');
});

t.test('refunds: the buyer the whole amount before shipping; an admin part of it; never more than paid', async (t) => {
  const w = world();
  const pay = async () => {
    const o = w.order();
    const k = w.toss.authorise({ orderId: o.id, amount: 50_000 });
    await w.service.confirmPayment(BUYER, { paymentKey: k, orderId: o.id, amount: 50_000 });
    return o;
  };
  const a = await pay();
  await t.rejects(w.service.refund(BUYER, a.id, 10_000, 'changed my mind', 'k1'), code('FORBIDDEN'));
  const full = await w.service.refund(BUYER, a.id, undefined, 'changed my mind', 'k2');
  t.equal(full.order.status, 'REFUNDED');
  const repeat = await w.service.refund(BUYER, a.id, undefined, 'changed my mind', 'k2').catch((e: OkjError) => e.code);
  t.equal(repeat, 'ILLEGAL_ORDER_TRANSITION', 'nothing left to refund');
  const b = await pay();
  await w.service.ship(SELLER, b.id, 'CJ', '1');
  await t.rejects(w.service.refund(BUYER, b.id, undefined, 'late', 'k3'), code('ILLEGAL_ORDER_TRANSITION'));
  const part = await w.service.refund(ADMIN, b.id, 20_000, 'damaged', 'k4');
  t.equal(part.order.status, 'SHIPPED');
  t.equal(part.order.refunded, 20_000);
  await t.rejects(w.service.refund(ADMIN, b.id, 30_001, 'more', 'k5'), code('REFUND_EXCEEDS_PAID'));
  t.equal((await w.service.refund(ADMIN, b.id, 30_000, 'rest', 'k6')).order.status, 'REFUNDED');
  t.same(w.toss.cancels().filter((c) => c.orderId === b.id).map((c) => c.amount), [20_000, 30_000]);
});

t.test('a refund Toss made that the history lacks is recorded from Toss\'s payment, once', async (t) => {
  const w = world();
  const o = w.order();
  const k = w.toss.authorise({ orderId: o.id, amount: 50_000 });
  await w.service.confirmPayment(BUYER, { paymentKey: k, orderId: o.id, amount: 50_000 });
  // Refunded at Toss (the answer lost, or an operator in Toss's dashboard): only the webhook tells.
  t.ok(w.toss.cancel(k, { cancelReason: 'dashboard', cancelAmount: 15_000 }).ok);
  const hint = (n: number) => JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: String(n), data: { paymentKey: k, orderId: o.id, status: 'PARTIAL_CANCELED' } });
  await w.worker.receive(hint(1));
  await w.worker.runDue();
  await w.worker.receive(hint(2));
  await w.worker.runDue();
  const order = await w.stores.order(o.id);
  t.match(order, { status: 'PAID', refunded: 15_000 });
  t.equal((await w.stores.history(o.id)).filter((e) => e.type === 'REFUNDED').length, 1);
  t.equal((await w.service.refund(ADMIN, o.id, undefined, 'rest', 'k9')).order.status, 'REFUNDED');
});

t.test('webhooks: stored once, a hint only; forged ones change nothing; a deposit after expiry is refunded', async (t) => {
  const w = world();
  const o = w.order();
  await w.service.order(BUYER, o.id);
  const paymentKey = w.toss.authorise({ orderId: o.id, amount: 50_000, method: 'VIRTUAL_ACCOUNT' });
  const waiting = await w.service.confirmPayment(BUYER, { paymentKey, orderId: o.id, amount: 50_000 });
  t.equal(waiting.order.status, 'AWAITING_PAYMENT');
  t.equal(waiting.events.at(-1)?.type, 'AWAITING_DEPOSIT');
  const secret = w.toss.payments().find((p) => p.paymentKey === paymentKey)?.secret;
  t.ok(secret);

  t.equal(await w.worker.receive('not json'), false);
  t.equal(await w.worker.receive(JSON.stringify({ eventType: 'SOMETHING_ELSE', data: {} })), false);
  t.ok(await w.worker.receive(JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', data: { paymentKey: 'tpk_nobody_knows', orderId: o.id, status: 'DONE' } })));
  t.ok(await w.worker.receive(JSON.stringify({ createdAt: 'x', secret: 'wrong', status: 'DONE', transactionKey: 't', orderId: o.id })));
  await w.worker.runDue();
  t.equal((await w.stores.order(o.id))?.status, 'AWAITING_PAYMENT', 'forged webhooks changed nothing');
  t.equal(w.findings.filter((f) => f === 'forged_webhook').length, 2);

  w.advance(72 * HOUR);
  await w.worker.runDue();
  t.equal((await w.stores.order(o.id))?.status, 'EXPIRED');
  t.equal(w.toss.payments().find((p) => p.paymentKey === paymentKey)?.status, 'CANCELED', 'the account was closed: no deposit can land');
});

t.test('money Toss took late for an order that expired is refunded automatically, once', async (t) => {
  const w = world();
  const o = w.order();
  const paymentKey = w.toss.authorise({ orderId: o.id, amount: 50_000 });
  w.gateway.failNext({ kind: 'timeout', processed: false });
  await t.rejects(w.service.confirmPayment(BUYER, { paymentKey, orderId: o.id, amount: 50_000 }), code('PAYMENT_REJECTED'), 'Toss had no payment');
  w.advance(72 * HOUR);
  await w.worker.runDue();
  t.equal((await w.stores.order(o.id))?.status, 'EXPIRED');
  t.ok(w.toss.confirm({ paymentKey, orderId: o.id, amount: 50_000 }).ok, 'Toss finishes the confirm late');
  const hint = JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: 'x', data: { paymentKey, orderId: o.id, status: 'DONE' } });
  t.ok(await w.worker.receive(hint));
  t.ok(await w.worker.receive(hint));
  t.equal((await w.stores.backlog('webhook')).count, 1, 'deduplicated');
  await w.worker.runDue();
  await w.worker.receive(JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: 'y', data: { paymentKey, orderId: o.id, status: 'DONE' } }));
  await w.worker.runDue();
  t.equal((await w.stores.order(o.id))?.status, 'EXPIRED');
  t.same(w.toss.cancels().map((c) => [c.orderId, c.amount]), [[o.id, 50_000]], 'refunded, once');
  t.ok(w.findings.includes('refunded_unpayable'));
});

t.test('a deposit in time pays the order through its webhook', async (t) => {
  const w = world();
  const o = w.order();
  const paymentKey = w.toss.authorise({ orderId: o.id, amount: 50_000, method: 'VIRTUAL_ACCOUNT' });
  await w.service.confirmPayment(BUYER, { paymentKey, orderId: o.id, amount: 50_000 });
  w.toss.deposit(paymentKey);
  await w.worker.receive(JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: 'x', data: { paymentKey, orderId: o.id, status: 'DONE' } }));
  w.gateway.failNext({ kind: 'timeout', processed: false }); // Toss slow: retried later
  await w.worker.runDue();
  t.equal((await w.stores.order(o.id))?.status, 'AWAITING_PAYMENT');
  w.advance(1_000);
  await w.worker.runDue();
  t.equal((await w.stores.order(o.id))?.status, 'PAID');
  t.equal(w.toss.charges(o.id), 1);
});

t.test('auto-confirm ORDER_AUTO_CONFIRM_DAYS after shipping, once', async (t) => {
  const w = world();
  const o = w.order();
  const k = w.toss.authorise({ orderId: o.id, amount: 50_000 });
  await w.service.confirmPayment(BUYER, { paymentKey: k, orderId: o.id, amount: 50_000 });
  await w.service.ship(SELLER, o.id, 'CJ', '1');
  w.advance(7 * DAY - 1);
  await w.worker.runDue();
  t.equal((await w.stores.order(o.id))?.status, 'SHIPPED');
  w.advance(1);
  await w.worker.runDue();
  await w.worker.runDue();
  const events = await w.stores.history(o.id);
  t.match(events.at(-1), { type: 'CONFIRMED', automatic: true });
  t.equal(events.filter((e) => e.type === 'CONFIRMED').length, 1);
});

t.test('without Toss keys: payment calls answer PAYMENTS_NOT_CONFIGURED, reads work', async (t) => {
  const w = world({ configured: false });
  const o = w.order();
  t.equal((await w.service.order(BUYER, o.id)).order.status, 'AWAITING_PAYMENT');
  await t.rejects(w.service.checkout(BUYER, o.id), code('PAYMENTS_NOT_CONFIGURED'));
  await t.rejects(w.service.confirmPayment(BUYER, { paymentKey: 'x', orderId: o.id, amount: 50_000 }), code('PAYMENTS_NOT_CONFIGURED'));
  await t.rejects(w.service.refund(ADMIN, o.id, undefined, 'r', 'k'), code('PAYMENTS_NOT_CONFIGURED'));
});

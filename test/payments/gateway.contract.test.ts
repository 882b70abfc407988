// The PaymentGateway contract, run against every adapter: memory, and Toss against the loopback fake.
// Each subtest opens its own subject (simulated Toss, clock) so nothing leaks between them.
import t, { type Test } from 'tap';
import type { Payment } from '../../storage/payments/ports.ts';
import { MINUTE, T0, idempotencyKey, orderId, subjects, type Subject } from './subjects.ts';

/** Authorise a card payment in the widget and confirm it. */
async function paid(s: Subject, amount = 15_000): Promise<Payment> {
  const order = orderId();
  const paymentKey = s.toss.authorise({ orderId: order, amount, orderName: '중고 자전거' });
  const r = await s.gateway.confirm({ paymentKey, orderId: order, amount, idempotencyKey: idempotencyKey() });
  if (r.kind !== 'ok') throw new Error(`confirm failed: ${JSON.stringify(r)}`);
  return r.payment;
}

for (const subject of subjects) {
  t.test(subject.name, async (t) => {
    const each = (name: string, fn: (t: Test, s: Subject) => Promise<void>) =>
      t.test(name, async (t) => fn(t, await subject.open(t)));

    await each('confirm: the authorised payment is DONE, charged once, found by key and by order id', async (t, s) => {
      const order = orderId();
      const requestedAt = s.clock.now();
      const paymentKey = s.toss.authorise({ orderId: order, amount: 15_000, orderName: '중고 자전거' });
      s.clock.advance(MINUTE);
      const r = await s.gateway.confirm({ paymentKey, orderId: order, amount: 15_000, idempotencyKey: idempotencyKey() });
      t.equal(r.kind, 'ok');
      if (r.kind !== 'ok') return;
      t.match(r.payment, {
        paymentKey, orderId: order, orderName: '중고 자전거', status: 'DONE', method: '카드', totalAmount: 15_000,
        balanceAmount: 15_000, requestedAt, approvedAt: T0 + MINUTE, secret: null, cancels: [], virtualAccount: null, failure: null,
      });
      t.type(r.payment.receiptUrl, 'string');
      t.type(r.payment.lastTransactionKey, 'string');
      t.equal(s.toss.charges(order), 1, 'charged once');
      t.strictSame(await s.gateway.payment(paymentKey), r, 'found by its key');
      t.strictSame(await s.gateway.paymentOfOrder(order), r, 'found by its order id');
      t.strictSame(await s.gateway.paymentOfOrder(orderId()), { kind: 'ok', payment: null }, 'another order has none');
      t.match(await s.gateway.payment('tpk_unknown'), { kind: 'not_found', code: 'NOT_FOUND_PAYMENT' });
    });

    await each('a repeat with the same Idempotency-Key gets the first answer and charges nothing more', async (t, s) => {
      const order = orderId();
      const paymentKey = s.toss.authorise({ orderId: order, amount: 9_000 });
      const req = { paymentKey, orderId: order, amount: 9_000, idempotencyKey: idempotencyKey() };
      const first = await s.gateway.confirm(req);
      t.equal(first.kind, 'ok');
      s.clock.advance(MINUTE);
      t.strictSame(await s.gateway.confirm(req), first, 'the same answer, approvedAt included');
      t.equal(s.toss.charges(order), 1);
    });

    await each('confirming a confirmed payment under a new key is ALREADY_PROCESSED', async (t, s) => {
      const p = await paid(s);
      const again = await s.gateway.confirm({ paymentKey: p.paymentKey, orderId: p.orderId, amount: p.totalAmount, idempotencyKey: idempotencyKey() });
      t.match(again, { kind: 'already_processed', code: 'ALREADY_PROCESSED_PAYMENT' });
      t.equal(s.toss.charges(p.orderId), 1);
      t.match(await s.gateway.payment(p.paymentKey), { kind: 'ok', payment: { status: 'DONE' } }, 'then fetch it');
    });

    await each('a key reused for another payment gets the first payment back: unknown, never taken as this one', async (t, s) => {
      const key = idempotencyKey();
      const [a, b] = [orderId(), orderId()];
      const first = s.toss.authorise({ orderId: a, amount: 5_000 });
      t.match(await s.gateway.confirm({ paymentKey: first, orderId: a, amount: 5_000, idempotencyKey: key }), { kind: 'ok' });
      const second = s.toss.authorise({ orderId: b, amount: 1_000 });
      t.match(await s.gateway.confirm({ paymentKey: second, orderId: b, amount: 1_000, idempotencyKey: key }),
        { kind: 'unknown', cause: 'bad_response' }, 'Toss repeats its first answer whatever the body');
      t.equal(s.toss.charges(b), 0);
      t.strictSame(await s.gateway.paymentOfOrder(b), { kind: 'ok', payment: null }, 'which asking Toss settles');
    });

    await each('an amount other than the authorised one is rejected and charges nothing', async (t, s) => {
      const order = orderId();
      const paymentKey = s.toss.authorise({ orderId: order, amount: 15_000 });
      const r = await s.gateway.confirm({ paymentKey, orderId: order, amount: 14_000, idempotencyKey: idempotencyKey() });
      t.match(r, { kind: 'rejected', code: 'INVALID_REQUEST' });
      t.equal(s.toss.charges(order), 0);
      t.strictSame(await s.gateway.paymentOfOrder(order), { kind: 'ok', payment: null });
      t.match(await s.gateway.confirm({ paymentKey, orderId: order, amount: 15_000, idempotencyKey: idempotencyKey() }),
        { kind: 'ok', payment: { status: 'DONE' } }, 'the right amount still goes through');
    });

    await each('a paymentKey the widget never handed out has no payment session', async (t, s) => {
      const order = orderId();
      t.match(await s.gateway.confirm({ paymentKey: 'tpk_never', orderId: order, amount: 1_000, idempotencyKey: idempotencyKey() }),
        { kind: 'not_found', code: 'NOT_FOUND_PAYMENT_SESSION' });
      const paymentKey = s.toss.authorise({ orderId: order, amount: 1_000 });
      t.match(await s.gateway.confirm({ paymentKey, orderId: orderId(), amount: 1_000, idempotencyKey: idempotencyKey() }),
        { kind: 'not_found', code: 'NOT_FOUND_PAYMENT_SESSION' }, 'nor one authorised for another order');
      t.equal(s.toss.charges(order), 0);
    });

    await each('a card Toss refuses (TossPayments-Test-Code) is rejected with Toss\'s code and message', async (t, s) => {
      const order = orderId();
      const paymentKey = s.toss.authorise({ orderId: order, amount: 20_000 });
      const r = await s.withTestCode('REJECT_CARD_PAYMENT').confirm({ paymentKey, orderId: order, amount: 20_000, idempotencyKey: idempotencyKey() });
      t.strictSame(r, { kind: 'rejected', code: 'REJECT_CARD_PAYMENT', message: '한도초과 혹은 잔액부족으로 결제에 실패했습니다.' });
      t.equal(s.toss.charges(order), 0);
      t.match(await s.gateway.confirm({ paymentKey, orderId: order, amount: 20_000, idempotencyKey: idempotencyKey() }),
        { kind: 'ok' }, 'another card later goes through');
    });

    await each('Toss\'s "try again" codes are unknown outcomes', async (t, s) => {
      for (const code of ['PROVIDER_ERROR', 'FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING', 'IDEMPOTENT_REQUEST_PROCESSING']) {
        const order = orderId();
        const paymentKey = s.toss.authorise({ orderId: order, amount: 3_000 });
        t.match(await s.withTestCode(code).confirm({ paymentKey, orderId: order, amount: 3_000, idempotencyKey: idempotencyKey() }),
          { kind: 'unknown', cause: 'server', code }, code);
      }
    });

    await each('a time-out after Toss charged: unknown, the order\'s payment is DONE, a retry with the key gets it', async (t, s) => {
      const order = orderId();
      const paymentKey = s.toss.authorise({ orderId: order, amount: 30_000 });
      const req = { paymentKey, orderId: order, amount: 30_000, idempotencyKey: idempotencyKey() };
      s.failNext({ kind: 'timeout', processed: true });
      t.match(await s.gateway.confirm(req), { kind: 'unknown', cause: 'timeout', code: null });
      t.equal(s.toss.charges(order), 1, 'Toss did charge');
      t.match(await s.gateway.paymentOfOrder(order), { kind: 'ok', payment: { paymentKey, status: 'DONE', totalAmount: 30_000 } });
      t.match(await s.gateway.confirm(req), { kind: 'ok', payment: { status: 'DONE' } }, 'the first answer, at last');
      t.equal(s.toss.charges(order), 1, 'never a second charge');
    });

    await each('a time-out before Toss charged: unknown, the order has no payment, a retry with the key charges once', async (t, s) => {
      const order = orderId();
      const paymentKey = s.toss.authorise({ orderId: order, amount: 30_000 });
      const req = { paymentKey, orderId: order, amount: 30_000, idempotencyKey: idempotencyKey() };
      s.failNext({ kind: 'timeout', processed: false });
      t.match(await s.gateway.confirm(req), { kind: 'unknown', cause: 'timeout' });
      t.equal(s.toss.charges(order), 0);
      t.strictSame(await s.gateway.paymentOfOrder(order), { kind: 'ok', payment: null });
      t.match(await s.gateway.confirm(req), { kind: 'ok', payment: { status: 'DONE' } });
      t.equal(s.toss.charges(order), 1);
    });

    await each('an answer that is not Toss\'s (a 5xx page, a truncated body) is an unknown outcome', async (t, s) => {
      const order = orderId();
      const paymentKey = s.toss.authorise({ orderId: order, amount: 8_000 });
      s.failNext({ kind: 'reply', status: 502, body: '<html><body>Bad Gateway</body></html>', processed: true });
      t.match(await s.gateway.confirm({ paymentKey, orderId: order, amount: 8_000, idempotencyKey: idempotencyKey() }), { kind: 'unknown', cause: 'server' });
      t.match(await s.gateway.paymentOfOrder(order), { kind: 'ok', payment: { status: 'DONE' } }, 'Toss had charged behind the proxy');
      s.failNext({ kind: 'reply', status: 200, body: '{"paymentKey":"', contentType: 'application/json', processed: false });
      t.match(await s.gateway.paymentOfOrder(order), { kind: 'unknown', cause: 'bad_response' }, 'not "no payment"');
    });

    await each('cancel in part lowers the balance; more than the balance is NOT_CANCELABLE_AMOUNT; the rest cancels it', async (t, s) => {
      const p = await paid(s, 15_000);
      s.clock.advance(MINUTE);
      const req = { paymentKey: p.paymentKey, reason: '부분 환불', amount: 4_000, idempotencyKey: idempotencyKey() };
      const part = await s.gateway.cancel(req);
      t.match(part, { kind: 'ok', payment: { status: 'PARTIAL_CANCELED', balanceAmount: 11_000, totalAmount: 15_000 } });
      if (part.kind !== 'ok') return;
      t.match(part.payment.cancels, [{ amount: 4_000, reason: '부분 환불', canceledAt: s.clock.now() }]);
      t.equal(part.payment.lastTransactionKey, part.payment.cancels[0].transactionKey);
      t.strictSame(await s.gateway.cancel(req), part, 'a repeat with the key gets the first answer');
      t.equal(s.toss.cancels().length, 1, 'and refunds nothing more');

      t.match(await s.gateway.cancel({ paymentKey: p.paymentKey, reason: '초과', amount: 12_000, idempotencyKey: idempotencyKey() }),
        { kind: 'rejected', code: 'NOT_CANCELABLE_AMOUNT' });
      t.match(await s.gateway.payment(p.paymentKey), { kind: 'ok', payment: { balanceAmount: 11_000 } }, 'nothing moved');

      const rest = await s.gateway.cancel({ paymentKey: p.paymentKey, reason: '전액 환불', idempotencyKey: idempotencyKey() });
      t.match(rest, { kind: 'ok', payment: { status: 'CANCELED', balanceAmount: 0 } });
      if (rest.kind === 'ok') t.strictSame(rest.payment.cancels.map((c) => c.amount), [4_000, 11_000]);
      t.match(await s.gateway.cancel({ paymentKey: p.paymentKey, reason: '또', idempotencyKey: idempotencyKey() }),
        { kind: 'rejected', code: 'ALREADY_CANCELED_PAYMENT' });
      t.strictSame(s.toss.cancels().map((c) => c.amount), [4_000, 11_000]);
    });

    await each('cancel in full, and cancels of what cannot be cancelled', async (t, s) => {
      const p = await paid(s, 7_000);
      t.match(await s.gateway.cancel({ paymentKey: p.paymentKey, reason: '구매자 변심', idempotencyKey: idempotencyKey() }),
        { kind: 'ok', payment: { status: 'CANCELED', balanceAmount: 0, cancels: [{ amount: 7_000, reason: '구매자 변심' }] } });
      t.match(await s.gateway.cancel({ paymentKey: 'tpk_unknown', reason: 'x', idempotencyKey: idempotencyKey() }),
        { kind: 'not_found', code: 'NOT_FOUND_PAYMENT' });
      t.match(await s.gateway.cancel({ paymentKey: p.paymentKey, reason: '', idempotencyKey: idempotencyKey() }),
        { kind: 'rejected', code: 'INVALID_REQUEST' }, 'a reason is required');
    });

    await each('a virtual account waits for the deposit, then is DONE with its secret', async (t, s) => {
      const order = orderId();
      const paymentKey = s.toss.authorise({ orderId: order, amount: 50_000, method: 'VIRTUAL_ACCOUNT' });
      const r = await s.gateway.confirm({ paymentKey, orderId: order, amount: 50_000, idempotencyKey: idempotencyKey() });
      t.match(r, { kind: 'ok', payment: { status: 'WAITING_FOR_DEPOSIT', method: '가상계좌', approvedAt: null, virtualAccount: { expired: false } } });
      if (r.kind !== 'ok') return;
      t.type(r.payment.secret, 'string');
      t.match(r.payment.virtualAccount?.accountNumber, /^X\d+$/);
      t.equal(s.toss.charges(order), 0, 'no money yet');
      s.clock.advance(MINUTE);
      s.toss.deposit(paymentKey);
      t.match(await s.gateway.payment(paymentKey), { kind: 'ok', payment: { status: 'DONE', approvedAt: s.clock.now(), secret: r.payment.secret } });
      t.equal(s.toss.charges(order), 1);
      t.match(await s.gateway.cancel({ paymentKey, reason: '환불', idempotencyKey: idempotencyKey() }),
        { kind: 'rejected', code: 'INVALID_REQUEST' }, 'a paid virtual account is refunded to an account');
      t.match(await s.gateway.cancel({
        paymentKey, reason: '환불', idempotencyKey: idempotencyKey(),
        refundAccount: { bank: '20', accountNumber: '1002123456789', holderName: '김구매' },
      }), { kind: 'ok', payment: { status: 'CANCELED', balanceAmount: 0 } });
    });

    await each('transactions of a period, page by page', async (t, s) => {
      const payments: Payment[] = [];
      for (const amount of [1_000, 2_000, 3_000]) {
        s.clock.advance(MINUTE);
        payments.push(await paid(s, amount));
      }
      s.clock.advance(MINUTE);
      await s.gateway.cancel({ paymentKey: payments[1].paymentKey, reason: '부분', amount: 500, idempotencyKey: idempotencyKey() });
      s.clock.advance(30 * MINUTE);
      await paid(s, 4_000); // after the period

      const period = { from: T0, to: T0 + 10 * MINUTE };
      const first = await s.gateway.transactions({ ...period, limit: 3 });
      t.equal(first.kind, 'ok');
      if (first.kind !== 'ok') return;
      t.strictSame(first.transactions.map((x) => [x.orderId, x.amount, x.status]), [
        [payments[0].orderId, 1_000, 'DONE'], [payments[1].orderId, 2_000, 'DONE'], [payments[2].orderId, 3_000, 'DONE'],
      ]);
      t.equal(first.transactions[0].transactionAt, T0 + MINUTE);
      t.equal(first.next, first.transactions[2].transactionKey, 'a full page: there may be more');
      const second = await s.gateway.transactions({ ...period, limit: 3, startingAfter: first.next ?? undefined });
      t.match(second, { kind: 'ok', next: null, transactions: [{ orderId: payments[1].orderId, paymentKey: payments[1].paymentKey, amount: 500, status: 'PARTIAL_CANCELED' }] });

      const whole = await s.gateway.transactions(period);
      t.match(whole, { kind: 'ok', next: null }, 'the default page holds them all');
      if (whole.kind === 'ok') t.equal(whole.transactions.length, 4);
      const two = await s.gateway.transactions({ ...period, limit: 2, startingAfter: first.transactions[1].transactionKey });
      t.match(two, { kind: 'ok', transactions: { length: 2 } });
      const after = await s.gateway.transactions({ ...period, limit: 2, startingAfter: two.kind === 'ok' ? two.next ?? '' : '' });
      t.strictSame(after, { kind: 'ok', transactions: [], next: null }, 'a page after the last full one is empty');
      t.match(await s.gateway.transactions({ ...period, startingAfter: 'no-such-key' }), { kind: 'rejected', code: 'INVALID_TRANSACTION_KEY' });
    });

    await each('a bad Idempotency-Key or id is the caller\'s mistake, refused before anything is sent', async (t, s) => {
      const order = orderId();
      const paymentKey = s.toss.authorise({ orderId: order, amount: 1_000 });
      await t.rejects(s.gateway.confirm({ paymentKey, orderId: order, amount: 1_000, idempotencyKey: 'k'.repeat(301) }), RangeError);
      await t.rejects(s.gateway.confirm({ paymentKey, orderId: order, amount: 1_000, idempotencyKey: '' }), RangeError);
      await t.rejects(s.gateway.cancel({ paymentKey, reason: 'x', idempotencyKey: 'k'.repeat(301) }), RangeError);
      await t.rejects(s.gateway.payment(''), TypeError);
      await t.rejects(s.gateway.paymentOfOrder(''), TypeError);
      t.equal(s.toss.charges(order), 0);
      t.match(await s.gateway.confirm({ paymentKey, orderId: order, amount: 1_000, idempotencyKey: 'k'.repeat(300) }), { kind: 'ok' }, '300 characters is fine');
    });

    await each('answers are copies', async (t, s) => {
      const p = await paid(s);
      p.balanceAmount = 0;
      p.cancels.push({ transactionKey: 'x', amount: 1, reason: 'x', canceledAt: 0 });
      t.match(await s.gateway.payment(p.paymentKey), { kind: 'ok', payment: { balanceAmount: 15_000, cancels: [] } });
    });
  });
}

// The PaymentGateway in memory, for unit tests of the payments service. It runs the same simulated Toss
// as the loopback fake (`toss`: authorise a widget session, pay into a virtual account, read charges),
// honours Idempotency-Key the same way, and lets a test decide what happens to the next call: no answer
// in time or an odd one (`failNext`, after Toss did the work or not), or a documented error
// (`withTestCode`, as the TossPayments-Test-Code header does).
import type {
  CancelRequest, CancelResult, ConfirmRequest, ConfirmResult, Failure, OrderPaymentResult, PaymentGateway,
  PaymentResult, TransactionQuery, TransactionsResult,
} from './ports.ts';
import {
  checkId, checkIdempotencyKey, failureOf, found, only, orderPayment, page, theOneAsked, unknownOutcome,
} from './results.ts';
import { FirstReplies, SimulatedToss, type Fault, type SimReply } from './simulated-toss.ts';
import { tossQueryDate } from './toss-time.ts';

type Answer<T> = { ok: true; value: T } | { ok: false; failure: Failure };

interface Shared {
  toss: SimulatedToss;
  faults: Fault[];
  replies: FirstReplies<SimReply<unknown>>;
}

export interface MemoryPaymentsOptions {
  /** The clock of the simulated Toss (approvedAt, canceledAt, transactions). */
  now?: () => number;
  /** A simulated Toss to share; a new one by default. */
  toss?: SimulatedToss;
}

export class MemoryPayments implements PaymentGateway {
  readonly toss: SimulatedToss;
  private shared: Shared;
  private testCode: string | undefined;

  constructor(opts: MemoryPaymentsOptions = {}) {
    this.shared = { toss: opts.toss ?? new SimulatedToss(opts.now), faults: [], replies: new FirstReplies() };
    this.toss = this.shared.toss;
  }

  /** The same payments (and faults), every call answered with that documented Toss error, nothing done. */
  withTestCode(code: string): MemoryPayments {
    const view = new MemoryPayments({ toss: this.toss });
    view.shared = this.shared;
    view.testCode = code;
    return view;
  }

  /** The next call meets this fault instead of Toss's answer. */
  failNext(fault: Fault): void {
    this.shared.faults.push(fault);
  }

  async confirm(req: ConfirmRequest): Promise<ConfirmResult> {
    checkIdempotencyKey(req.idempotencyKey);
    const { paymentKey, orderId, amount } = req;
    const a = await this.call('POST /v1/payments/confirm', req.idempotencyKey,
      () => this.toss.confirm({ paymentKey, orderId, amount }, this.testCode));
    return a.ok ? theOneAsked(req, a.value) : a.failure;
  }

  async payment(paymentKey: string): Promise<PaymentResult> {
    checkId('paymentKey', paymentKey);
    const a = await this.call('', undefined, () => this.toss.payment(paymentKey, this.testCode));
    return a.ok ? found(a.value) : only(a.failure, ['rejected', 'not_found', 'unknown']);
  }

  async paymentOfOrder(orderId: string): Promise<OrderPaymentResult> {
    checkId('orderId', orderId);
    const a = await this.call('', undefined, () => this.toss.paymentOfOrder(orderId, this.testCode));
    return a.ok ? { kind: 'ok', payment: a.value } : orderPayment(a.failure);
  }

  async cancel(req: CancelRequest): Promise<CancelResult> {
    checkIdempotencyKey(req.idempotencyKey);
    checkId('paymentKey', req.paymentKey);
    const body = { cancelReason: req.reason, cancelAmount: req.amount, refundReceiveAccount: req.refundAccount };
    const a = await this.call(`POST /v1/payments/${req.paymentKey}/cancel`, req.idempotencyKey,
      () => this.toss.cancel(req.paymentKey, structuredClone(body), this.testCode));
    return a.ok ? theOneAsked({ paymentKey: req.paymentKey }, a.value) : only(a.failure, ['rejected', 'not_found', 'unknown']);
  }

  async transactions(q: TransactionQuery): Promise<TransactionsResult> {
    const query: Record<string, string> = { startDate: tossQueryDate(q.from), endDate: tossQueryDate(q.to) };
    if (q.startingAfter !== undefined) query.startingAfter = q.startingAfter;
    if (q.limit !== undefined) query.limit = String(q.limit);
    const a = await this.call('', undefined, () => this.toss.transactions(query, this.testCode));
    return a.ok ? page(a.value, q.limit) : only(a.failure, ['rejected', 'unknown']);
  }

  private async call<T>(scope: string, idempotencyKey: string | undefined, run: () => SimReply<T>): Promise<Answer<T>> {
    await Promise.resolve(); // answer on a later tick, as a network would
    const exec = () => this.shared.replies.replay(scope, idempotencyKey, run) as SimReply<T>;
    const fault = this.shared.faults.shift();
    if (fault !== undefined) {
      if (fault.processed) exec();
      return { ok: false, failure: faultFailure(fault) };
    }
    const r = exec();
    return r.ok ? r : { ok: false, failure: failureOf(r.status, r.code, r.message) };
  }
}

function faultFailure(fault: Fault): Failure {
  if (fault.kind === 'timeout') return unknownOutcome('timeout', 'Toss did not answer in time (simulated)');
  return unknownOutcome(fault.status >= 500 ? 'server' : 'bad_response', `Toss answered ${fault.status} with a body that is not a Toss answer (simulated)`);
}

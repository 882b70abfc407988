// Toss Payments' rules in memory, for tests: the memory adapter calls it in-process and the loopback fake
// (test/fakes/toss.ts) puts it behind HTTP, so both follow the same rules. It takes request bodies as
// Toss does (validated here, INVALID_REQUEST otherwise) and answers with a domain Payment or one of
// Toss's documented errors. Sessions stand for what the widget authorised: confirming anything else is
// NOT_FOUND_PAYMENT_SESSION, and a session is invisible to lookups until it is confirmed. Everything is
// copied on the way in and out.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Payment, PaymentStatus, Transaction } from './ports.ts';
import { TOSS_CODES } from './toss-codes.ts';
import { parseTossQueryDate } from './toss-time.ts';

export type SimFailure = { ok: false; status: number; code: string; message: string };
export type SimReply<T> = { ok: true; value: T } | SimFailure;

/**
 * What a test makes happen to the next call instead of Toss's answer: no answer in time, or an answer
 * that is not Toss's (a proxy's 5xx page, a truncated body). `processed`: Toss did the work all the same.
 */
export type Fault =
  | { kind: 'timeout'; processed: boolean }
  | { kind: 'reply'; status: number; body: string; contentType?: string; processed: boolean };

export type SimMethod = 'CARD' | 'VIRTUAL_ACCOUNT';

/** What the buyer authorised in the widget. */
export interface Authorisation {
  orderId: string;
  amount: number;
  orderName?: string;
  method?: SimMethod;
  paymentKey?: string;
}

export interface SimCancel { paymentKey: string; orderId: string; amount: number; transactionKey: string }

interface Session { paymentKey: string; orderId: string; amount: number; orderName: string; method: SimMethod; requestedAt: number }

const METHOD_NAMES: Record<SimMethod, string> = { CARD: '카드', VIRTUAL_ACCOUNT: '가상계좌' };
const DAY = 24 * 60 * 60 * 1000;

// Request bodies as Toss documents them; other fields are ignored.
const ConfirmBody = z.object({
  paymentKey: z.string().min(1).max(200),
  orderId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
  amount: z.int().positive(),
});
const CancelBody = z.object({
  cancelReason: z.string().min(1).max(200),
  cancelAmount: z.int().positive().optional(),
  refundReceiveAccount: z.object({
    bank: z.string().min(1),
    accountNumber: z.string().min(1).max(20),
    holderName: z.string().min(1).max(60),
  }).optional(),
});
const TransactionsQuery = z.object({
  startDate: z.string(),
  endDate: z.string(),
  startingAfter: z.string().min(1).optional(),
  limit: z.string().regex(/^\d{1,5}$/).transform(Number).pipe(z.int().min(1).max(10_000)).optional(),
});

const key = (prefix: string): string => `${prefix}${randomBytes(12).toString('hex')}`;

/** One of Toss's documented errors, with its status. */
export function tossError(code: string, message?: string): SimFailure {
  const known = TOSS_CODES.get(code);
  return { ok: false, status: known?.status ?? 400, code, message: message ?? known?.message ?? '잘못된 요청입니다.' };
}

const ok = <T>(value: T): SimReply<T> => ({ ok: true, value: structuredClone(value) });

export class SimulatedToss {
  private readonly sessions = new Map<string, Session>();
  private readonly confirmed = new Map<string, Payment>();
  private readonly orders = new Map<string, string>(); // orderId -> paymentKey of its confirmed payment
  private readonly ledger: Transaction[] = [];
  private readonly chargesByOrder = new Map<string, number>();
  private readonly cancelled: SimCancel[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  // --- the buyer's side and Toss's own doings (test helpers) ---

  /** A READY payment session, as the widget leaves it before the success redirect; returns its paymentKey. */
  authorise(a: Authorisation): string {
    const paymentKey = a.paymentKey ?? key('tpk_');
    this.sessions.set(paymentKey, {
      paymentKey, orderId: a.orderId, amount: a.amount, orderName: a.orderName ?? `order ${a.orderId}`,
      method: a.method ?? 'CARD', requestedAt: this.now(),
    });
    return paymentKey;
  }

  /** The buyer pays into the virtual account: WAITING_FOR_DEPOSIT becomes DONE. */
  deposit(paymentKey: string): Payment {
    const p = this.mustHave(paymentKey);
    if (p.status !== 'WAITING_FOR_DEPOSIT') throw new Error(`payment ${paymentKey} is ${p.status}, not WAITING_FOR_DEPOSIT`);
    this.charge(p, 'DONE');
    return structuredClone(p);
  }

  /** Any other change Toss makes on its own (expiry, an operator's action in Toss's dashboard). */
  setStatus(paymentKey: string, status: PaymentStatus): Payment {
    const p = this.mustHave(paymentKey);
    p.status = status;
    return structuredClone(p);
  }

  // --- what tests read ---

  payments(): Payment[] {
    return structuredClone([...this.confirmed.values()]);
  }

  /** How many times money was taken for the order (a card confirmed, a virtual account paid into). */
  charges(orderId: string): number {
    return this.chargesByOrder.get(orderId) ?? 0;
  }

  cancels(): SimCancel[] {
    return structuredClone(this.cancelled);
  }

  // --- the API ---

  confirm(body: unknown, testCode?: string): SimReply<Payment> {
    const forced = this.forced(testCode);
    if (forced !== null) return forced;
    const b = ConfirmBody.safeParse(body);
    if (!b.success) return tossError('INVALID_REQUEST');
    const { paymentKey, orderId, amount } = b.data;
    const s = this.sessions.get(paymentKey);
    if (s === undefined || s.orderId !== orderId) return tossError('NOT_FOUND_PAYMENT_SESSION');
    if (this.confirmed.has(paymentKey)) return tossError('ALREADY_PROCESSED_PAYMENT');
    if (this.orders.has(orderId)) return tossError('DUPLICATED_ORDER_ID');
    if (amount !== s.amount) return tossError('INVALID_REQUEST', '결제 금액이 일치하지 않습니다.');
    const p: Payment = {
      paymentKey, orderId, orderName: s.orderName, status: 'READY', method: METHOD_NAMES[s.method],
      totalAmount: amount, balanceAmount: amount, requestedAt: s.requestedAt, approvedAt: null,
      lastTransactionKey: null, secret: null,
      receiptUrl: `https://dashboard.tosspayments.com/receipt/redirection?transactionId=${paymentKey}&ref=PX`,
      cancels: [], virtualAccount: null, failure: null,
    };
    this.confirmed.set(paymentKey, p);
    this.orders.set(orderId, paymentKey);
    if (s.method === 'CARD') {
      this.charge(p, 'DONE');
    } else {
      p.status = 'WAITING_FOR_DEPOSIT';
      p.lastTransactionKey = key('');
      p.secret = key('ps_');
      p.virtualAccount = {
        accountNumber: `X${String(Math.floor(Math.random() * 1e13)).padStart(13, '0')}`, bankCode: '20',
        customerName: null, dueDate: this.now() + 7 * DAY, expired: false,
      };
    }
    return ok(p);
  }

  payment(paymentKey: string, testCode?: string): SimReply<Payment> {
    const forced = this.forced(testCode);
    if (forced !== null) return forced;
    const p = this.confirmed.get(paymentKey);
    return p === undefined ? tossError('NOT_FOUND_PAYMENT') : ok(p);
  }

  paymentOfOrder(orderId: string, testCode?: string): SimReply<Payment> {
    const paymentKey = this.orders.get(orderId);
    return paymentKey === undefined ? this.forced(testCode) ?? tossError('NOT_FOUND_PAYMENT') : this.payment(paymentKey, testCode);
  }

  cancel(paymentKey: string, body: unknown, testCode?: string): SimReply<Payment> {
    const forced = this.forced(testCode);
    if (forced !== null) return forced;
    const b = CancelBody.safeParse(body);
    if (!b.success) return tossError('INVALID_REQUEST');
    const p = this.confirmed.get(paymentKey);
    if (p === undefined) return tossError('NOT_FOUND_PAYMENT');
    if (p.status === 'CANCELED') return tossError('ALREADY_CANCELED_PAYMENT');
    const amount = b.data.cancelAmount ?? p.balanceAmount;
    if (p.status === 'WAITING_FOR_DEPOSIT') {
      if (amount !== p.balanceAmount) return tossError('NOT_ALLOWED_PARTIAL_REFUND_WAITING_DEPOSIT');
    } else if (p.status !== 'DONE' && p.status !== 'PARTIAL_CANCELED') {
      return tossError('NOT_CANCELABLE_PAYMENT');
    } else if (p.virtualAccount !== null && b.data.refundReceiveAccount === undefined) {
      return tossError('INVALID_REQUEST', '가상계좌 결제 취소에는 환불 계좌가 필요합니다.');
    }
    if (amount > p.balanceAmount) return tossError('NOT_CANCELABLE_AMOUNT');
    const moneyBack = p.status !== 'WAITING_FOR_DEPOSIT';
    const transactionKey = key('');
    const at = this.now();
    p.balanceAmount -= amount;
    p.status = p.balanceAmount === 0 ? 'CANCELED' : 'PARTIAL_CANCELED';
    p.lastTransactionKey = transactionKey;
    p.cancels.push({ transactionKey, amount, reason: b.data.cancelReason, canceledAt: at });
    if (moneyBack) {
      this.cancelled.push({ paymentKey, orderId: p.orderId, amount, transactionKey });
      this.ledger.push({ transactionKey, paymentKey, orderId: p.orderId, method: p.method, amount, status: p.status, transactionAt: at });
    }
    return ok(p);
  }

  /** `query` holds the query string's values as Toss reads them. */
  transactions(query: Record<string, string>, testCode?: string): SimReply<Transaction[]> {
    const forced = this.forced(testCode);
    if (forced !== null) return forced;
    const q = TransactionsQuery.safeParse(query);
    const from = q.success ? parseTossQueryDate(q.data.startDate) : null;
    const to = q.success ? parseTossQueryDate(q.data.endDate) : null;
    if (!q.success || from === null || to === null) return tossError('INVALID_REQUEST');
    const until = /\.\d+$/.test(q.data.endDate) ? to : to + 999; // without milliseconds, endDate names its whole second
    const inPeriod = this.ledger.filter((t) => t.transactionAt >= from && t.transactionAt <= until);
    let start = 0;
    if (q.data.startingAfter !== undefined) {
      start = inPeriod.findIndex((t) => t.transactionKey === q.data.startingAfter) + 1;
      if (start === 0) return tossError('INVALID_TRANSACTION_KEY');
    }
    return ok(inPeriod.slice(start, start + (q.data.limit ?? 100)));
  }

  // ---

  /** TossPayments-Test-Code: answer with that documented error, nothing done. */
  private forced(testCode: string | undefined): SimFailure | null {
    if (testCode === undefined) return null;
    return TOSS_CODES.has(testCode) ? tossError(testCode) : tossError('INVALID_REQUEST', `unknown TossPayments-Test-Code ${testCode}`);
  }

  private charge(p: Payment, status: 'DONE'): void {
    const at = this.now();
    p.status = status;
    p.approvedAt = at;
    p.lastTransactionKey = key('');
    this.chargesByOrder.set(p.orderId, this.charges(p.orderId) + 1);
    this.ledger.push({
      transactionKey: p.lastTransactionKey, paymentKey: p.paymentKey, orderId: p.orderId, method: p.method,
      amount: p.totalAmount, status, transactionAt: at,
    });
  }

  private mustHave(paymentKey: string): Payment {
    const p = this.confirmed.get(paymentKey);
    if (p === undefined) throw new Error(`no confirmed payment ${paymentKey}`);
    return p;
  }
}

/**
 * Toss's idempotency: a repeat of (key, API key, URL, method) gets the first response, whatever its body.
 * `scope` stands for the API key, URL and method.
 */
export class FirstReplies<T> {
  private readonly replies = new Map<string, T>();

  replay(scope: string, idempotencyKey: string | undefined, run: () => T): T {
    if (idempotencyKey === undefined) return run();
    const id = `${scope}\n${idempotencyKey}`;
    if (!this.replies.has(id)) this.replies.set(id, run());
    return structuredClone(this.replies.get(id) as T);
  }
}

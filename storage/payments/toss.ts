// The PaymentGateway over Toss Payments' core API (docs.tosspayments.com), with the platform's fetch:
//   Authorization: Basic base64(secretKey + ":")
//   POST /v1/payments/confirm {paymentKey, orderId, amount}              Idempotency-Key
//   GET  /v1/payments/{paymentKey}, GET /v1/payments/orders/{orderId}
//   POST /v1/payments/{paymentKey}/cancel {cancelReason, cancelAmount?, refundReceiveAccount?}   Idempotency-Key
//   GET  /v1/transactions?startDate=&endDate=&startingAfter=&limit=      (times in KST, no offset)
// Every request has a deadline (AbortSignal.timeout). Bodies are read by `toss-wire.ts`; codes are mapped
// by `toss-codes.ts`. The secret key lives in a private field and is scrubbed from every message this
// adapter produces, Toss's own included (a proxy may echo the request's headers back).
import type {
  CancelRequest, CancelResult, ConfirmRequest, ConfirmResult, Failure, OrderPaymentResult, PaymentGateway,
  PaymentResult, TransactionQuery, TransactionsResult, UnknownCause, UnknownOutcome,
} from './ports.ts';
import {
  checkId, checkIdempotencyKey, failureOf, found, only, orderPayment, page, theOneAsked, unknownOutcome,
} from './results.ts';
import { tossQueryDate } from './toss-time.ts';
import { readError, readPayment, readTransactions } from './toss-wire.ts';

export const DEFAULT_BASE_URL = 'https://api.tosspayments.com';

export type Operation = 'confirm' | 'payment' | 'paymentOfOrder' | 'cancel' | 'transactions';

/** An unknown outcome, for metrics and health. Holds no key and no body. */
export interface UnknownEvent {
  operation: Operation;
  cause: UnknownCause;
  status: number | null;
  code: string | null;
}

export interface TossPaymentsOptions {
  /** test_sk_… or live_sk_…; it goes into the Authorization header and nowhere else. */
  secretKey: string;
  /** Default https://api.tosspayments.com; a path prefix (a proxy's) is kept. */
  baseUrl?: string;
  /** Deadline of confirm and cancel, default 30 000 ms. Past it the outcome is unknown. */
  timeoutMs?: number;
  /** Deadline of lookups and the transaction list, default 10 000 ms. */
  lookupTimeoutMs?: number;
  /** Sent as TossPayments-Test-Code: Toss answers that documented error (test keys only; live ignores it). */
  testCode?: string;
  /** Told of every unknown outcome. */
  onUnknown?: (event: UnknownEvent) => void;
}

type Answer<T> = { ok: true; value: T } | { ok: false; failure: Failure };
/** What came back: the status and the JSON body (undefined when the body was not JSON). */
type Reply = { status: number; body: unknown };

const MAX_MESSAGE = 500;

export class TossPayments implements PaymentGateway {
  readonly #options: Readonly<TossPaymentsOptions>;
  readonly #deadlines: Record<'write' | 'lookup', number>;
  readonly #authorization: string;
  readonly #base: string;
  readonly #secrets: string[];

  constructor(options: TossPaymentsOptions) {
    const { secretKey, baseUrl = DEFAULT_BASE_URL, timeoutMs = 30_000, lookupTimeoutMs = 10_000 } = options;
    // These messages name the option, never its value.
    if (typeof secretKey !== 'string' || secretKey.trim() === '') throw new TypeError('TossPayments: the secret key is missing');
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new TypeError('TossPayments: baseUrl is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('TossPayments: baseUrl must be http(s)');
    for (const [name, ms] of [['timeoutMs', timeoutMs], ['lookupTimeoutMs', lookupTimeoutMs]] as const) {
      if (!Number.isInteger(ms) || ms <= 0) throw new RangeError(`TossPayments: ${name} must be a positive whole number of milliseconds`);
    }
    this.#options = Object.freeze({ ...options });
    this.#deadlines = { write: timeoutMs, lookup: lookupTimeoutMs };
    const encoded = Buffer.from(`${secretKey}:`).toString('base64');
    this.#authorization = `Basic ${encoded}`;
    this.#base = baseUrl.replace(/\/+$/, '');
    this.#secrets = [secretKey, encoded, encodeURIComponent(secretKey)];
  }

  /** The same gateway, each request carrying TossPayments-Test-Code: code. */
  withTestCode(code: string): TossPayments {
    return new TossPayments({ ...this.#options, testCode: code });
  }

  async confirm(req: ConfirmRequest): Promise<ConfirmResult> {
    checkIdempotencyKey(req.idempotencyKey);
    const { paymentKey, orderId, amount } = req;
    const a = await this.#call('confirm', 'POST', '/v1/payments/confirm', readPayment, { paymentKey, orderId, amount }, req.idempotencyKey);
    return a.ok ? this.#told('confirm', theOneAsked(req, a.value)) : a.failure;
  }

  async payment(paymentKey: string): Promise<PaymentResult> {
    checkId('paymentKey', paymentKey);
    const a = await this.#call('payment', 'GET', `/v1/payments/${encodeURIComponent(paymentKey)}`, readPayment);
    return a.ok ? found(a.value) : only(a.failure, ['rejected', 'not_found', 'unknown']);
  }

  async paymentOfOrder(orderId: string): Promise<OrderPaymentResult> {
    checkId('orderId', orderId);
    const a = await this.#call('paymentOfOrder', 'GET', `/v1/payments/orders/${encodeURIComponent(orderId)}`, readPayment);
    return a.ok ? { kind: 'ok', payment: a.value } : orderPayment(a.failure);
  }

  async cancel(req: CancelRequest): Promise<CancelResult> {
    checkIdempotencyKey(req.idempotencyKey);
    checkId('paymentKey', req.paymentKey);
    const body = { cancelReason: req.reason, cancelAmount: req.amount, refundReceiveAccount: req.refundAccount };
    const a = await this.#call('cancel', 'POST', `/v1/payments/${encodeURIComponent(req.paymentKey)}/cancel`, readPayment, body, req.idempotencyKey);
    return a.ok ? this.#told('cancel', theOneAsked({ paymentKey: req.paymentKey }, a.value)) : only(a.failure, ['rejected', 'not_found', 'unknown']);
  }

  async transactions(q: TransactionQuery): Promise<TransactionsResult> {
    const query = new URLSearchParams({ startDate: tossQueryDate(q.from), endDate: tossQueryDate(q.to) });
    if (q.startingAfter !== undefined) query.set('startingAfter', q.startingAfter);
    if (q.limit !== undefined) query.set('limit', String(q.limit));
    const a = await this.#call('transactions', 'GET', `/v1/transactions?${query}`, readTransactions);
    return a.ok ? page(a.value, q.limit) : only(a.failure, ['rejected', 'unknown']);
  }

  /** One request, its answer read by `read` (2xx) or as a Toss error (otherwise). */
  async #call<T>(op: Operation, method: 'GET' | 'POST', path: string, read: (body: unknown) => T | null,
    body?: unknown, idempotencyKey?: string): Promise<Answer<T>> {
    const r = await this.#send(op, method, path, body, idempotencyKey);
    if ('kind' in r) return { ok: false, failure: this.#told(op, r) };
    if (r.status >= 200 && r.status < 300) {
      const value = r.body === undefined ? null : read(r.body);
      if (value !== null) return { ok: true, value };
      return { ok: false, failure: this.#told(op, unknownOutcome('bad_response', `Toss answered ${r.status} with a body that is not the expected one`), r.status) };
    }
    const e = r.body === undefined ? null : readError(r.body);
    const failure = e === null
      ? unknownOutcome(r.status >= 500 ? 'server' : 'bad_response', `Toss answered ${r.status} with a body that is not a Toss error`)
      : failureOf(r.status, e.code, this.#scrub(e.message));
    return { ok: false, failure: this.#told(op, failure, r.status) };
  }

  async #send(op: Operation, method: 'GET' | 'POST', path: string, body: unknown, idempotencyKey: string | undefined): Promise<Reply | UnknownOutcome> {
    const headers: Record<string, string> = { Authorization: this.#authorization, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
    if (this.#options.testCode !== undefined) headers['TossPayments-Test-Code'] = this.#options.testCode;
    const ms = op === 'confirm' || op === 'cancel' ? this.#deadlines.write : this.#deadlines.lookup;
    try {
      const res = await fetch(`${this.#base}${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        // A redirect is not Toss answering; following it could carry the key elsewhere.
        redirect: 'error',
        signal: AbortSignal.timeout(ms),
      });
      const text = await res.text(); // under the same deadline
      return { status: res.status, body: parseJson(text) };
    } catch (err) {
      const name = (err as { name?: unknown } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        return unknownOutcome('timeout', `Toss did not answer within ${ms} ms`);
      }
      return unknownOutcome('network', `Toss could not be reached${networkCode(err)}`);
    }
  }

  #told<R extends { kind: string }>(op: Operation, result: R, status: number | null = null): R {
    try {
      if (isUnknown(result)) this.#options.onUnknown?.({ operation: op, cause: result.cause, status, code: result.code });
    } catch {
      // A broken metrics hook must not turn an answer from Toss into an exception.
    }
    return result;
  }

  /** Scrubbed before it is cut, so no prefix of the key survives at the cut. */
  #scrub(text: string): string {
    let out = text;
    for (const s of this.#secrets) out = out.split(s).join('[redacted]');
    return out.slice(0, MAX_MESSAGE);
  }
}

const isUnknown = (r: { kind: string }): r is UnknownOutcome => r.kind === 'unknown';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The system error code (ECONNREFUSED, ...), the only part of a network error worth repeating. */
function networkCode(err: unknown): string {
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? ` (${code})` : '';
}

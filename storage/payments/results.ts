// How both adapters turn Toss's answers into the port's results, so they cannot drift apart: argument
// checks, a Toss error into a Failure, the kinds each operation can answer with, and transaction pages.
import type {
  Failure, OrderPaymentResult, Payment, PaymentFound, Rejected, Transaction, TransactionsResult, UnknownCause, UnknownOutcome,
} from './ports.ts';
import { outcomeOf } from './toss-codes.ts';

/** Toss's limit on Idempotency-Key. */
export const MAX_IDEMPOTENCY_KEY = 300;
/** Toss's default page size of the transaction list. */
export const DEFAULT_PAGE = 100;

/** A caller's mistake, thrown before anything is sent: a bad key must never reach Toss half-checked. */
export function checkIdempotencyKey(key: unknown): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY) {
    throw new RangeError(`idempotencyKey must be a string of 1 to ${MAX_IDEMPOTENCY_KEY} characters`);
  }
}

export function checkId(name: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${name} must be a non-empty string`);
}

export const unknownOutcome = (cause: UnknownCause, message: string, code: string | null = null): UnknownOutcome =>
  ({ kind: 'unknown', cause, code, message });

/** A Toss error body `{code, message}` that came with an HTTP status. */
export function failureOf(status: number, code: string, message: string): Failure {
  const outcome = outcomeOf(status, code);
  return outcome === 'unknown' ? unknownOutcome('server', message, code) : { kind: outcome, code, message };
}

/** A kind the operation does not answer with (already_processed outside confirm, ...) is a refusal. */
export function only<K extends Failure['kind']>(f: Failure, kinds: readonly K[]): Extract<Failure, { kind: K }> | Rejected {
  if ((kinds as readonly string[]).includes(f.kind)) return f as Extract<Failure, { kind: K }>;
  return { kind: 'rejected', code: f.kind === 'unknown' ? (f.code ?? 'UNKNOWN') : f.code, message: f.message };
}

/**
 * Only NOT_FOUND_PAYMENT says Toss has no payment for the order. Any other answer, a 404 from a proxy
 * included, leaves the question open: concluding "not paid" from it could lose a charge.
 */
export function orderPayment(f: Failure): OrderPaymentResult {
  if (f.kind === 'not_found' && f.code === 'NOT_FOUND_PAYMENT') return { kind: 'ok', payment: null };
  return only(f, ['rejected', 'unknown']);
}

export const found = (payment: Payment) => ({ kind: 'ok', payment }) as const;

/**
 * Toss answers a repeated Idempotency-Key with the first response whatever the body, so a key used for two
 * payments gets the other payment back. That answer says nothing about this payment: unknown, to be
 * settled by asking Toss, never taken as this payment's.
 */
export function theOneAsked(asked: { paymentKey: string; orderId?: string; amount?: number }, p: Payment): PaymentFound | UnknownOutcome {
  const same = p.paymentKey === asked.paymentKey
    && (asked.orderId === undefined || p.orderId === asked.orderId)
    && (asked.amount === undefined || p.totalAmount === asked.amount);
  return same ? found(p) : unknownOutcome('bad_response', 'Toss answered with another payment (an Idempotency-Key used for two requests?)');
}

/** A full page may have a next one: its last key is where that one starts. */
export function page(transactions: Transaction[], limit: number | undefined): TransactionsResult {
  const full = transactions.length > 0 && transactions.length === (limit ?? DEFAULT_PAGE);
  return { kind: 'ok', transactions, next: full ? transactions[transactions.length - 1].transactionKey : null };
}

// The posting rules: for each money event, its balanced transaction. Pure: the caller passes the time
// and the fee already decided (fees.ts), and writes the transaction in the same database write as the
// change that caused it.
import { isAmount } from '../money.ts';
import type { Millis, UserId, Won } from '../kernel.ts';
import { CLEARING, escrowOf, FEE_REVENUE, inTransitOf, paidOutOf, payableOf, REFUNDS } from './accounts.ts';
import type { CauseKind, Entry, LedgerTransaction } from './model.ts';

export interface CaptureEvent { orderId: string; sellerId: UserId; amount: Won; at: Millis }
export interface RefundEvent { orderId: string; sellerId: UserId; refundId: string; amount: Won; at: Millis }
/** `price` is what the order keeps (paid less refunded): all of its escrow. */
export interface ConfirmEvent { orderId: string; sellerId: UserId; price: Won; fee: Won; at: Millis }
export interface PayoutEvent { payoutId: string; sellerId: UserId; amount: Won; at: Millis }

/** Thrown for an event no rule can post (a programming error upstream: amounts are checked before). */
export class PostingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostingError';
  }
}

function amount(name: string, v: Won): Won {
  if (!isAmount(v)) throw new PostingError(`${name} must be whole won from 1 to 10^12, got ${v}`);
  return v;
}

function tx(cause: CauseKind, ref: string, at: Millis, entries: Entry[], extra: Partial<LedgerTransaction> = {}): LedgerTransaction {
  return {
    key: `${cause}:${ref}`, cause, ref, at,
    orderId: null, sellerId: null, price: null, fee: null,
    ...extra,
    entries: entries.filter((e) => e.amount !== 0),
  };
}

/** The buyer's money arrives: from Toss's clearing into the order's escrow. One per order. */
export function captured(e: CaptureEvent): LedgerTransaction {
  const a = amount('captured amount', e.amount);
  return tx('payment_captured', e.orderId, e.at, [{ account: CLEARING, amount: -a }, { account: escrowOf(e.orderId), amount: a }], { orderId: e.orderId, sellerId: e.sellerId });
}

/** A refund (whole or partial): out of the escrow to the refunds account. One per refund id. */
export function refunded(e: RefundEvent): LedgerTransaction {
  const a = amount('refund amount', e.amount);
  return tx('refunded', e.refundId, e.at, [{ account: escrowOf(e.orderId), amount: -a }, { account: REFUNDS, amount: a }], { orderId: e.orderId, sellerId: e.sellerId });
}

/** Purchase confirmed: the whole escrow leaves; the seller's payable gets it less the fee, fixed now. */
export function confirmed(e: ConfirmEvent): LedgerTransaction {
  const price = amount('confirmed price', e.price);
  if (!Number.isInteger(e.fee) || e.fee < 0 || e.fee > price) throw new PostingError(`fee must be whole won from 0 to the price ${price}, got ${e.fee}`);
  return tx('purchase_confirmed', e.orderId, e.at, [
    { account: escrowOf(e.orderId), amount: -price },
    { account: payableOf(e.sellerId), amount: price - e.fee },
    { account: FEE_REVENUE, amount: e.fee },
  ], { orderId: e.orderId, sellerId: e.sellerId, price, fee: e.fee });
}

/** A payout handed to the bank or Toss: payable to in transit. */
export function payoutSent(e: PayoutEvent): LedgerTransaction {
  const a = amount('payout amount', e.amount);
  return tx('payout_sent', e.payoutId, e.at, [{ account: payableOf(e.sellerId), amount: -a }, { account: inTransitOf(e.sellerId), amount: a }], { sellerId: e.sellerId });
}

/** The payout arrived: in transit to paid out. */
export function payoutCompleted(e: PayoutEvent): LedgerTransaction {
  const a = amount('payout amount', e.amount);
  return tx('payout_completed', e.payoutId, e.at, [{ account: inTransitOf(e.sellerId), amount: -a }, { account: paidOutOf(e.sellerId), amount: a }], { sellerId: e.sellerId });
}

/** The payout failed or was reversed: back to payable, paid in a later run. */
export function payoutFailed(e: PayoutEvent): LedgerTransaction {
  const a = amount('payout amount', e.amount);
  return tx('payout_failed', e.payoutId, e.at, [{ account: inTransitOf(e.sellerId), amount: -a }, { account: payableOf(e.sellerId), amount: a }], { sellerId: e.sellerId });
}

/** Whether a transaction's entries sum to zero (each one does by construction; stores check again). */
export function balanced(t: LedgerTransaction): boolean {
  let sum = 0;
  for (const e of t.entries) {
    if (!Number.isSafeInteger(e.amount)) return false;
    sum += e.amount;
  }
  return sum === 0 && t.entries.length >= 2;
}

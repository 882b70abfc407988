// The order's life as SPEC §5 draws it, pure: decide() says whether a command may happen now and which
// event it makes; evolve() applies an event. Nothing else changes an order, so every change is an event
// with the next seq.
//
//   AWAITING_PAYMENT --CONFIRM_STARTED--> (confirming) --PAID--> PAID --SHIPPED--> SHIPPED --CONFIRMED--> CONFIRMED
//          |    ^                              |                  |                  |
//          |    '--CONFIRM_FAILED, AWAITING_DEPOSIT'                  '--REFUNDED (all)--'--> REFUNDED
//          '--EXPIRED (payBy passed, no confirm in flight)--> EXPIRED
//
// A partial REFUNDED keeps the state and lowers what is left to refund. An order with a confirm in
// flight never expires: the charge may have happened, and only Toss's answer settles it.
import type { ErrorCode } from '../errors.ts';
import type { Millis, UserId, Won } from '../kernel.ts';
import type { OrderChange, OrderEvent, OrderOpening, OrderStatus, PaymentFacts, PaymentOrder, SecondChanceOffer } from './model.ts';

export type OrderCommand =
  | { type: 'startConfirm'; paymentKey: string; amount: Won; idempotencyKey: string }
  | { type: 'confirmFailed'; paymentKey: string; code: string }
  | { type: 'awaitDeposit'; paymentKey: string }
  | { type: 'markPaid'; payment: PaymentFacts; amount: Won }
  | { type: 'ship'; carrier: string; trackingNumber: string }
  | { type: 'confirmReceipt'; automatic: boolean }
  | { type: 'expire' }
  | { type: 'refund'; amount: Won; reason: string; transactionKey: string | null };

export type Decision = { ok: true; event: OrderEvent } | { ok: false; code: ErrorCode };

/** The strikes that count: within this window before now. */
export const STRIKE_WINDOW_MS = 180 * 24 * 3_600_000;
/** How long a second-chance offer may be accepted. */
export const OFFER_VALID_MS = 48 * 3_600_000;
/** The highest amount a payment may carry (as the auction's INVALID_AMOUNT bound). */
export const MAX_WON = 1e12;

export const isWon = (n: unknown): n is Won => typeof n === 'number' && Number.isSafeInteger(n) && n > 0 && n <= MAX_WON;

/** The states an order never leaves. */
export const FINAL: ReadonlySet<OrderStatus> = new Set(['CONFIRMED', 'EXPIRED', 'REFUNDED']);

export function refundable(o: PaymentOrder): Won {
  return o.paid - o.refunded;
}

/** The order's first state and its OPENED event (seq 1). */
export function open(o: OrderOpening): { order: PaymentOrder; event: OrderEvent } {
  const order: PaymentOrder = {
    ...o, status: 'AWAITING_PAYMENT', seq: 0, confirming: null, payment: null, paid: 0, refunded: 0, shipment: null, updatedAt: o.createdAt,
  };
  const event = eventOf(order, { type: 'OPENED', amount: o.amount, payBy: o.payBy }, o.createdAt);
  return { order: evolve(order, event), event };
}

function eventOf(o: PaymentOrder, change: OrderChange, at: Millis): OrderEvent {
  return { ...change, orderId: o.id, seq: o.seq + 1, at };
}

const no = (code: ErrorCode): Decision => ({ ok: false, code });
const yes = (o: PaymentOrder, change: OrderChange, now: Millis): Decision => ({ ok: true, event: eventOf(o, change, now) });

export function decide(o: PaymentOrder, cmd: OrderCommand, now: Millis): Decision {
  switch (cmd.type) {
    case 'startConfirm':
      if (o.status !== 'AWAITING_PAYMENT' || o.confirming !== null) return no('ORDER_NOT_PAYABLE');
      if (now >= o.payBy) return no('ORDER_NOT_PAYABLE');
      if (cmd.amount !== o.amount) return no('PAYMENT_AMOUNT_MISMATCH');
      return yes(o, { type: 'CONFIRM_STARTED', paymentKey: cmd.paymentKey, idempotencyKey: cmd.idempotencyKey }, now);
    case 'confirmFailed':
      if (o.confirming === null || o.confirming.paymentKey !== cmd.paymentKey) return no('ILLEGAL_ORDER_TRANSITION');
      return yes(o, { type: 'CONFIRM_FAILED', paymentKey: cmd.paymentKey, code: cmd.code }, now);
    case 'awaitDeposit':
      if (o.confirming === null || o.confirming.paymentKey !== cmd.paymentKey) return no('ILLEGAL_ORDER_TRANSITION');
      return yes(o, { type: 'AWAITING_DEPOSIT', paymentKey: cmd.paymentKey }, now);
    case 'markPaid':
      // Toss's word, whether after our confirm, a lookup or a webhook; past payBy too when a confirm was
      // in flight (the buyer paid in time). An amount that is not the order's is money to give back.
      if (o.status !== 'AWAITING_PAYMENT') return no('ORDER_NOT_PAYABLE');
      if (cmd.amount !== o.amount) return no('PAYMENT_AMOUNT_MISMATCH');
      // Paid in time by Toss's clock (a deposit before payBy learnt after it) counts as in time.
      if (o.confirming === null && now >= o.payBy && !(cmd.payment.approvedAt !== null && cmd.payment.approvedAt < o.payBy)) return no('ORDER_NOT_PAYABLE');
      return yes(o, { type: 'PAID', payment: cmd.payment, amount: cmd.amount }, now);
    case 'ship':
      if (o.status !== 'PAID') return no('ILLEGAL_ORDER_TRANSITION');
      return yes(o, { type: 'SHIPPED', carrier: cmd.carrier, trackingNumber: cmd.trackingNumber }, now);
    case 'confirmReceipt':
      if (o.status !== 'SHIPPED') return no('ILLEGAL_ORDER_TRANSITION');
      return yes(o, { type: 'CONFIRMED', automatic: cmd.automatic }, now);
    case 'expire':
      if (o.status !== 'AWAITING_PAYMENT' || o.confirming !== null || now < o.payBy) return no('ILLEGAL_ORDER_TRANSITION');
      return yes(o, { type: 'EXPIRED' }, now);
    case 'refund':
      if (o.status !== 'PAID' && o.status !== 'SHIPPED') return no('ILLEGAL_ORDER_TRANSITION');
      if (!isWon(cmd.amount)) return no('VALIDATION_FAILED');
      if (cmd.amount > refundable(o)) return no('REFUND_EXCEEDS_PAID');
      return yes(o, { type: 'REFUNDED', amount: cmd.amount, reason: cmd.reason, transactionKey: cmd.transactionKey }, now);
  }
}

/** Apply an event decide() made (or one read back from the history). */
export function evolve(o: PaymentOrder, e: OrderEvent): PaymentOrder {
  if (e.orderId !== o.id || e.seq !== o.seq + 1) throw new RangeError(`event ${e.orderId}#${e.seq} does not follow order ${o.id}#${o.seq}`);
  const next: PaymentOrder = { ...o, seq: e.seq, updatedAt: e.at };
  switch (e.type) {
    case 'OPENED':
      return next;
    case 'CONFIRM_STARTED':
      return { ...next, confirming: { paymentKey: e.paymentKey, idempotencyKey: e.idempotencyKey, since: e.at } };
    case 'CONFIRM_FAILED':
    case 'AWAITING_DEPOSIT':
      return { ...next, confirming: null };
    case 'PAID':
      return { ...next, status: 'PAID', confirming: null, payment: e.payment, paid: e.amount };
    case 'SHIPPED':
      return { ...next, status: 'SHIPPED', shipment: { carrier: e.carrier, trackingNumber: e.trackingNumber, shippedAt: e.at } };
    case 'CONFIRMED':
      return { ...next, status: 'CONFIRMED' };
    case 'EXPIRED':
      return { ...next, status: 'EXPIRED' };
    case 'REFUNDED': {
      const refunded = o.refunded + e.amount;
      return { ...next, refunded, status: refunded === o.paid ? 'REFUNDED' : o.status };
    }
  }
}

/** Who may ask what of an order (admins may look and refund; the rest is the buyer's or the seller's). */
export type OrderRole = 'buyer' | 'seller' | 'admin' | 'none';

export function roleOf(o: PaymentOrder, user: UserId, admin: boolean): OrderRole {
  if (o.buyerId === user) return 'buyer';
  if (o.sellerId === user) return 'seller';
  return admin ? 'admin' : 'none';
}

/**
 * A refund's amount as SPEC §5 allows it: the buyer before shipping, of the whole amount only; an admin
 * any amount left (the whole balance when none is given). A code when it is not allowed.
 */
export function refundAmount(o: PaymentOrder, role: OrderRole, asked: Won | undefined): { ok: true; amount: Won } | { ok: false; code: ErrorCode } {
  if (role === 'admin') {
    const amount = asked ?? refundable(o);
    return amount > refundable(o) ? { ok: false, code: 'REFUND_EXCEEDS_PAID' } : { ok: true, amount };
  }
  if (role !== 'buyer') return { ok: false, code: 'FORBIDDEN' };
  if (o.status !== 'PAID') return { ok: false, code: 'ILLEGAL_ORDER_TRANSITION' };
  if (asked !== undefined && asked !== refundable(o)) return { ok: false, code: asked > refundable(o) ? 'REFUND_EXCEEDS_PAID' : 'FORBIDDEN' };
  return { ok: true, amount: refundable(o) };
}

/** SPEC §5: with `max` strikes within 180 days, bidding is suspended. */
export function suspendedByStrikes(strikes: readonly Millis[], now: Millis, max: number): boolean {
  return strikes.filter((at) => at > now - STRIKE_WINDOW_MS && at <= now).length >= max;
}

/** A bidder's best offer on the auction (engine/auction/best-bids.ts: best first, ties to the earlier). */
export interface RunnerUpBid { bidder: UserId; ceiling: Won }

/**
 * The second-chance offer for an EXPIRED order: to the best bidder who is not its buyer (nor the seller),
 * at their ceiling. A code when there is none to make.
 */
export function secondChance(o: PaymentOrder, bids: readonly RunnerUpBid[], id: string, now: Millis): { ok: true; offer: SecondChanceOffer } | { ok: false; code: ErrorCode } {
  if (o.status !== 'EXPIRED') return { ok: false, code: 'ILLEGAL_ORDER_TRANSITION' };
  const runnerUp = bids.find((b) => b.bidder !== o.buyerId && b.bidder !== o.sellerId);
  if (runnerUp === undefined) return { ok: false, code: 'NOT_FOUND' };
  return {
    ok: true,
    offer: {
      id, orderId: o.id, auctionId: o.auctionId, productId: o.productId, sellerId: o.sellerId, bidderId: runnerUp.bidder,
      amount: runnerUp.ceiling, createdAt: now, expiresAt: now + OFFER_VALID_MS, status: 'OPEN', newOrderId: null,
    },
  };
}

/** Accepting an offer: its bidder, while OPEN and within 48 hours. The new order's opening, or a code. */
export function acceptOffer(offer: SecondChanceOffer, user: UserId, orderId: string, now: Millis, payMs: Millis): { ok: true; opening: OrderOpening } | { ok: false; code: ErrorCode } {
  if (offer.bidderId !== user) return { ok: false, code: 'NOT_FOUND' };
  if (offer.status !== 'OPEN' || now >= offer.expiresAt) return { ok: false, code: 'ILLEGAL_ORDER_TRANSITION' };
  return {
    ok: true,
    opening: {
      id: orderId, auctionId: offer.auctionId, productId: offer.productId, buyerId: offer.bidderId, sellerId: offer.sellerId,
      amount: offer.amount, payBy: now + payMs, createdAt: now,
    },
  };
}

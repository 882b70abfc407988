// Orders and their payments (SPEC §5): plain data. Money is integer won, times epoch ms.
import type { Millis, UserId, Won } from '../kernel.ts';

export const ORDER_STATUSES = ['AWAITING_PAYMENT', 'PAID', 'SHIPPED', 'CONFIRMED', 'EXPIRED', 'REFUNDED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** A confirm sent to Toss whose answer is not known yet: settled by asking Toss, never by confirming again. */
export interface Confirming {
  paymentKey: string;
  /** The Idempotency-Key the confirm went to Toss with. */
  idempotencyKey: string;
  since: Millis;
}

/** What Toss said of the payment when it was approved. */
export interface PaymentFacts {
  paymentKey: string;
  method: string | null;
  approvedAt: Millis | null;
  receiptUrl: string | null;
}

export interface Shipment {
  carrier: string;
  trackingNumber: string;
  shippedAt: Millis;
}

/** What an order is opened from: a SOLD close's order, or an accepted second-chance offer. */
export interface OrderOpening {
  id: string;
  auctionId: string;
  productId: string;
  buyerId: UserId;
  sellerId: UserId;
  amount: Won;
  payBy: Millis;
  createdAt: Millis;
}

export interface PaymentOrder extends OrderOpening {
  status: OrderStatus;
  /** The seq of the order's last event; the next event takes seq + 1. */
  seq: number;
  confirming: Confirming | null;
  payment: PaymentFacts | null;
  /** What Toss took (the order's amount once PAID), and what was refunded of it. */
  paid: Won;
  refunded: Won;
  shipment: Shipment | null;
  updatedAt: Millis;
}

/** Each change of an order, with its data. */
export type OrderChange =
  | { type: 'OPENED'; amount: Won; payBy: Millis }
  | { type: 'CONFIRM_STARTED'; paymentKey: string; idempotencyKey: string }
  | { type: 'CONFIRM_FAILED'; paymentKey: string; code: string }
  /** A virtual account was issued: no money yet, nothing in flight; a deposit before payBy pays the order. */
  | { type: 'AWAITING_DEPOSIT'; paymentKey: string }
  | { type: 'PAID'; payment: PaymentFacts; amount: Won }
  | { type: 'SHIPPED'; carrier: string; trackingNumber: string }
  | { type: 'CONFIRMED'; automatic: boolean }
  | { type: 'EXPIRED' }
  | { type: 'REFUNDED'; amount: Won; reason: string; transactionKey: string | null };

export type OrderEventType = OrderChange['type'];

/**
 * What the buyer and the seller are told of an order (an inbox item's kind and a socket notice's):
 * each transition past OPENED, and second-chance offers made and accepted.
 */
export const ORDER_NOTICE_KINDS = ['order_paid', 'order_shipped', 'order_confirmed', 'order_expired', 'order_refunded', 'offer_made', 'offer_accepted'] as const;
export type OrderNoticeKind = (typeof ORDER_NOTICE_KINDS)[number];

/** One change of one order, in its history with gap-free seq from 1. */
export type OrderEvent = OrderChange & { orderId: string; seq: number; at: Millis };

/**
 * A second-chance offer (eBay's): after an order EXPIRED, its seller offers the item to the runner-up at
 * that bidder's highest bid (their ceiling: shown to them only), for 48 hours; accepted, it opens a new order.
 */
export interface SecondChanceOffer {
  id: string;
  /** The order that expired. */
  orderId: string;
  auctionId: string;
  productId: string;
  sellerId: UserId;
  bidderId: UserId;
  amount: Won;
  createdAt: Millis;
  expiresAt: Millis;
  status: 'OPEN' | 'ACCEPTED';
  /** The order its acceptance opened. */
  newOrderId: string | null;
}

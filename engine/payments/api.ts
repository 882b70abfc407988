// What the HTTP routes ask of orders and payments (SPEC §5). A refund takes the caller's
// Idempotency-Key where Toss is called, so a retried request is the same operation at Toss too.
import type { Actor } from '../market/api.ts';
import type { Won } from '../kernel.ts';
import type { OrderEvent, PaymentOrder, SecondChanceOffer } from './model.ts';

/** An order as its buyer, seller or an admin reads it. */
export interface OrderView {
  order: PaymentOrder;
  events: OrderEvent[];
}

/** What Toss's payment widget needs to start (SPEC §5 checkout). */
export interface Checkout {
  orderId: string;
  orderName: string;
  amount: Won;
  customerKey: string;
  clientKey: string;
  successUrl: string;
  failUrl: string;
}

export interface ConfirmPayment {
  paymentKey: string;
  orderId: string;
  amount: unknown;
}

/**
 * Rejects with OkjError: ORDER_NOT_FOUND (no such order, or the actor has no part in it), FORBIDDEN,
 * ORDER_NOT_PAYABLE, PAYMENT_AMOUNT_MISMATCH, PAYMENT_REJECTED (details.providerCode), PAYMENT_PENDING,
 * ILLEGAL_ORDER_TRANSITION, REFUND_EXCEEDS_PAID, VALIDATION_FAILED, STORE_UNAVAILABLE.
 */
export interface PaymentsApi {
  orders(actor: Actor, limit: number): Promise<PaymentOrder[]>;
  order(actor: Actor, id: string): Promise<OrderView>;
  checkout(actor: Actor, id: string): Promise<Checkout>;
  /** The widget's success redirect: the order becomes PAID, or the call says why not. */
  confirmPayment(actor: Actor, req: ConfirmPayment): Promise<OrderView>;
  ship(actor: Actor, id: string, carrier: string, trackingNumber: string): Promise<OrderView>;
  confirmReceipt(actor: Actor, id: string): Promise<OrderView>;
  refund(actor: Actor, id: string, amount: Won | undefined, reason: string, idempotencyKey: string): Promise<OrderView>;
  /** The seller of an EXPIRED order: the offer to the runner-up (the same one when asked again). */
  offerSecondChance(actor: Actor, orderId: string): Promise<SecondChanceOffer>;
  /** The runner-up, within 48 hours: the new order. */
  acceptOffer(actor: Actor, offerId: string): Promise<OrderView>;
  /** Offers the actor made or got, newest first. */
  offers(actor: Actor, limit: number): Promise<SecondChanceOffer[]>;
  /** An admin lifts a user's BIDDING_SUSPENDED; false when they were not suspended. */
  liftSuspension(actor: Actor, user: string): Promise<boolean>;
}

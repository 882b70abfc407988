// Orders and second-chance offers as the web app reads them (docs/payments.md). The checkout's shape is
// the generated one; orders and offers are written after engine/payments/model.ts SecondChanceOffer and
// http/payments/routes.ts orderBody, with the fields the OpenAPI document leaves optional always there.
import type { Api } from '../../../client/index.ts';
import { api } from '../okj.ts';
import type { Order } from './market.ts';

/** What Toss's payment window needs to start (the checkout route's answer). */
export type Checkout = Api.Checkout;

/** An order as GET /orders and the writes answer it. */
export interface OrderRow extends Order {
  confirming: boolean;
  shipment: { carrier: string; trackingNumber: string } | null;
  payment: { refundable: number } | null;
}

/** An offer as its asker sees it: the amount only to the runner-up, the runner-up hidden from the seller. */
export interface Offer {
  id: string;
  orderId: string;
  auctionId: string;
  productId: string;
  sellerId: string;
  bidderId: string | null;
  amount?: number;
  createdAt: number;
  expiresAt: number;
  status: 'OPEN' | 'ACCEPTED';
  newOrderId: string | null;
}

const as = <T>(p: Promise<unknown>): Promise<T> => p as Promise<T>;

export const payments = {
  orders: () => as<{ items: OrderRow[] }>(api.orders.list()).then((p) => p.items),
  checkout: (id: string) => as<Checkout>(api.orders.checkout(id)),
  confirmPayment: (paymentKey: string, orderId: string, amount: number) => as<OrderRow>(api.orders.confirmPayment({ paymentKey, orderId, amount })),
  ship: (id: string, carrier: string, trackingNumber: string) => as<OrderRow>(api.orders.ship(id, { carrier, trackingNumber })),
  confirmReceipt: (id: string) => as<OrderRow>(api.orders.confirmReceipt(id)),
  refund: (id: string, reason: string) => as<OrderRow>(api.orders.refund(id, { reason })),
  secondChance: (id: string) => as<Offer>(api.orders.secondChance(id)),
  offers: () => as<{ items: Offer[] }>(api.offers.list()).then((p) => p.items),
  accept: (id: string) => as<OrderRow>(api.offers.accept(id)),
};

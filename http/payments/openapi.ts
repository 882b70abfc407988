// The payments routes (http/payments/) in the OpenAPI document: bodies from the zod schemas that parse
// them; answers as docs/payments.md describes them.
import { fromZod } from '../openapi-zod.ts';
import { bearer, idempotency, json, millis, P400, P401, P403, P404, P409, P503, problem, ref, won, type ApiFragment, type Json } from '../openapi-kit.ts';
import { ConfirmBody, RefundBody, ShipBody } from './schemas.ts';

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 }, description: 'the order id' };
const key = { ...idempotency(true), description: 'required on every write: a retry gets the first answer' };
const P501 = problem('payments are not configured (PAYMENTS_NOT_CONFIGURED)');

const Order: Json = {
  type: 'object',
  required: ['id', 'auctionId', 'buyerId', 'sellerId', 'amount', 'status', 'payBy', 'createdAt', 'seq', 'payment'],
  properties: {
    id: { type: 'string' }, auctionId: { type: 'string' }, productId: { type: 'string' }, buyerId: { type: 'string' }, sellerId: { type: 'string' },
    amount: won, status: { type: 'string', enum: ['AWAITING_PAYMENT', 'PAID', 'SHIPPED', 'CONFIRMED', 'EXPIRED', 'REFUNDED'] },
    payBy: millis, createdAt: millis, updatedAt: millis, seq: { type: 'integer', description: "the order's last event" },
    confirming: { type: 'boolean', description: 'a confirm is at Toss with its outcome not yet known' },
    payment: {
      type: ['object', 'null'],
      properties: {
        paymentKey: { type: 'string' }, method: { type: ['string', 'null'] }, approvedAt: { type: ['integer', 'null'] },
        receiptUrl: { type: ['string', 'null'] }, paid: { type: 'integer' }, refunded: { type: 'integer' }, refundable: { type: 'integer' },
      },
    },
    shipment: { type: ['object', 'null'], properties: { carrier: { type: 'string' }, trackingNumber: { type: 'string' }, shippedAt: millis } },
    events: { type: 'array', items: { type: 'object', required: ['seq', 'type', 'at'], properties: { seq: { type: 'integer' }, type: { type: 'string' }, at: millis } } },
  },
};

const Checkout: Json = {
  type: 'object', required: ['orderId', 'orderName', 'amount', 'customerKey', 'clientKey', 'successUrl', 'failUrl'],
  properties: {
    orderId: { type: 'string' }, orderName: { type: 'string' }, amount: won, customerKey: { type: 'string' },
    clientKey: { type: 'string' }, successUrl: { type: 'string' }, failUrl: { type: 'string' },
  },
};

const Offer: Json = {
  type: 'object', required: ['id', 'orderId', 'status', 'expiresAt'],
  properties: {
    id: { type: 'string' }, orderId: { type: 'string' }, auctionId: { type: 'string' }, productId: { type: 'string' }, sellerId: { type: 'string' },
    bidderId: { type: ['string', 'null'], description: 'null to the seller' }, amount: { ...won, description: 'the runner-up\'s highest bid: shown to them only' },
    createdAt: millis, expiresAt: millis, status: { type: 'string', enum: ['OPEN', 'ACCEPTED'] }, newOrderId: { type: ['string', 'null'] },
  },
};

const authed = (o: Json): Json => ({ tags: ['payments'], security: bearer, ...o });
const writeOf = (summary: string, body: Json | null, extra: Record<number, Json> = {}): Json => authed({
  summary, parameters: [idParam, key],
  ...(body !== null ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
  responses: { 200: json(ref('Order')), 400: P400, 401: P401, 403: P403, 404: P404, 409: P409, 503: P503, ...extra },
});

export function paymentsApi(): ApiFragment {
  return {
    schemas: { Order, Checkout, Offer },
    paths: {
      '/api/v1/orders': {
        get: authed({
          summary: 'my orders as buyer or seller, newest first (without their events)',
          parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } }],
          responses: { 200: json({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('Order') } } }), 401: P401 },
        }),
      },
      '/api/v1/orders/{id}': {
        get: authed({ summary: 'an order with its events (its buyer, seller or an admin)', parameters: [idParam], responses: { 200: json(ref('Order')), 401: P401, 404: P404 } }),
      },
      '/api/v1/orders/{id}/checkout': {
        post: authed({
          summary: "what Toss's payment widget needs (the buyer)", parameters: [idParam],
          responses: { 200: json(ref('Checkout')), 400: P400, 401: P401, 403: P403, 404: P404, 409: problem('not payable (ORDER_NOT_PAYABLE)'), 501: P501 },
        }),
      },
      '/api/v1/payments/confirm': {
        post: authed({
          summary: "after the widget's success redirect: the amount must equal the order's; Toss confirms; the order becomes PAID",
          parameters: [key],
          requestBody: { required: true, content: { 'application/json': { schema: fromZod(ConfirmBody) } } },
          responses: {
            200: json(ref('Order')), 400: P400, 401: P401, 402: problem('Toss refused (PAYMENT_REJECTED; providerCode)'), 403: P403, 404: P404,
            409: problem('ORDER_NOT_PAYABLE, or PAYMENT_PENDING (outcome not known yet: retry)'), 422: problem('PAYMENT_AMOUNT_MISMATCH'), 501: P501, 503: P503,
          },
        }),
      },
      '/api/v1/orders/{id}/ship': { post: writeOf('PAID -> SHIPPED (the seller)', fromZod(ShipBody)) },
      '/api/v1/orders/{id}/confirm': { post: writeOf('SHIPPED -> CONFIRMED (the buyer)', null) },
      '/api/v1/orders/{id}/refund': {
        post: writeOf('refund through Toss: the buyer the whole amount before shipping, an admin any amount left', fromZod(RefundBody), {
          402: problem('Toss refused (PAYMENT_REJECTED)'), 422: problem('REFUND_EXCEEDS_PAID'), 501: P501,
        }),
      },
      '/api/v1/orders/{id}/second-chance': {
        post: authed({
          summary: "the seller of an EXPIRED order offers it to the runner-up at that bidder's highest bid, for 48 hours (asked again: the same offer)",
          parameters: [idParam],
          responses: { 200: json(ref('Offer')), 400: P400, 401: P401, 403: P403, 404: problem('no such order, or no other bidder'), 409: problem('not EXPIRED (ILLEGAL_ORDER_TRANSITION)') },
        }),
      },
      '/api/v1/offers': {
        get: authed({ summary: 'second-chance offers I made or got, newest first', responses: { 200: json({ type: 'object', properties: { items: { type: 'array', items: ref('Offer') } } }), 401: P401 } }),
      },
      '/api/v1/offers/{id}/accept': {
        post: authed({
          summary: 'the runner-up accepts within 48 hours: a new order', parameters: [{ ...idParam, description: 'the offer id' }, key],
          responses: { 200: json(ref('Order')), 400: P400, 401: P401, 404: P404, 409: problem('no longer open (ILLEGAL_ORDER_TRANSITION)') },
        }),
      },
      '/api/v1/admin/suspensions/{user}': {
        delete: authed({
          summary: "lift a user's BIDDING_SUSPENDED (admin); their strikes stay",
          parameters: [{ name: 'user', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 } }],
          responses: { 204: { description: 'lifted' }, 401: P401, 403: P403, 404: problem('not suspended (NOT_FOUND)') },
        }),
      },
      '/api/v1/payments/webhook': {
        post: {
          summary: "Toss's webhooks (PAYMENT_STATUS_CHANGED, DEPOSIT_CALLBACK): answered 200 once stored; a hint, checked with Toss",
          tags: ['payments'],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { 200: json({ type: 'object', properties: { received: { type: 'boolean' } } }), 400: P400, 413: problem('larger than 16 KB (PAYLOAD_TOO_LARGE)'), 503: P503 },
        },
      },
    },
  };
}

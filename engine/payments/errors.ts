// The codes of orders and payments (SPEC §5).
import type { ErrorFragment } from '../error-info.ts';

export const PAYMENT_ERRORS = {
  ORDER_NOT_FOUND: { status: 404, socket: 'error', message: 'no such order, or not yours to see' },
  ORDER_NOT_PAYABLE: { status: 409, socket: 'error', message: 'the order cannot be paid: it is paid, expired or past its payBy' },
  PAYMENT_AMOUNT_MISMATCH: { status: 422, socket: 'error', message: "the amount is not the order's; nothing was sent to Toss" },
  PAYMENT_REJECTED: { status: 402, socket: 'error', message: "Toss refused the payment (its code is in providerCode); the order stays payable" },
  PAYMENT_PENDING: { status: 409, socket: 'error', message: "the payment's outcome is not known yet; retry with the same Idempotency-Key", retryable: true },
  ILLEGAL_ORDER_TRANSITION: { status: 409, socket: 'error', message: "the order's state does not allow this" },
  REFUND_EXCEEDS_PAID: { status: 422, socket: 'error', message: 'the refund is larger than what is left to refund' },
  BIDDING_SUSPENDED: { status: 403, socket: 'ack', message: 'bidding is suspended for unpaid orders until an admin lifts it' },
  PAYMENTS_NOT_CONFIGURED: { status: 501, socket: 'error', message: 'payments are not configured on this server (TOSS_SECRET_KEY, TOSS_CLIENT_KEY)' },
} as const satisfies ErrorFragment;

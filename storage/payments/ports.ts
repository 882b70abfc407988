// The PaymentGateway port: what the payments service asks of the payment provider (Toss Payments), in
// the terms of SPEC §5. No HTTP leaks out: every call answers with a result the service can tell apart by
// `kind` alone. Money is integer won, times are epoch ms.
//
//   kind                | meaning                                                  | what the caller does next
//   --------------------|----------------------------------------------------------|-----------------------------------------
//   ok                  | Toss answered with the payment (or page of transactions) | trust it
//   rejected            | Toss refused this request for good (code and message)    | nothing moved; report `code`
//   not_found           | Toss has no such payment or payment session              | nothing moved
//   already_processed   | the payment was confirmed before (confirm only)          | fetch it: `payment` / `paymentOfOrder`
//   unknown             | time-out, network, 5xx, odd body, "try again" codes      | the money may or may not have moved: ask
//                       |                                                          | Toss (`paymentOfOrder`) before anything else
//
// The Toss code of each kind is mapped in one table: `toss-codes.ts`.

export type PaymentStatus =
  | 'READY'
  | 'IN_PROGRESS'
  | 'WAITING_FOR_DEPOSIT'
  | 'DONE'
  | 'CANCELED'
  | 'PARTIAL_CANCELED'
  | 'ABORTED'
  | 'EXPIRED';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'READY', 'IN_PROGRESS', 'WAITING_FOR_DEPOSIT', 'DONE', 'CANCELED', 'PARTIAL_CANCELED', 'ABORTED', 'EXPIRED',
];

/** One cancellation (a full or partial refund) of a payment. */
export interface PaymentCancel {
  transactionKey: string;
  amount: number;
  reason: string;
  canceledAt: number;
}

/** The account a virtual-account payment is waiting on. */
export interface VirtualAccount {
  accountNumber: string;
  bankCode: string;
  customerName: string | null;
  dueDate: number | null;
  expired: boolean;
}

export interface Payment {
  paymentKey: string;
  orderId: string;
  orderName: string | null;
  status: PaymentStatus;
  /** The method as Toss names it ("카드", "가상계좌", ...); null before the buyer chose one. */
  method: string | null;
  totalAmount: number;
  /** What is left to refund. */
  balanceAmount: number;
  requestedAt: number | null;
  approvedAt: number | null;
  lastTransactionKey: string | null;
  /** Proves a DEPOSIT_CALLBACK webhook is Toss's (virtual accounts); compare it in constant time. */
  secret: string | null;
  receiptUrl: string | null;
  cancels: PaymentCancel[];
  virtualAccount: VirtualAccount | null;
  /** Why an ABORTED or EXPIRED payment failed, as Toss put it. */
  failure: { code: string; message: string } | null;
}

/** One approval or cancellation, as Toss's transaction list (reconciliation) gives it. */
export interface Transaction {
  transactionKey: string;
  paymentKey: string;
  orderId: string;
  method: string | null;
  /** The amount of this transaction: the payment's for an approval, the refunded amount for a cancel. */
  amount: number;
  status: PaymentStatus;
  transactionAt: number;
}

export interface RefundAccount {
  bank: string;
  accountNumber: string;
  holderName: string;
}

export interface ConfirmRequest {
  paymentKey: string;
  orderId: string;
  amount: number;
  /**
   * One per confirmation, at most 300 characters. Toss answers a repeat with the same key (same API key,
   * URL and method) with its first response, whatever the body: never reuse a key for another payment.
   */
  idempotencyKey: string;
}

export interface CancelRequest {
  paymentKey: string;
  reason: string;
  /** The amount to refund; the whole balance when absent. */
  amount?: number;
  /** Required by Toss to refund a virtual-account payment that was paid. */
  refundAccount?: RefundAccount;
  /** One per refund, at most 300 characters. */
  idempotencyKey: string;
}

export interface TransactionQuery {
  /** The period, both ends included (Toss's `transactionAt`). */
  from: number;
  to: number;
  /** The `next` of the page before. */
  startingAfter?: string;
  /** Page size, 1 to 10 000; Toss's default is 100. */
  limit?: number;
}

export type UnknownCause = 'timeout' | 'network' | 'server' | 'bad_response';

export interface Rejected { kind: 'rejected'; code: string; message: string }
export interface NotFound { kind: 'not_found'; code: string; message: string }
export interface AlreadyProcessed { kind: 'already_processed'; code: string; message: string }
export interface UnknownOutcome {
  kind: 'unknown';
  cause: UnknownCause;
  /** Toss's code when it said one (PROVIDER_ERROR, FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING, ...). */
  code: string | null;
  message: string;
}
export type Failure = Rejected | NotFound | AlreadyProcessed | UnknownOutcome;

export interface PaymentFound { kind: 'ok'; payment: Payment }

export type ConfirmResult = PaymentFound | Rejected | NotFound | AlreadyProcessed | UnknownOutcome;
export type PaymentResult = PaymentFound | Rejected | NotFound | UnknownOutcome;
/** `payment: null` only when Toss said it has no payment for the order (NOT_FOUND_PAYMENT). */
export type OrderPaymentResult = { kind: 'ok'; payment: Payment | null } | Rejected | UnknownOutcome;
export type CancelResult = PaymentFound | Rejected | NotFound | UnknownOutcome;
/** `next` is the `startingAfter` of the next page; null once a page came back short. */
export type TransactionsResult = { kind: 'ok'; transactions: Transaction[]; next: string | null } | Rejected | UnknownOutcome;

export interface PaymentGateway {
  /** Approve what the buyer authorised in Toss's widget (the success redirect's three values). */
  confirm(req: ConfirmRequest): Promise<ConfirmResult>;
  payment(paymentKey: string): Promise<PaymentResult>;
  /** The payment of an order id: how an unknown outcome is settled. */
  paymentOfOrder(orderId: string): Promise<OrderPaymentResult>;
  /** Refund the whole balance or part of it. */
  cancel(req: CancelRequest): Promise<CancelResult>;
  /** One page of the approvals and cancellations of a period (reconciliation). */
  transactions(query: TransactionQuery): Promise<TransactionsResult>;
}
export type * from './order-ports.ts';
export { StoreUnavailableError, WriteConflictError } from '../errors.ts';

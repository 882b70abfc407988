// Toss Payments' response bodies, read defensively: the Payment object, the transaction list and the error
// object, as docs.tosspayments.com documents them (version 2022-11-16). Only the fields the port needs are
// read and checked; the rest is ignored, so new fields Toss adds break nothing. A body that does not fit
// (HTML from a proxy, truncated JSON, a field missing or of the wrong type) is null: the caller treats it
// as an unknown outcome, never as a crash.
import { z } from 'zod';
import { PAYMENT_STATUSES, type Payment, type PaymentStatus, type Transaction } from './ports.ts';

// Toss writes payment times with their offset ("2022-01-01T11:31:51+09:00").
const time = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const won = z.int().nonnegative();
const status = z.enum(PAYMENT_STATUSES as [PaymentStatus, ...PaymentStatus[]]);

const TossCancel = z.object({
  transactionKey: z.string().min(1),
  cancelAmount: won,
  cancelReason: z.string(),
  canceledAt: time,
});

const TossPayment = z.object({
  paymentKey: z.string().min(1),
  orderId: z.string().min(1),
  orderName: z.string().nullish(),
  status,
  method: z.string().nullish(),
  // Amounts are won only: a payment in another currency is not one this port can hold.
  currency: z.literal('KRW').optional(),
  totalAmount: won,
  balanceAmount: won,
  requestedAt: time.nullish(),
  approvedAt: time.nullish(),
  lastTransactionKey: z.string().nullish(),
  secret: z.string().nullish(),
  receipt: z.object({ url: z.string() }).nullish(),
  cancels: z.array(TossCancel).nullish(),
  virtualAccount: z.object({
    accountNumber: z.string(),
    bankCode: z.string(),
    customerName: z.string().nullish(),
    dueDate: time.nullish(),
    expired: z.boolean(),
  }).nullish(),
  failure: z.object({ code: z.string(), message: z.string() }).nullish(),
});

const TossTransaction = z.object({
  transactionKey: z.string().min(1),
  paymentKey: z.string().min(1),
  orderId: z.string().min(1),
  method: z.string().nullish(),
  currency: z.literal('KRW').optional(),
  amount: won,
  status,
  transactionAt: time,
});

// A code is an upper-case word; anything else is not Toss talking.
const TossError = z.object({ code: z.string().regex(/^[A-Z0-9_]{1,100}$/), message: z.string() });

export function readPayment(body: unknown): Payment | null {
  const r = TossPayment.safeParse(body);
  if (!r.success) return null;
  const p = r.data;
  return {
    paymentKey: p.paymentKey,
    orderId: p.orderId,
    orderName: p.orderName ?? null,
    status: p.status,
    method: p.method ?? null,
    totalAmount: p.totalAmount,
    balanceAmount: p.balanceAmount,
    requestedAt: p.requestedAt ?? null,
    approvedAt: p.approvedAt ?? null,
    lastTransactionKey: p.lastTransactionKey ?? null,
    secret: p.secret ?? null,
    receiptUrl: p.receipt?.url ?? null,
    cancels: (p.cancels ?? []).map((c) => ({
      transactionKey: c.transactionKey, amount: c.cancelAmount, reason: c.cancelReason, canceledAt: c.canceledAt,
    })),
    virtualAccount: p.virtualAccount == null ? null : {
      accountNumber: p.virtualAccount.accountNumber,
      bankCode: p.virtualAccount.bankCode,
      customerName: p.virtualAccount.customerName ?? null,
      dueDate: p.virtualAccount.dueDate ?? null,
      expired: p.virtualAccount.expired,
    },
    failure: p.failure ?? null,
  };
}

export function readTransactions(body: unknown): Transaction[] | null {
  const r = z.array(TossTransaction).safeParse(body);
  if (!r.success) return null;
  return r.data.map((t) => ({
    transactionKey: t.transactionKey, paymentKey: t.paymentKey, orderId: t.orderId, method: t.method ?? null,
    amount: t.amount, status: t.status, transactionAt: t.transactionAt,
  }));
}

export function readError(body: unknown): { code: string; message: string } | null {
  const r = TossError.safeParse(body);
  return r.success ? r.data : null;
}

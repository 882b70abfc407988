// Toss Payments' bodies as Toss writes them (docs.tosspayments.com, version 2022-11-16): the Payment
// object with every documented field (those the port does not read carry the documented defaults), a
// transaction of the list, and the two webhook bodies. The loopback fake answers with these, so the
// adapter is read against the real shape, not against its own idea of it.
import type { Payment, Transaction } from '../../storage/payments/ports.ts';
import { tossDateTime, tossWebhookTime } from '../../storage/payments/toss-time.ts';

const time = (ms: number | null): string | null => (ms === null ? null : tossDateTime(ms));

export function tossPayment(p: Payment): Record<string, unknown> {
  const vat = Math.round(p.balanceAmount / 11);
  let refunded = 0;
  return {
    mId: 'tosspayments',
    version: '2022-11-16',
    lastTransactionKey: p.lastTransactionKey,
    paymentKey: p.paymentKey,
    orderId: p.orderId,
    orderName: p.orderName,
    taxExemptionAmount: 0,
    status: p.status,
    requestedAt: time(p.requestedAt),
    approvedAt: time(p.approvedAt),
    useEscrow: false,
    cultureExpense: false,
    card: p.method !== '카드' ? null : {
      issuerCode: '71', acquirerCode: '71', number: '12345678****000*', installmentPlanMonths: 0,
      isInterestFree: false, interestPayer: null, approveNo: '00000000', useCardPoint: false, cardType: '신용',
      ownerType: '개인', acquireStatus: 'READY', amount: p.totalAmount,
    },
    virtualAccount: p.virtualAccount === null ? null : {
      accountType: '일반', accountNumber: p.virtualAccount.accountNumber, bankCode: p.virtualAccount.bankCode,
      customerName: p.virtualAccount.customerName, dueDate: time(p.virtualAccount.dueDate), refundStatus: 'NONE',
      expired: p.virtualAccount.expired, settlementStatus: 'INCOMPLETED', refundReceiveAccount: null,
    },
    transfer: null,
    mobilePhone: null,
    giftCertificate: null,
    cashReceipt: null,
    cashReceipts: null,
    discount: null,
    cancels: p.cancels.length === 0 ? null : p.cancels.map((c) => {
      refunded += c.amount;
      return {
        transactionKey: c.transactionKey, cancelReason: c.reason, taxExemptionAmount: 0, canceledAt: tossDateTime(c.canceledAt),
        easyPayDiscountAmount: 0, receiptKey: null, cancelAmount: c.amount, taxFreeAmount: 0,
        refundableAmount: p.totalAmount - refunded, cancelStatus: 'DONE', cancelRequestId: null,
      };
    }),
    secret: p.secret,
    type: 'NORMAL',
    easyPay: null,
    country: 'KR',
    failure: p.failure,
    isPartialCancelable: true,
    receipt: p.receiptUrl === null ? null : { url: p.receiptUrl },
    checkout: { url: `https://api.tosspayments.com/v1/payments/${p.paymentKey}/checkout` },
    currency: 'KRW',
    totalAmount: p.totalAmount,
    balanceAmount: p.balanceAmount,
    suppliedAmount: p.balanceAmount - vat,
    vat,
    taxFreeAmount: 0,
    method: p.method,
    metadata: null,
  };
}

export function tossTransaction(t: Transaction): Record<string, unknown> {
  return {
    mId: 'tosspayments', transactionKey: t.transactionKey, paymentKey: t.paymentKey, orderId: t.orderId,
    currency: 'KRW', method: t.method, customerKey: null, useEscrow: false, amount: t.amount, status: t.status,
    transactionAt: tossDateTime(t.transactionAt),
  };
}

export type WebhookType = 'PAYMENT_STATUS_CHANGED' | 'DEPOSIT_CALLBACK';

/**
 * PAYMENT_STATUS_CHANGED carries the whole Payment under `data`; DEPOSIT_CALLBACK (virtual accounts) is flat
 * and carries the payment's `secret`, the only thing that proves it comes from Toss: payment webhooks are
 * not signed.
 */
export function tossWebhook(type: WebhookType, p: Payment, now: number): Record<string, unknown> {
  if (type === 'PAYMENT_STATUS_CHANGED') return { eventType: type, createdAt: tossWebhookTime(now), data: tossPayment(p) };
  return { createdAt: tossWebhookTime(now), secret: p.secret, status: p.status, transactionKey: p.lastTransactionKey, orderId: p.orderId };
}

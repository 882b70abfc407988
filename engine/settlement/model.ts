// Settlement's data: the ledger's accounts, transactions and entries in signed integer won, fee
// policies, sellers' plans, settlements and payouts. Plain data only.
import type { Millis, UserId, Won } from '../kernel.ts';

/**
 * Where money sits. Every transaction moves money between accounts: entries are signed and sum to zero.
 * `clearing` is Toss's side (money that came in is taken from it, so it runs negative: minus everything
 * ever captured); every other account holds a non-negative balance.
 */
export type AccountKind = 'clearing' | 'escrow' | 'payable' | 'fee_revenue' | 'refunds' | 'in_transit' | 'paid_out';

/** `clearing`, `fee_revenue`, `refunds`, or `<kind>:<orderId|sellerId>` (escrow by order; payable, in_transit, paid_out by seller). */
export type AccountId = string;

export interface Entry {
  account: AccountId;
  /** Signed whole won: what the account gains (negative: loses). */
  amount: Won;
}

/** The money events that post to the ledger. */
export type CauseKind = 'payment_captured' | 'refunded' | 'purchase_confirmed' | 'payout_sent' | 'payout_completed' | 'payout_failed';

export interface LedgerTransaction {
  /** Unique: posting the same key again posts nothing. */
  key: string;
  cause: CauseKind;
  /** What caused it: the order, refund or payout id. */
  ref: string;
  at: Millis;
  /** The order and seller it concerns, when it has them (for reports and settlement runs). */
  orderId: string | null;
  sellerId: UserId | null;
  /** A confirmation's figures: the price kept (paid less refunded) and the fee fixed at confirmation. */
  price: Won | null;
  fee: Won | null;
  entries: Entry[];
}

export type Plan = 'AUTO' | 'IMMEDIATELY';
export const PLANS: readonly Plan[] = ['AUTO', 'IMMEDIATELY'];

/** A fee rule, effective from `effectiveFrom`; `categoryId` null is the default for every category. */
export interface FeePolicy {
  id: string;
  categoryId: string | null;
  plan: Plan;
  rateBps: number;
  minFee: Won;
  effectiveFrom: Millis;
  createdAt: Millis;
}

export interface PayoutAccount {
  bankCode: string;
  accountNumber: string;
  holderName: string;
}

export interface SellerSettings {
  sellerId: UserId;
  plan: Plan;
  payoutAccount: PayoutAccount | null;
  updatedAt: Millis;
}

/** A day in Asia/Seoul, `YYYY-MM-DD`: orders confirmed before its end are paid in its run. */
export type Period = string;

export type SettlementStatus = 'PENDING' | 'SENT' | 'PAID' | 'FAILED';

export interface SettlementLine {
  orderId: string;
  price: Won;
  fee: Won;
  net: Won;
  confirmedAt: Millis;
}

export interface Settlement {
  id: string;
  sellerId: UserId;
  period: Period;
  status: SettlementStatus;
  /** Sum of the lines' nets: what the payout carries. */
  amount: Won;
  createdAt: Millis;
  updatedAt: Millis;
  lines: SettlementLine[];
}

export type PayoutStatus = 'PENDING' | 'REQUESTED' | 'COMPLETED' | 'FAILED';

/** One payout per settlement: its id is the settlement's (so a retried run cannot pay twice). */
export interface Payout {
  id: string;
  sellerId: UserId;
  period: Period;
  amount: Won;
  account: PayoutAccount;
  status: PayoutStatus;
  /** The gateway's reference (Toss's payout id, the CSV file's key). */
  reference: string | null;
  failure: string | null;
  updatedAt: Millis;
}

// What other domains and the transports call of settlement.
//
// The seam for payments: when an order's money moves (captured, refunded, confirmed), payments asks
// LedgerPostings for the transaction and writes it in the SAME database write as the order's change
// (the SQL ledger hands the transaction's statements for that; the memory ledger posts it). Captures and
// refunds are pure; a confirmation reads the seller's plan and the fee policies to fix the fee.
import type { Millis, UserId, Won } from '../kernel.ts';
import type { FeePolicy, LedgerTransaction, PayoutAccount, Plan, Settlement } from './model.ts';
import type { CaptureEvent, RefundEvent } from './postings.ts';

export interface ConfirmationFacts {
  orderId: string;
  sellerId: UserId;
  /** The listing's category, for its fee policy (null: the default policy). */
  categoryId: string | null;
  /** What the order keeps: paid less refunded (all its escrow). */
  price: Won;
  at: Millis;
}

export interface LedgerPostings {
  captured(e: CaptureEvent): LedgerTransaction;
  refunded(e: RefundEvent): LedgerTransaction;
  /** The confirmation's transaction, with the fee of the seller's plan in force at `at`. */
  confirmed(facts: ConfirmationFacts): Promise<LedgerTransaction>;
}

/** Who is asking (from the access token). */
export interface SettlementActor {
  userId: UserId;
  role: 'user' | 'admin';
}

export interface RunReport {
  period: string;
  /** Settlements this run opened (sellers it paid or is paying). */
  opened: number;
  /** What they carry, in won. */
  amount: Won;
  /** Sellers owed money with no payout account: held, and told. */
  held: number;
  /** Payouts of earlier runs sent again (their run crashed, or their outcome was unknown). */
  resent: number;
  completed: number;
  requested: number;
  failed: number;
  /** Still PENDING: the gateway gave no answer; sent again by a later run. */
  unknown: number;
}

export interface SellerView {
  plan: Plan;
  payoutAccount: PayoutAccount | null;
  /** Periods the seller was held for, newest first. */
  holds: Array<{ period: string; amount: Won; at: Millis }>;
}

export interface FeePolicyFields {
  categoryId: string | null;
  plan: Plan;
  rateBps: number;
  minFee: Won;
  effectiveFrom: Millis;
}

export interface Mismatch {
  /** Toss's transaction key, or the ledger transaction's key when Toss has none for it. */
  key: string;
  orderId: string | null;
  kind: 'missing_in_ledger' | 'missing_at_toss' | 'amount_differs';
  ledger: Won | null;
  toss: Won | null;
}

export interface Reconciliation {
  period: string;
  checked: number;
  mismatches: Mismatch[];
}

/** What the HTTP API calls. Every method checks who may do it and throws OkjError codes. */
export interface SettlementApi {
  run(actor: SettlementActor, period: unknown): Promise<RunReport>;
  settlements(actor: SettlementActor, all: boolean, limit: number): Promise<Settlement[]>;
  settlement(actor: SettlementActor, id: string): Promise<Settlement>;
  settlementCsv(actor: SettlementActor, id: string): Promise<string>;
  balances(actor: SettlementActor, accounts: readonly string[] | null): Promise<Record<string, Won>>;
  feePolicies(actor: SettlementActor): Promise<FeePolicy[]>;
  createFeePolicy(actor: SettlementActor, fields: FeePolicyFields): Promise<FeePolicy>;
  deleteFeePolicy(actor: SettlementActor, id: string): Promise<void>;
  seller(actor: SettlementActor, sellerId: UserId): Promise<SellerView>;
  setPlan(actor: SettlementActor, sellerId: UserId, plan: Plan): Promise<SellerView>;
  setPayoutAccount(actor: SettlementActor, sellerId: UserId, account: PayoutAccount): Promise<SellerView>;
  /** Null when no payment provider is configured (answered PAYMENTS_NOT_CONFIGURED-like by the route). */
  reconcile(actor: SettlementActor, period: unknown): Promise<Reconciliation>;
  /**
   * Toss's payout.changed webhook (the raw body, its transmission time and signature headers): verified,
   * then the payout completes or fails (reversed in the ledger) in one write; a repeat, or a payout this
   * server does not know, changes nothing. Resolves once stored.
   */
  payoutWebhook(body: string, transmissionTime: string | undefined, signature: string | undefined): Promise<{ changed: boolean }>;
}

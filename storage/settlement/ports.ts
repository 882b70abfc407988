// What settlement needs of the world, in its own terms: the ledger, the fee policies, sellers' plans and
// payout accounts, settlements with their lines, payouts, and holds (sellers owed money with no payout
// account). One contract suite each (test/settlement/*.contract.test.ts), over memory, SQLite and MariaDB.
import type { Millis, UserId, Won } from '../../engine/kernel.ts';
import type {
  AccountId, FeePolicy, LedgerTransaction, Payout, PayoutStatus, Period, SellerSettings, Settlement, SettlementLine,
} from '../../engine/settlement/model.ts';

export interface PostedEntry {
  key: string;
  cause: LedgerTransaction['cause'];
  ref: string;
  account: AccountId;
  amount: Won;
  at: Millis;
}

export interface Ledger {
  /**
   * Post atomically: the transaction, its entries and the balances they move, or nothing. Resolves
   * false when its key was posted before (nothing changes). Rejects WriteConflictError when an entry
   * would take a balance that may not go negative below zero, or when the entries do not sum to zero.
   */
  post(tx: LedgerTransaction): Promise<boolean>;
  /** Maintained balances (one row each, moved in the posting's own write): the named accounts, or every one. */
  balances(accounts?: readonly AccountId[]): Promise<Map<AccountId, Won>>;
  transaction(key: string): Promise<LedgerTransaction | null>;
  /** An account's entries with from <= at < to, oldest first, at most `limit`. */
  entries(account: AccountId, from: Millis, to: Millis, limit: number): Promise<PostedEntry[]>;
  /** Every transaction with from <= at < to, oldest first, at most `limit` (reconciliation). */
  transactions(from: Millis, to: Millis, limit: number): Promise<LedgerTransaction[]>;
}

export interface FeePolicies {
  feePolicies(): Promise<FeePolicy[]>;
  /** Insert or replace by id. */
  putFeePolicy(p: FeePolicy): Promise<void>;
  /** False when there was none. Confirmed orders keep the fee written in their transaction. */
  deleteFeePolicy(id: string): Promise<boolean>;
}

export interface Sellers {
  seller(id: UserId): Promise<SellerSettings | null>;
  putSeller(s: SellerSettings): Promise<void>;
}

/** A seller with confirmed orders no live settlement holds yet. */
export interface Unsettled {
  sellerId: UserId;
  lines: SettlementLine[];
}

export interface OpenSettlement {
  settlement: Omit<Settlement, 'lines'>;
  lines: SettlementLine[];
  payout: Payout;
  /** payable -> in transit, keyed by the payout. */
  sent: LedgerTransaction;
  /** The opening run sends the payout; until this time no other run claims it. */
  claimedUntil: Millis;
}

export interface PayoutMove {
  id: string;
  from: PayoutStatus;
  to: PayoutStatus;
  at: Millis;
  reference?: string | null;
  failure?: string | null;
  tx?: LedgerTransaction;
}

export interface Settlements {
  /** Confirmations (from the ledger) with at < before that no live settlement holds, by seller. */
  unsettled(before: Millis): Promise<Unsettled[]>;
  /**
   * In one write: the settlement (unique per seller and period), its lines (each order in at most one
   * live settlement), its payout (PENDING) and the ledger's payout_sent transaction. False, and nothing
   * written, when that (seller, period) has a settlement already or another run claimed one of the orders.
   */
  open(s: OpenSettlement): Promise<boolean>;
  settlement(id: string): Promise<Settlement | null>;
  /** Newest first; every seller's when `seller` is null. */
  settlements(seller: UserId | null, limit: number): Promise<Settlement[]>;
  payout(id: string): Promise<Payout | null>;
  payoutsIn(status: PayoutStatus, limit: number): Promise<Payout[]>;
  /**
   * PENDING payouts whose claim has lapsed by `now` (their run crashed, or their outcome was unknown),
   * each claimed until `until` by this call: two runs never claim the same one. Oldest first.
   */
  claimPayouts(now: Millis, until: Millis, limit: number): Promise<Payout[]>;
  /**
   * Move payouts, each from its `from` to its `to` with its settlement's status, posting each one's
   * `tx` (completed or failed), all in one write: a bank file's payouts are marked together. A FAILED
   * payout releases its settlement's orders for a later run. False, and nothing written, when any payout
   * was no longer in its `from`.
   */
  movePayouts(moves: readonly PayoutMove[]): Promise<boolean>;
  /** Record that the seller was held for the period (no payout account). True the first time only. */
  hold(sellerId: UserId, period: Period, amount: Won, at: Millis): Promise<boolean>;
  holds(sellerId: UserId): Promise<Array<{ period: Period; amount: Won; at: Millis }>>;
}

export type SettlementStore = Ledger & FeePolicies & Sellers & Settlements;

// ---- payouts --------------------------------------------------------------------------------------

/**
 * What a gateway says of each payout it was handed:
 *   completed  the money is on its way and needs no further word (a bank file handed to the operator)
 *   requested  the provider took it; its outcome comes later (Toss's payout.changed webhook)
 *   failed     refused for good (reversed in the ledger, retried in a later run)
 *   unknown    no answer (time-out, 5xx): left PENDING and sent again, with the same id, next run
 */
export type PayoutOutcome =
  | { kind: 'completed'; reference: string }
  | { kind: 'requested'; reference: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'unknown'; reason: string };

export interface PayoutGateway {
  readonly name: string;
  /**
   * Hand over one period's payouts (each id is the settlement's: sending the same id again must not pay
   * twice). Resolves with an outcome per payout id; never rejects for a provider's answer.
   */
  send(period: Period, payouts: readonly Payout[]): Promise<Map<string, PayoutOutcome>>;
}

/** Where bank-transfer files go: disk under DATA_DIR, or memory in tests. */
export interface FileStore {
  /** Write the whole file under `key`, replacing what was there (a reader never sees half of one). */
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
}

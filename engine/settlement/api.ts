// What other domains and the transports call of settlement.
//
// The seam for payments: when an order's money moves (captured, refunded, confirmed), payments asks
// LedgerPostings for the transaction and writes it in the SAME database write as the order's change
// (the SQL ledger hands the transaction's statements for that; the memory ledger posts it). Captures and
// refunds are pure; a confirmation reads the seller's plan and the fee policies to fix the fee.
import type { Millis, UserId, Won } from '../kernel.ts';
import type { LedgerTransaction } from './model.ts';
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

// Applying a transaction to balances: what the memory ledger does, and what the SQL ledger's guarded
// updates do row by row. A transaction that would take a non-negative account below zero is refused whole.
import { mayGoNegative } from './accounts.ts';
import type { AccountId, LedgerTransaction } from './model.ts';
import { balanced } from './postings.ts';

export type ApplyRefusal = { refused: 'unbalanced' } | { refused: 'negative'; account: AccountId };

/** The balances after `tx`, or why it cannot be posted; `balances` is not changed. */
export function applyTransaction(balances: ReadonlyMap<AccountId, number>, tx: LedgerTransaction): Map<AccountId, number> | ApplyRefusal {
  if (!balanced(tx)) return { refused: 'unbalanced' };
  const next = new Map(balances);
  for (const e of tx.entries) next.set(e.account, (next.get(e.account) ?? 0) + e.amount);
  for (const e of tx.entries) {
    if (!mayGoNegative(e.account) && (next.get(e.account) ?? 0) < 0) return { refused: 'negative', account: e.account };
  }
  return next;
}

// Reconciliation of the ledger against Toss: per order, what the ledger holds as captured less refunded
// in the period against Toss's approvals less cancellations (GET /v1/transactions) in it.
import type { Won } from '../../engine/kernel.ts';
import type { Mismatch, Reconciliation } from '../../engine/settlement/api.ts';
import type { LedgerTransaction, Period } from '../../engine/settlement/model.ts';
import type { Transaction } from '../../storage/payments/ports.ts';

/** Toss's transactions of the period, net per order (a cancel's amount is money that went back). */
function tossNet(txs: readonly Transaction[]): Map<string, Won> {
  const out = new Map<string, Won>();
  for (const t of txs) {
    const sign = t.status === 'CANCELED' || t.status === 'PARTIAL_CANCELED' ? -1 : t.status === 'DONE' ? 1 : 0;
    if (sign === 0) continue;
    out.set(t.orderId, (out.get(t.orderId) ?? 0) + sign * t.amount);
  }
  return out;
}

function ledgerNet(txs: readonly LedgerTransaction[]): Map<string, Won> {
  const out = new Map<string, Won>();
  for (const t of txs) {
    if (t.orderId === null) continue;
    if (t.cause !== 'payment_captured' && t.cause !== 'refunded') continue;
    // What the order's escrow gained: + captured, - refunded.
    const amount = t.entries.find((e) => e.account.startsWith('escrow:'))?.amount ?? 0;
    out.set(t.orderId, (out.get(t.orderId) ?? 0) + amount);
  }
  return out;
}

export function reconcile(period: Period, ledger: readonly LedgerTransaction[], toss: readonly Transaction[]): Reconciliation {
  const l = ledgerNet(ledger);
  const t = tossNet(toss);
  const mismatches: Mismatch[] = [];
  for (const orderId of [...new Set([...l.keys(), ...t.keys()])].sort()) {
    const a = l.get(orderId);
    const b = t.get(orderId);
    if (a === b) continue;
    // Money Toss took and gave back whole (a payment the order could not take, refunded by payments)
    // never reaches the ledger: nothing on one side, zero on the other, is no mismatch.
    if ((a ?? 0) === 0 && (b ?? 0) === 0) continue;
    const kind: Mismatch['kind'] = a === undefined ? 'missing_in_ledger' : b === undefined ? 'missing_at_toss' : 'amount_differs';
    mismatches.push({ key: orderId, orderId, kind, ledger: a ?? null, toss: b ?? null });
  }
  return { period, checked: new Set([...l.keys(), ...t.keys()]).size, mismatches };
}

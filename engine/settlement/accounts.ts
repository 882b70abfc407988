// Account ids, and which balances can never go negative.
import type { UserId } from '../kernel.ts';
import type { AccountId, AccountKind } from './model.ts';

export const CLEARING: AccountId = 'clearing';
export const FEE_REVENUE: AccountId = 'fee_revenue';
export const REFUNDS: AccountId = 'refunds';

export const escrowOf = (orderId: string): AccountId => `escrow:${orderId}`;
export const payableOf = (seller: UserId): AccountId => `payable:${seller}`;
export const inTransitOf = (seller: UserId): AccountId => `in_transit:${seller}`;
export const paidOutOf = (seller: UserId): AccountId => `paid_out:${seller}`;

const KINDS: readonly AccountKind[] = ['clearing', 'escrow', 'payable', 'fee_revenue', 'refunds', 'in_transit', 'paid_out'];

export function kindOf(account: AccountId): AccountKind {
  const i = account.indexOf(':');
  const kind = (i < 0 ? account : account.slice(0, i)) as AccountKind;
  if (!KINDS.includes(kind)) throw new Error(`unknown ledger account ${account}`);
  return kind;
}

/**
 * Only the clearing account (Toss's side, minus all money taken in) may go negative: every other
 * balance is money held for someone and a negative one would mean paying out what never came in.
 */
export function mayGoNegative(account: AccountId): boolean {
  return kindOf(account) === 'clearing';
}

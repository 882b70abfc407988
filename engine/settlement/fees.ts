// Fees: floor(amount x rateBps / 10000), at least the policy's minimum, never more than the amount;
// the policy is the one in force at confirmation for the order's category (or the default), for the
// seller's plan. The fee is fixed when the purchase is confirmed (it is written in that transaction), so
// a later policy never rewrites a confirmed order.
import type { Millis, Won } from '../kernel.ts';
import type { FeePolicy, Plan } from './model.ts';

/** Used when no policy covers a plan: IMMEDIATELY costs more, for being paid sooner. */
export const BUILT_IN_POLICIES: readonly FeePolicy[] = [
  { id: 'built-in-auto', categoryId: null, plan: 'AUTO', rateBps: 500, minFee: 100, effectiveFrom: 0, createdAt: 0 },
  { id: 'built-in-immediately', categoryId: null, plan: 'IMMEDIATELY', rateBps: 800, minFee: 100, effectiveFrom: 0, createdAt: 0 },
];

export const MAX_RATE_BPS = 10_000;

export function feeOf(amount: Won, rateBps: number, minFee: Won): Won {
  // amount <= 10^12 and rate <= 10^4: the product stays below 2^53, so the floor is exact.
  const fee = Math.max(Math.floor((amount * rateBps) / 10_000), minFee);
  return Math.min(fee, amount);
}

/**
 * The policy in force at `at` for the category and plan: the category's own policies first, else the
 * defaults (category null), else the built-in one; among those, the latest effectiveFrom not after `at`
 * (ties: the latest created).
 */
export function policyFor(policies: readonly FeePolicy[], categoryId: string | null, plan: Plan, at: Millis): FeePolicy {
  const pick = (cat: string | null): FeePolicy | null => {
    let best: FeePolicy | null = null;
    for (const p of policies) {
      if (p.plan !== plan || p.categoryId !== cat || p.effectiveFrom > at) continue;
      if (best === null || p.effectiveFrom > best.effectiveFrom || (p.effectiveFrom === best.effectiveFrom && p.createdAt > best.createdAt)) best = p;
    }
    return best;
  };
  return (categoryId !== null ? pick(categoryId) : null) ?? pick(null) ?? BUILT_IN_POLICIES.find((p) => p.plan === plan)!;
}

export function feeFor(policies: readonly FeePolicy[], categoryId: string | null, plan: Plan, amount: Won, at: Millis): Won {
  const p = policyFor(policies, categoryId, plan, at);
  return feeOf(amount, p.rateBps, p.minFee);
}

export type FeePolicyProblem = 'rateBps' | 'minFee' | 'plan' | 'effectiveFrom' | 'categoryId';

/** What is wrong with a policy an admin submits, or null. */
export function feePolicyProblem(p: { categoryId: unknown; plan: unknown; rateBps: unknown; minFee: unknown; effectiveFrom: unknown }): FeePolicyProblem | null {
  if (p.plan !== 'AUTO' && p.plan !== 'IMMEDIATELY') return 'plan';
  if (typeof p.rateBps !== 'number' || !Number.isInteger(p.rateBps) || p.rateBps < 0 || p.rateBps > MAX_RATE_BPS) return 'rateBps';
  if (typeof p.minFee !== 'number' || !Number.isInteger(p.minFee) || p.minFee < 0 || p.minFee > 1_000_000_000) return 'minFee';
  if (typeof p.effectiveFrom !== 'number' || !Number.isSafeInteger(p.effectiveFrom) || p.effectiveFrom < 0) return 'effectiveFrom';
  if (p.categoryId !== null && (typeof p.categoryId !== 'string' || p.categoryId.length < 1 || p.categoryId.length > 64)) return 'categoryId';
  return null;
}

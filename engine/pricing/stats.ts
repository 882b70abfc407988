// Order statistics over prices: quartiles, Tukey's fences, and the trimmed summary of a set.
import type { Won } from '../auction/model.ts';
import type { PriceSummary } from './types.ts';
import { DEFAULT_PRICING_RULES, type PricingRules } from './rules.ts';

/** The q-quantile (0..1) of sorted values, interpolating between neighbours. `sorted` must not be empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const pos = (sorted.length - 1) * q;
  const below = Math.floor(pos);
  const above = Math.ceil(pos);
  return sorted[below] + (sorted[above] - sorted[below]) * (pos - below);
}

export function median(sorted: readonly number[]): number {
  return quantile(sorted, 0.5);
}

function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Tukey's fences of a set, or null when it is too small to fence (everything is kept). */
export function fences(values: readonly number[], rules: Pick<PricingRules, 'fenceK' | 'minPricesToTrim'> = DEFAULT_PRICING_RULES): { lo: number; hi: number } | null {
  if (values.length < rules.minPricesToTrim) return null;
  const sorted = ascending(values);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const iqr = q3 - q1;
  return { lo: q1 - rules.fenceK * iqr, hi: q3 + rules.fenceK * iqr };
}

/** The items whose price lies within the fences, in their original order, and how many were dropped. */
export function trimByPrice<T>(items: readonly T[], price: (item: T) => number, rules?: Pick<PricingRules, 'fenceK' | 'minPricesToTrim'>): { kept: T[]; dropped: number } {
  const f = fences(items.map(price), rules);
  if (f === null) return { kept: [...items], dropped: 0 };
  const kept = items.filter((item) => price(item) >= f.lo && price(item) <= f.hi);
  return { kept, dropped: items.length - kept.length };
}

/** Trim a set of prices and summarise what is left; null for no prices. Figures are rounded to whole won. */
export function summarise(prices: readonly Won[], rules?: Pick<PricingRules, 'fenceK' | 'minPricesToTrim'>): PriceSummary | null {
  if (prices.length === 0) return null;
  const { kept, dropped } = trimByPrice(prices, (p) => p, rules);
  // The fences always hold the quartiles, so something is kept; the guard keeps the types honest.
  if (kept.length === 0) return null;
  const sorted = ascending(kept);
  return {
    count: sorted.length,
    dropped,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    median: Math.round(median(sorted)),
    low: Math.round(quantile(sorted, 0.25)),
    high: Math.round(quantile(sorted, 0.75)),
  };
}

/** n / (n + half): zero with no data, a half at `half` points, approaching one. */
export function countConfidence(n: number, half: number): number {
  return n <= 0 ? 0 : n / (n + half);
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

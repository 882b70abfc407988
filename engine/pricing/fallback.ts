// Estimates without an estimator: from this platform's closed sales, or from new-goods prices alone.
import { countConfidence, round2 } from './stats.ts';
import { DEFAULT_PRICING_RULES, type PricingRules } from './rules.ts';
import type { OutlookBand, PriceBand, PriceSummary } from './types.ts';

export interface FallbackEstimate {
  today: PriceBand;
  threeMonths: OutlookBand;
  confidence: number;
}

function won(x: number): number {
  return Math.max(1, Math.round(x));
}

function outlook(today: PriceBand, rules: PricingRules): OutlookBand {
  const keep = 1 - rules.quarterlyDepreciation;
  return { low: won(today.low * keep), high: won(today.high * keep) };
}

/**
 * The platform's own sales: the trimmed median as the typical price and the quartiles as the range.
 * Confidence grows with the number of sales and shrinks as they spread (the quartile range relative to
 * the median), capped at maxFallbackConfidence.
 */
export function salesEstimate(sales: PriceSummary, rules: PricingRules = DEFAULT_PRICING_RULES): FallbackEstimate {
  const today = { low: won(sales.low), typical: won(sales.median), high: won(sales.high) };
  const spread = (today.high - today.low) / today.typical;
  const confidence = Math.min(rules.maxFallbackConfidence, countConfidence(sales.count, rules.salesHalfConfidence) / (1 + spread));
  return { today, threeMonths: outlook(today, rules), confidence: round2(confidence) };
}

/** New-goods prices only: fixed shares of their quartiles and median (a rule of thumb), low confidence. */
export function newGoodsEstimate(newGoods: PriceSummary, rules: PricingRules = DEFAULT_PRICING_RULES): FallbackEstimate {
  const share = rules.usedShareOfNew;
  const low = won(newGoods.low * share.low);
  const typical = Math.max(low, won(newGoods.median * share.typical));
  const high = Math.max(typical, won(newGoods.high * share.high));
  const today = { low, typical, high };
  const confidence = rules.newGoodsOnlyConfidence * countConfidence(newGoods.count, rules.listingsHalfConfidence);
  return { today, threeMonths: outlook(today, rules), confidence: round2(Math.min(rules.maxFallbackConfidence, confidence)) };
}

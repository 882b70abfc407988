// The thresholds of price prediction in one place, each with its reason. Callers may pass their own
// (configuration, tests); these are the defaults.

export interface PricingRules {
  /**
   * Tukey's fence factor: a price below Q1 - k·IQR or above Q3 + k·IQR is an outlier. A shopping search
   * for a product name mixes in accessories (a case at a tenth of the price) and bundles (several
   * units); quartile fences drop those without being pulled by them, as a mean and standard deviation
   * would be, and without always cutting a fixed share of a clean set, as a trimmed mean would.
   */
  fenceK: number;
  /** Below this many prices there are no quartiles worth fencing with: nothing is trimmed. */
  minPricesToTrim: number;
  /** Closed sales needed before the platform's own median outranks a guess from new-goods prices. */
  minSales: number;
  /** Closed sales older than this say little about today's price. */
  maxSaleAgeMs: number;
  /**
   * The sane band around the trimmed median of new-goods prices: every number an estimator gives (today
   * and three months on) must lie between these shares of it. A used price well above new is nonsense;
   * one at a few percent of new is too (the seed's fixed example produced both).
   */
  minShareOfNew: number;
  maxShareOfNew: number;
  /** With at least minSales sales, an estimator's typical price must be within this factor of their median. */
  salesFactor: number;
  /** Confidence from a count n is n / (n + half): half of full confidence at `half` data points. */
  listingsHalfConfidence: number;
  salesHalfConfidence: number;
  /** A fallback (no estimator) never claims more than this. */
  maxFallbackConfidence: number;
  /**
   * Only new-goods prices (no estimator, too few sales): the used range as shares of the new-goods
   * quartiles and median. A rule of thumb for second-hand goods, hence the low confidence below.
   */
  usedShareOfNew: { low: number; typical: number; high: number };
  newGoodsOnlyConfidence: number;
  /** Value a used item loses over three months, for the outlook of a fallback. */
  quarterlyDepreciation: number;
}

const DAY_MS = 86_400_000;

export const DEFAULT_PRICING_RULES: Readonly<PricingRules> = Object.freeze({
  fenceK: 1.5,
  minPricesToTrim: 4,
  minSales: 3,
  maxSaleAgeMs: 365 * DAY_MS,
  minShareOfNew: 0.05,
  maxShareOfNew: 1.2,
  salesFactor: 3,
  listingsHalfConfidence: 5,
  salesHalfConfidence: 5,
  maxFallbackConfidence: 0.8,
  usedShareOfNew: Object.freeze({ low: 0.5, typical: 0.6, high: 0.75 }),
  newGoodsOnlyConfidence: 0.3,
  quarterlyDepreciation: 0.05,
});

// Which answer to give, and what it rests on. The chain, best first:
//   naver+llm  an estimator's answer that passed the sanity checks (needs new-goods prices to judge by);
//   platform   the median and spread of this platform's recent closed sales, with at least minSales;
//   naver      shares of the trimmed new-goods prices (a rule of thumb, low confidence);
//   platform   whatever sales there are (fewer than minSales, maybe none: then no range, confidence 0).
import type { Millis, Won } from '../auction/model.ts';
import { newGoodsEstimate, salesEstimate } from './fallback.ts';
import { DEFAULT_PRICING_RULES, type PricingRules } from './rules.ts';
import { judgeEstimate } from './sanity.ts';
import { countConfidence, round2, summarise } from './stats.ts';
import type { ClosedSale, MarketPrice, RejectReason, UsedPriceEstimate } from './types.ts';

export interface PricingInput {
  /** New-goods prices from the shopping search; empty when it failed or found nothing. */
  newGoodsPrices: readonly Won[];
  /** The estimator's answer; null when it was not asked or failed. */
  estimate: UsedPriceEstimate | null;
  /** Closed sales of similar items on this platform. */
  sales: readonly ClosedSale[];
  now: Millis;
}

/** Sales that say something about today: closed within maxSaleAgeMs, and not in the future. */
export function recentSales(sales: readonly ClosedSale[], now: Millis, rules: PricingRules = DEFAULT_PRICING_RULES): ClosedSale[] {
  return sales.filter((s) => s.closedAt <= now && now - s.closedAt <= rules.maxSaleAgeMs);
}

export function decideMarketPrice(input: PricingInput, rules: PricingRules = DEFAULT_PRICING_RULES): MarketPrice {
  const newGoods = summarise(input.newGoodsPrices, rules);
  const sales = summarise(recentSales(input.sales, input.now, rules).map((s) => s.price), rules);
  const basis = { newGoods, sales };
  let rejected: RejectReason | null = null;

  if (input.estimate !== null) {
    const verdict = judgeEstimate(input.estimate, newGoods, sales, rules);
    if (verdict.sane && newGoods !== null) {
      const e = input.estimate;
      // The estimator's own confidence, discounted when it had few listings to go on.
      const confidence = round2(e.confidence * countConfidence(newGoods.count, rules.listingsHalfConfidence));
      return { source: 'naver+llm', today: { ...e.today }, threeMonths: { ...e.threeMonths }, confidence, basis, rejected, at: input.now };
    }
    if (!verdict.sane) rejected = verdict.reason;
  }

  if (sales !== null && sales.count >= rules.minSales) {
    return { source: 'platform', ...salesEstimate(sales, rules), basis, rejected, at: input.now };
  }
  if (newGoods !== null) {
    return { source: 'naver', ...newGoodsEstimate(newGoods, rules), basis, rejected, at: input.now };
  }
  if (sales !== null) {
    return { source: 'platform', ...salesEstimate(sales, rules), basis, rejected, at: input.now };
  }
  return { source: 'platform', today: null, threeMonths: null, confidence: 0, basis, rejected, at: input.now };
}

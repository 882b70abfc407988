// Is an estimator's answer believable? It is judged against the trimmed new-goods prices (a band around
// their median) and, when there are enough of them, against this platform's own closed sales.
import { isAmount } from '../money.ts';
import { DEFAULT_PRICING_RULES, type PricingRules } from './rules.ts';
import type { PriceSummary, RejectReason, UsedPriceEstimate } from './types.ts';

export type Verdict = { sane: true } | { sane: false; reason: RejectReason; detail: string };

function reject(reason: RejectReason, detail: string): Verdict {
  return { sane: false, reason, detail };
}

function consistent(e: UsedPriceEstimate): boolean {
  const all = [e.today.low, e.today.typical, e.today.high, e.threeMonths.low, e.threeMonths.high];
  return all.every(isAmount)
    && e.today.low <= e.today.typical && e.today.typical <= e.today.high
    && e.threeMonths.low <= e.threeMonths.high
    && Number.isFinite(e.confidence) && e.confidence >= 0 && e.confidence <= 1;
}

export function judgeEstimate(
  e: UsedPriceEstimate,
  newGoods: PriceSummary | null,
  sales: PriceSummary | null,
  rules: PricingRules = DEFAULT_PRICING_RULES,
): Verdict {
  if (!consistent(e)) return reject('inconsistent', 'amounts must be whole won with low <= typical <= high, confidence within 0..1');
  // Without new-goods prices there is no band to judge by, and the answer cannot be labelled naver+llm.
  if (newGoods === null) return reject('no-reference', 'no new-goods prices to judge the answer by');
  const all = [e.today.low, e.today.typical, e.today.high, e.threeMonths.low, e.threeMonths.high];
  const ceiling = newGoods.median * rules.maxShareOfNew;
  const floor = newGoods.median * rules.minShareOfNew;
  const top = Math.max(...all);
  const bottom = Math.min(...all);
  if (top > ceiling) return reject('above-new', `${top} won is above ${rules.maxShareOfNew} x the new-goods median of ${newGoods.median}`);
  if (bottom < floor) return reject('too-low', `${bottom} won is below ${rules.minShareOfNew} x the new-goods median of ${newGoods.median}`);
  if (sales !== null && sales.count >= rules.minSales) {
    const s = sales.median;
    const t = e.today.typical;
    if (t > s * rules.salesFactor || t * rules.salesFactor < s) {
      return reject('far-from-sales', `typical ${t} won is more than ${rules.salesFactor}x away from the platform's median sale of ${s}`);
    }
  }
  return { sane: true };
}

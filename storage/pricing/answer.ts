// An estimator's answer, checked after parsing: the shape of ESTIMATE_JSON_SCHEMA, whole won within the
// engine's amount range, confidence 0..1, and ranges in order. Strict structured output should already
// guarantee the shape; the check is what makes a model that ignores it (or a proxy) harmless.
import { z } from 'zod';
import { MAX_AMOUNT } from '../../engine/money.ts';
import type { UsedPriceEstimate } from '../../engine/pricing/index.ts';

const won = z.number().int().min(1).max(MAX_AMOUNT);

export const estimateAnswer = z.strictObject({
  today: z.strictObject({ low: won, typical: won, high: won })
    .refine((b) => b.low <= b.typical && b.typical <= b.high, 'today must have low <= typical <= high'),
  threeMonths: z.strictObject({ low: won, high: won })
    .refine((b) => b.low <= b.high, 'threeMonths must have low <= high'),
  confidence: z.number().min(0).max(1),
});

export type ParsedAnswer = { ok: true; estimate: UsedPriceEstimate } | { ok: false; message: string };

/** The model's message content as an estimate, or what is wrong with it (paths and rules, no values). */
export function parseEstimate(content: string): ParsedAnswer {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return { ok: false, message: `the answer is not JSON (${content.length} characters)` };
  }
  const r = estimateAnswer.safeParse(json);
  if (r.success) return { ok: true, estimate: r.data };
  const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, message: `the answer breaks the schema: ${issues.join('; ')}` };
}

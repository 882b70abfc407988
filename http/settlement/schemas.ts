// Request bodies of the settlement routes, as strict zod schemas (parsing and the OpenAPI document).
import { z } from 'zod';

export const RunBody = z.strictObject({
  period: z.string().describe('a day in Asia/Seoul, YYYY-MM-DD, that has ended'),
});

export const FeePolicyBody = z.strictObject({
  categoryId: z.string().nullable().describe('the category it applies to; null: the default for every category'),
  plan: z.enum(['AUTO', 'IMMEDIATELY']),
  rateBps: z.number().meta({ type: 'integer', minimum: 0, maximum: 10_000 }).describe('basis points of the price'),
  minFee: z.number().meta({ type: 'integer', minimum: 0 }).describe('won, at least'),
  effectiveFrom: z.number().meta({ type: 'integer', minimum: 0 }).describe('epoch ms from which orders confirmed take it'),
});

export const PlanBody = z.strictObject({ plan: z.enum(['AUTO', 'IMMEDIATELY']) });

export const PayoutAccountBody = z.strictObject({
  bankCode: z.string().describe('the bank code, 2 to 16 digits or capitals'),
  accountNumber: z.string().describe('6 to 20 digits'),
  holderName: z.string().meta({ maxLength: 50 }),
});

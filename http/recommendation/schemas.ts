// Query schemas of the recommendation routes: strict (an unknown parameter is refused, not ignored) and
// bounded (an absurd limit is VALIDATION_FAILED, not a slow answer).
import { z } from 'zod';

export const MAX_LIMIT = 100;

export const RecommendationQuery = z.strictObject({
  limit: z.string().regex(/^\d{1,3}$/, 'an integer from 1 to 100').transform(Number).pipe(z.number().int().min(1).max(MAX_LIMIT)).optional(),
});

// Request bodies of the catalogue routes, as strict zod schemas: one source for parsing (exactly the
// documented members; anything else is VALIDATION_FAILED) and for the OpenAPI document. They check
// members and types; the text rules (trimmed, lengths) and whether a category exists stay in the routes.
import { z } from 'zod';

/** Null or absent: none. */
const categoryId = z.string().nullable().optional().describe('a category id from GET /categories');

/**
 * A product, as JSON or as the text fields of a multipart upload (where every field is a string, so
 * `thumbnail` may be a numeric string there).
 */
export const ProductBody = z.strictObject({
  name: z.string().meta({ maxLength: 200 }),
  description: z.string().nullable().optional().meta({ maxLength: 10_000 }),
  categoryId,
  thumbnail: z.union([z.number(), z.string()]).optional().describe('the index of the uploaded image to show first; default 0'),
});

export const ProductPatch = z.strictObject({
  name: z.string().meta({ maxLength: 200 }),
  description: z.string().nullable().meta({ maxLength: 10_000 }),
  categoryId,
  thumbnail: z.number().meta({ type: 'integer', minimum: 0 }).describe('the index of the image to show first'),
}).partial();

export const CategoryBody = z.strictObject({
  name: z.string().meta({ maxLength: 100 }),
  parentId: z.string().nullable().optional().describe('the parent category; null or absent: a top-level one'),
});

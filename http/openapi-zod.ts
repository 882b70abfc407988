// A zod schema as the JSON Schema 2020-12 that OpenAPI 3.1 uses: request bodies are documented from the
// very schemas that parse them, so the document cannot say one thing while the code takes another.
import { z } from 'zod';

export function fromZod(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return rest;
}

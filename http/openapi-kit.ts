// The pieces every OpenAPI fragment is written with (http/<domain>/openapi.ts): references, answers,
// problem documents by status, parameters. http/openapi.ts assembles the fragments into one document.
export type Json = Record<string, unknown>;

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const json = (schema: Json, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
export const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
export const body = (schema: Json, required = true) => ({ required, content: { 'application/json': { schema } } });

export const P400 = problem('invalid request (VALIDATION_FAILED, BAD_FRAME, ...)');
export const P401 = problem('no valid access token (UNAUTHENTICATED), or its session was revoked (SESSION_REVOKED)');
export const P403 = problem('not allowed (FORBIDDEN)');
export const P404 = problem('not found');
export const P409 = problem('conflict');
export const P413 = problem('body larger than HTTP_BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE)');
export const P429 = problem('too many attempts (TOO_MANY_ATTEMPTS); see Retry-After');
export const P503 = problem('store unavailable or overloaded; retry');

export const bearer = [{ bearer: [] }];
export const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 }, description: what });
export const accountId = idParam('an account id, or `me`');
export const auctionId = idParam('the auction id');
export const idempotency = (required: boolean) => ({
  name: 'Idempotency-Key', in: 'header', required, schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,64}$' },
  description: 'becomes the command rid: a retry gets the first reply',
});

export const won = { type: 'integer', minimum: 1, maximum: 1e12 };
export const millis = { type: 'integer', description: 'epoch milliseconds' };


/** A domain's part of the document: its paths and the component schemas they refer to. */
export interface ApiFragment {
  paths: Record<string, Json>;
  schemas: Record<string, Json>;
}

// Request bodies: a JSON reader with a size and a depth limit, and the one way every route parses what
// it read, with a strict zod schema (exactly the documented members; anything else is VALIDATION_FAILED
// before a handler, an actor or a store sees it). No body-parser dependency.
import type { Context } from 'koa';
import { z } from 'zod';
import { OkjError } from '../engine/index.ts';
import { deeperThan, MAX_DEPTH } from './depth.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Read and parse the request body; 413 past `limit` bytes, 400 when it is not JSON or nests past MAX_DEPTH. */
export async function readJson(ctx: Context, limit: number): Promise<unknown> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw tooLarge(ctx, limit);
  const type = ctx.get('content-type');
  if (type !== '' && !JSON_TYPE.test(type)) throw new OkjError('VALIDATION_FAILED', 'the body must be application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(ctx, limit);
    chunks.push(chunk);
  }
  if (size === 0) throw new OkjError('VALIDATION_FAILED', 'a JSON body is required');
  let value: unknown;
  try {
    // V8's JSON.parse does not recurse, so any depth parses; what comes after it may recurse.
    value = JSON.parse(utf8.decode(Buffer.concat(chunks, size)));
  } catch {
    throw new OkjError('BAD_FRAME', 'the body is not valid JSON');
  }
  if (deeperThan(value, MAX_DEPTH)) throw new OkjError('NESTING_TOO_DEEP', `a JSON body nests arrays and objects at most ${MAX_DEPTH} deep`);
  return value;
}

function tooLarge(ctx: Context, limit: number): OkjError {
  // The rest of the body is not read: the connection cannot be reused.
  ctx.set('Connection', 'close');
  return new OkjError('PAYLOAD_TOO_LARGE', `request bodies are limited to ${limit} bytes`);
}

/** Whether the request declares a body (a length above 0, or a chunked one). */
export const hasBody = (ctx: Context): boolean => Boolean(ctx.request.length || ctx.get('transfer-encoding'));

/** Issue paths and messages are cut to this: an unknown member's name is the caller's text, of any length. */
const ISSUE_TEXT_MAX = 200;
const clip = (s: string): string => (s.length > ISSUE_TEXT_MAX ? `${s.slice(0, ISSUE_TEXT_MAX)}…` : s);

/** The body parsed by `schema`, or VALIDATION_FAILED naming each problem (never echoing the values). */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const errors = r.error.issues.slice(0, 20).map((i) => ({ path: clip(i.path.join('.')) || '(body)', message: clip(i.message) }));
  throw new OkjError('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}

/**
 * The request's JSON body, parsed by `schema`. A request without one is parsed as `{}` when `optional`,
 * else refused.
 */
export async function readBody<T>(ctx: Context, schema: z.ZodType<T>, limit: number, optional = false): Promise<T> {
  return parseBody(schema, optional && !hasBody(ctx) ? {} : await readJson(ctx, limit));
}

/** What a write that takes no body accepts: none, or `{}`. */
export const NO_BODY = z.strictObject({});

/** For a write that takes no body: refuses any but none or `{}`, so nothing sent to it goes unexamined. */
export async function noBody(ctx: Context, limit: number): Promise<void> {
  await readBody(ctx, NO_BODY, limit, true);
}

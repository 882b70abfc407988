// A JSON body reader with a size limit: all the API needs, without a body-parser dependency.
import type { Context } from 'koa';
import { OkjError } from '../engine/index.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Read and parse the request body; 413 past `limit` bytes, 400 when it is not JSON. */
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
  try {
    return JSON.parse(utf8.decode(Buffer.concat(chunks, size)));
  } catch {
    throw new OkjError('BAD_FRAME', 'the body is not valid JSON');
  }
}

function tooLarge(ctx: Context, limit: number): OkjError {
  // The rest of the body is not read: the connection cannot be reused.
  ctx.set('Connection', 'close');
  return new OkjError('PAYLOAD_TOO_LARGE', `request bodies are limited to ${limit} bytes`);
}

/** The body as a plain object, or VALIDATION_FAILED. */
export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new OkjError('VALIDATION_FAILED', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

// Idempotency-Key handling. The key becomes the command's rid, so the engine's (user, rid) cache and
// the durable reply store return the first reply to a retry, across restarts too. What the engine
// cannot tell is a key reused for a different request: this process remembers a fingerprint (method,
// path, body) per (user, key) for 24 hours, bounded, and answers IDEMPOTENCY_KEY_REUSED on a mismatch.
// After a restart, or past the bound, a reused key is not detected and gets the first reply.
import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { OkjError, REPLY_TTL_MS, type UserId } from '../engine/index.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY = /^[\x21-\x7e]{1,64}$/;

/** The Idempotency-Key header: 1 to 64 visible ASCII characters; required unless `optional`. */
export function idempotencyKey(ctx: Context, optional = false): string | null {
  const key = ctx.get(IDEMPOTENCY_HEADER);
  if (key === '') {
    if (optional) return null;
    throw new OkjError('VALIDATION_FAILED', `the ${IDEMPOTENCY_HEADER} header is required (1 to 64 characters)`);
  }
  if (!KEY.test(key)) throw new OkjError('VALIDATION_FAILED', `the ${IDEMPOTENCY_HEADER} header must be 1 to 64 visible ASCII characters`);
  return key;
}

export class KeyFingerprints {
  // Insertion order is time order: expiry and the size bound trim from the front.
  private readonly seen = new Map<string, { fp: string; at: number }>();

  constructor(private readonly maxEntries = 100_000, private readonly ttlMs = REPLY_TTL_MS) {}

  /**
   * Remember (user, key) -> request; throws IDEMPOTENCY_KEY_REUSED when it was used for another one.
   * `body` is what the body parser returned (http/body.ts): plain JSON nested at most MAX_DEPTH deep, so
   * serializing it for the fingerprint cannot overflow the stack, or throw at all.
   */
  claim(user: UserId, key: string, method: string, path: string, body: unknown, now: number = Date.now()): void {
    const id = `${user}\u0000${key}`;
    const fp = createHash('sha256').update(`${method} ${path}\n${JSON.stringify(body) ?? ''}`).digest('base64url');
    const prior = this.seen.get(id);
    if (prior !== undefined && now - prior.at < this.ttlMs) {
      if (prior.fp !== fp) throw new OkjError('IDEMPOTENCY_KEY_REUSED');
      return;
    }
    this.seen.delete(id);
    this.seen.set(id, { fp, at: now });
    for (const [k, v] of this.seen) {
      if (this.seen.size <= this.maxEntries && now - v.at < this.ttlMs) break;
      this.seen.delete(k);
    }
  }
}

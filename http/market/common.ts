// Small helpers shared by the marketplace routes: who is asking, admin checks, query parameters, cursors.
import type { Context, Next } from 'koa';
import { OkjError, type UserId } from '../../engine/index.ts';
import type { ListingCursor } from '../../engine/market/model.ts';
import type { AuthState } from '../auth.ts';
import type { Identity } from '../../engine/accounts/identity.ts';

export const identity = (ctx: Context): Identity => (ctx.state as AuthState).identity;
export const me = (ctx: Context): UserId => identity(ctx).userId;

/** After requireUser: only an admin passes. */
export async function requireAdmin(ctx: Context, next: Next): Promise<void> {
  if (identity(ctx).role !== 'admin') throw new OkjError('FORBIDDEN', 'an admin token is required');
  await next();
}

export function queryString(ctx: Context, name: string): string | undefined {
  const v = ctx.query[name];
  if (v === undefined || v === '') return undefined;
  if (Array.isArray(v)) throw new OkjError('VALIDATION_FAILED', `${name} may be given once`);
  return v;
}

export function queryInt(ctx: Context, name: string, min: number, max: number): number | undefined {
  const v = queryString(ctx, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new OkjError('VALIDATION_FAILED', `${name} must be an integer from ${min} to ${max}`);
  return n;
}

export const pageLimit = (ctx: Context, def = 20, max = 100): number => queryInt(ctx, 'limit', 1, max) ?? def;

export function encodeCursor(c: ListingCursor): string {
  return Buffer.from(JSON.stringify([c.value, c.id])).toString('base64url');
}

export function decodeCursor(s: string | undefined): ListingCursor | undefined {
  if (s === undefined) return undefined;
  try {
    const [value, id] = JSON.parse(Buffer.from(s, 'base64url').toString()) as unknown[];
    if (typeof value === 'number' && Number.isFinite(value) && typeof id === 'string') return { value, id };
  } catch {
    // fall through
  }
  throw new OkjError('VALIDATION_FAILED', 'cursor is not one this API gave out');
}

// Bearer authentication for the API: identity comes from the token, never from the query string.
import type { Context, Next } from 'koa';
import { OkjError } from '../engine/index.ts';
import { verifyAccessToken, type Identity, type TokenKeys } from '../app/accounts/tokens.ts';

export interface AuthState {
  identity: Identity;
}

export function requireUser(keys: TokenKeys) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    if (m === null) throw new OkjError('UNAUTHENTICATED', 'an Authorization: Bearer access token is required');
    (ctx.state as AuthState).identity = await verifyAccessToken(keys, m[1]);
    await next();
  };
}

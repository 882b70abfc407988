// Bearer authentication for the API: identity comes from the token, never from the query string.
import type { Context, Next } from 'koa';
import { OkjError } from '../engine/index.ts';
import type { Authenticator, Identity } from '../engine/accounts/identity.ts';

export interface AuthState {
  identity: Identity;
}

export function requireUser(auth: Authenticator) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    if (m === null) throw new OkjError('UNAUTHENTICATED', 'an Authorization: Bearer access token is required');
    (ctx.state as AuthState).identity = await auth.verify(m[1]);
    await next();
  };
}

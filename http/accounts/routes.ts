// /api/v1/auth/* and /api/v1/accounts/*: signup, email verification, sign-in, refresh, logout, Google
// sign-in, profile, password, withdrawal, and the admin's role change. `{id}` is an account id or `me`; an account's data is
// its owner's (an admin may read it), never another user's. Token answers are never cached.
import type { Context, Next } from 'koa';
import { Router } from '@koa/router';
import type { z } from 'zod';
import { OkjError, type UserId } from '../../engine/index.ts';
import { requireUser, type AuthState } from '../auth.ts';
import { noBody, readBody } from '../body.ts';
import type { AccountsApi, GoogleFlow } from '../../engine/accounts/api.ts';
import type { Authenticator, Identity } from '../../engine/accounts/identity.ts';
import { accountView, type Tokens } from '../../engine/accounts/model.ts';
import { clearRefreshCookie, cookieMode, readCookie, REFRESH_COOKIE, setRefreshCookie } from './cookie.ts';
import {
  CookieRefreshBody, LoginBody, PasswordChangeBody, PasswordSetBody, ProfilePatch, RefreshBody, RoleBody, SignupBody, VerifyBody, WithdrawBody,
} from './schemas.ts';

/** The cookie that binds a Google sign-in to the browser that started it. */
export const OAUTH_COOKIE = 'okj_oauth';
/** Set by a Google sign-in the web app started (`?mode=cookie`): the callback then ends in the app. */
export const OAUTH_MODE_COOKIE = 'okj_oauth_mode';

export interface AccountRoutesOptions {
  accounts: AccountsApi;
  auth: Authenticator;
  /** Null when Google sign-in is not configured. */
  google: GoogleFlow | null;
  bodyLimitBytes: number;
  /** PUBLIC_BASE_URL: the web app's origin, trusted for cookie mode beside the request's own host. */
  publicBaseUrl?: string;
}

/** Answered the same whether the email was new or not (no account enumeration). */
export const SIGNUP_ACCEPTED = {
  status: 'accepted',
  detail: 'Check this email\'s inbox: the mail sent there says how to go on.',
} as const;

const noStore = async (ctx: Context, next: Next) => {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  await next();
};

export function accountRoutes(o: AccountRoutesOptions): Router {
  const { accounts, google, bodyLimitBytes } = o;
  const router = new Router();
  const auth = requireUser(o.auth);
  const who = (ctx: Context): Identity => (ctx.state as AuthState).identity;
  const body = <T>(ctx: Context, schema: z.ZodType<T>, optional = false): Promise<T> => readBody(ctx, schema, bodyLimitBytes, optional);

  /** The account `{id}` names, which must be the caller's own (or, with `adminMayRead`, any for an admin). */
  const target = (ctx: Context, adminMayRead = false): UserId => {
    const me = who(ctx);
    const id = ctx.params.id === 'me' ? me.userId : ctx.params.id;
    if (id !== me.userId && !(adminMayRead && me.role === 'admin')) throw new OkjError('FORBIDDEN', 'this account is not yours');
    return id;
  };

  const publicOrigin = o.publicBaseUrl === undefined ? null : new URL(o.publicBaseUrl).origin;
  const cookies = (ctx: Context): boolean => cookieMode(ctx, publicOrigin);

  /** A sign-in's answer: in cookie mode the refresh token goes into the cookie, not the JSON. */
  const signedIn = (ctx: Context, t: Tokens, inCookie: boolean) => {
    if (!inCookie) return t;
    setRefreshCookie(ctx, t.refreshToken, t.refreshExpiresIn);
    const { refreshToken: _kept, ...rest } = t;
    return rest;
  };

  router.use(noStore);

  router.post('/auth/signup', async (ctx) => {
    await accounts.signup(await body(ctx, SignupBody), ctx.ip);
    ctx.status = 202;
    ctx.body = SIGNUP_ACCEPTED;
  });

  router.post('/auth/verify', async (ctx) => {
    const b = await body(ctx, VerifyBody);
    const inCookie = cookies(ctx);
    ctx.body = signedIn(ctx, await accounts.verify(b.token, b.password, b.nickname, ctx.ip), inCookie);
  });

  router.post('/auth/login', async (ctx) => {
    const b = await body(ctx, LoginBody);
    const inCookie = cookies(ctx);
    ctx.body = signedIn(ctx, await accounts.login(b.email, b.password, ctx.ip), inCookie);
  });

  router.post('/auth/refresh', async (ctx) => {
    if (!cookies(ctx)) {
      ctx.body = await accounts.refresh((await body(ctx, RefreshBody)).refreshToken);
      return;
    }
    await body(ctx, CookieRefreshBody, true);
    const presented = readCookie(ctx, REFRESH_COOKIE);
    try {
      if (presented === undefined || presented === '') throw new OkjError('REFRESH_TOKEN_INVALID', 'no session cookie came with the request');
      ctx.body = signedIn(ctx, await accounts.refresh(presented), true);
    } catch (err) {
      // Spent, reused (its session is revoked now), expired or unknown: the cookie is of no more use.
      if (err instanceof OkjError && err.code === 'REFRESH_TOKEN_INVALID') clearRefreshCookie(ctx);
      throw err;
    }
  });

  router.post('/auth/logout', auth, async (ctx) => {
    await noBody(ctx, bodyLimitBytes);
    const inCookie = cookies(ctx);
    await accounts.logout(who(ctx));
    if (inCookie) clearRefreshCookie(ctx);
    ctx.status = 204;
  });

  router.get('/auth/google/start', (ctx) => {
    if (google === null) throw new OkjError('OAUTH_NOT_CONFIGURED');
    const { url, binding } = google.start();
    const secure = ctx.protocol === 'https' || ctx.get('x-forwarded-proto') === 'https' ? '; Secure' : '';
    ctx.append('Set-Cookie', `${OAUTH_COOKIE}=${binding}; Path=/api/v1/auth/google; Max-Age=600; HttpOnly; SameSite=Lax${secure}`);
    // The web app's sign-in ends in the app, with the session in the refresh cookie (see callback).
    if (ctx.query.mode === 'cookie') ctx.append('Set-Cookie', `${OAUTH_MODE_COOKIE}=cookie; Path=/api/v1/auth/google; Max-Age=600; HttpOnly; SameSite=Lax${secure}`);
    ctx.redirect(url);
  });

  router.get('/auth/google/callback', async (ctx) => {
    const web = readCookie(ctx, OAUTH_MODE_COOKIE) === 'cookie';
    if (web) ctx.append('Set-Cookie', `${OAUTH_MODE_COOKIE}=; Path=/api/v1/auth/google; Max-Age=0; HttpOnly; SameSite=Lax`);
    try {
      const tokens = await googleCallback(ctx);
      if (!web) {
        ctx.body = tokens;
        return;
      }
      // A top-level navigation from the provider: the state bound to this browser's cookie (checked by
      // finish) is what makes it ours, so the session cookie may be set here.
      setRefreshCookie(ctx, tokens.refreshToken, tokens.refreshExpiresIn);
      ctx.status = 303;
      ctx.redirect('/');
    } catch (err) {
      if (!web || !(err instanceof OkjError)) throw err;
      ctx.status = 303;
      ctx.redirect(`/signin?error=${err.code}`);
    }
  });

  async function googleCallback(ctx: Context): Promise<Tokens> {
    if (google === null) throw new OkjError('OAUTH_NOT_CONFIGURED');
    const { code, state, error } = ctx.query;
    if (typeof error === 'string') throw new OkjError('OAUTH_FAILED', 'the sign-in was not completed at the identity provider');
    if (typeof code !== 'string' || typeof state !== 'string' || code.length > 2048 || state.length > 256) {
      throw new OkjError('VALIDATION_FAILED', 'code and state query parameters are required');
    }
    const identity = await google.finish(state, code, readCookie(ctx, OAUTH_COOKIE));
    ctx.append('Set-Cookie', `${OAUTH_COOKIE}=; Path=/api/v1/auth/google; Max-Age=0; HttpOnly; SameSite=Lax`);
    return accounts.googleSignIn(identity);
  }

  router.get('/accounts/:id', auth, async (ctx) => {
    ctx.body = accountView(await accounts.account(target(ctx, true)));
  });

  router.patch('/accounts/:id', auth, async (ctx) => {
    const id = target(ctx);
    ctx.body = accountView(await accounts.updateProfile(id, await body(ctx, ProfilePatch)));
  });

  router.put('/accounts/:id/password', auth, async (ctx) => {
    target(ctx);
    const b = await body(ctx, PasswordChangeBody);
    await accounts.changePassword(who(ctx), b.currentPassword, b.newPassword, ctx.ip);
    ctx.status = 204;
  });

  router.post('/accounts/:id/password', auth, async (ctx) => {
    const id = target(ctx);
    await accounts.setPassword(who(ctx), id, (await body(ctx, PasswordSetBody)).newPassword);
    ctx.status = 204;
  });

  router.delete('/accounts/:id', auth, async (ctx) => {
    const id = target(ctx);
    const b = await body(ctx, WithdrawBody, true);
    const { canceled } = await accounts.withdraw(who(ctx), id, b.password, ctx.ip);
    ctx.body = { status: 'withdrawn', canceledAuctions: canceled };
  });

  router.put('/admin/accounts/:id/role', auth, async (ctx) => {
    if (who(ctx).role !== 'admin') throw new OkjError('FORBIDDEN', 'only an admin may change roles');
    ctx.body = accountView(await accounts.setRole(ctx.params.id, (await body(ctx, RoleBody)).role));
  });

  return router;
}

// A signed-in session: the access token in memory only, renewed through POST /api/v1/auth/refresh before
// it expires or when the server refuses it. The refresh token is either held here (Node, tools: mode
// 'token'; the `tokens` event hands each rotated one to the caller to keep) or kept by the browser in an
// HttpOnly cookie that this code never sees (mode 'cookie': the refresh is sent with credentials and no
// token in the body). Each refresh spends the refresh token (rotation) and a spent token presented again
// revokes the whole session, so concurrent renewals share one request.
import type { Tokens } from '../api-types.ts';
import { Emitter } from '../emitter.ts';
import { ApiError } from '../http/errors.ts';
import type { HttpCore, TokenSource } from '../http/core.ts';

export type RefreshMode = 'token' | 'cookie';

/** What asks the server for cookie mode on login, verify, refresh and logout (http/accounts/cookie.ts). */
export const COOKIE_MODE_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'okj-session': 'cookie' });

export interface SessionEvents {
  /** New tokens (sign-in or refresh). In 'token' mode, keep `refreshToken` to resume later. */
  tokens: Tokens;
  /** The session ended: signed out, or the refresh was refused (expired, revoked, reused). */
  signedOut: { reason: 'logout' | 'refused' };
}

export interface SessionOptions {
  /** Default: 'cookie' in a browser page, 'token' elsewhere. */
  mode?: RefreshMode;
  /** A refresh token kept from an earlier run ('token' mode). */
  refreshToken?: string;
  /** Local clock, ms. */
  now?: () => number;
}

/** Renew when less than this share of the token's life is left (and at most a minute before it ends). */
const RENEW_SHARE = 0.25;
const RENEW_MAX_MS = 60_000;

export class Session extends Emitter<SessionEvents> implements TokenSource {
  readonly mode: RefreshMode;
  private access: string | null = null;
  private expires = 0;
  private lifetime = 0;
  private refreshToken: string | null;
  private signedIn: boolean;
  private renewing: Promise<string | null> | null = null;
  private readonly now: () => number;

  constructor(private readonly http: HttpCore, o: SessionOptions = {}) {
    super();
    this.mode = o.mode ?? (typeof (globalThis as { document?: unknown }).document === 'undefined' ? 'token' : 'cookie');
    this.refreshToken = o.refreshToken ?? null;
    this.signedIn = this.refreshToken !== null;
    this.now = o.now ?? Date.now;
  }

  /** The headers of the auth routes: cookie mode is asked for on each request (integrators keep JSON). */
  get authHeaders(): Record<string, string> | undefined {
    return this.mode === 'cookie' ? { ...COOKIE_MODE_HEADERS } : undefined;
  }

  /** Whether a session is believed to stand (a token, or a way to get one). */
  get active(): boolean {
    return this.signedIn;
  }

  /** Adopt tokens from sign-in (login, verify, Google) or a refresh. */
  adopt(t: Tokens): void {
    this.access = t.accessToken;
    this.lifetime = t.expiresIn * 1000;
    // Counted from when the answer arrived, so it errs early by the request's latency.
    this.expires = this.now() + this.lifetime;
    if (this.mode === 'token') this.refreshToken = t.refreshToken ?? null;
    this.signedIn = true;
    this.emit('tokens', t);
  }

  /** Forget everything locally (after logout, or to sign out without the server). */
  clear(reason: SessionEvents['signedOut']['reason'] = 'logout'): void {
    const was = this.signedIn;
    this.access = null;
    this.refreshToken = null;
    this.signedIn = false;
    if (was) this.emit('signedOut', { reason });
  }

  /** A browser page that just loaded: try the refresh cookie once to learn whether a session stands. */
  async resume(): Promise<boolean> {
    this.signedIn = true;
    return (await this.refreshAccessToken()) !== null;
  }

  expiresAt(): number | null {
    return this.access === null ? null : this.expires;
  }

  async accessToken(): Promise<string | null> {
    if (!this.signedIn) return null;
    const margin = Math.min(RENEW_MAX_MS, this.lifetime * RENEW_SHARE);
    if (this.access !== null && this.expires - this.now() > margin) return this.access;
    return this.refreshAccessToken();
  }

  refreshAccessToken(): Promise<string | null> {
    this.renewing ??= this.renew().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async renew(): Promise<string | null> {
    if (!this.signedIn || (this.mode === 'token' && this.refreshToken === null)) return null;
    try {
      const tokens = await this.http.request('post', '/api/v1/auth/refresh', {
        // In cookie mode the browser sends the HttpOnly cookie; the body names no token.
        body: this.mode === 'token' ? { refreshToken: this.refreshToken as string } : {},
        credentials: this.mode === 'cookie' ? 'include' : undefined,
        headers: this.authHeaders,
        anonymous: true,
      });
      this.adopt(tokens);
      return tokens.accessToken;
    } catch (err) {
      // Refused (expired, revoked, reused, no cookie): the session is over. Anything else (the network,
      // a 503) may pass: the caller tries again later with the same refresh token.
      if (err instanceof ApiError && (err.status === 401 || err.status === 400)) {
        this.clear('refused');
        return null;
      }
      throw err;
    }
  }
}

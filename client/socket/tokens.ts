// The socket's access token: taken from the source before each connection, renewed a minute before it
// expires (a quarter of its life if that is shorter) and when the server refuses it, one renewal at a
// time. Each new token is handed to `authenticate`, which sends an `auth` frame on the live connection.
import { claimsOf } from '../auth/jwt.ts';
import { SocketError } from '../errors.ts';
import type { TokenSource } from '../http/core.ts';
import type { ServerClock } from './clock.ts';
import type { TimerSet } from './timer-set.ts';

const RENEW_BEFORE_MS = 60_000;

export class SocketTokens {
  /** The token the connection authenticated with last. */
  current: string | null = null;
  private renewing: Promise<boolean> | null = null;
  private timer: unknown = null;

  constructor(
    private readonly source: TokenSource | null,
    private readonly timers: TimerSet,
    private readonly clock: ServerClock,
    private readonly now: () => number,
    /** Send `auth` with this token if connected. */
    private readonly authenticate: (token: string) => void,
    private readonly failed: (err: SocketError) => void,
  ) {}

  /** A token for a new connection (renewed first if it is about to expire), or null: anonymous. */
  async forConnection(): Promise<string | null> {
    return this.source === null ? null : this.source.accessToken();
  }

  /** The token went out in an `auth` frame: plan its renewal. */
  sent(token: string): void {
    this.current = token;
    const source = this.source;
    if (source === null) return;
    const claims = claimsOf(token);
    // A JWT's exp is on the server's clock: move it to ours.
    const expires = source.expiresAt?.() ?? (claims?.exp === undefined ? null : claims.exp * 1000 - this.clock.offset);
    if (expires === null) return;
    const life = claims?.exp !== undefined && claims.iat !== undefined ? (claims.exp - claims.iat) * 1000 : RENEW_BEFORE_MS * 4;
    const at = expires - Math.min(RENEW_BEFORE_MS, life / 4);
    this.timers.cancel(this.timer);
    this.timer = this.timers.after(Math.max(0, at - this.now()), () => {
      this.timer = null;
      source.accessToken().then(
        async (next) => {
          // A source that still thinks its token fresh is asked for a new one outright.
          const fresh = next === token ? await source.refreshAccessToken() : next;
          if (fresh !== null && fresh !== this.current) this.authenticate(fresh);
        },
        (err: unknown) => this.failed(new SocketError('UNAUTHENTICATED', `token renewal failed: ${String(err)}`)),
      );
    }, true);
  }

  /** The server refused the token: get a new one and authenticate with it; false when none can be had. */
  renew(): Promise<boolean> {
    this.renewing ??= (async () => {
      try {
        const token = this.source === null ? null : await this.source.refreshAccessToken();
        if (token === null) return false;
        this.authenticate(token);
        return true;
      } catch {
        return false;
      } finally {
        this.renewing = null;
      }
    })();
    return this.renewing;
  }
}

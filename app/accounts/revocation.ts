// Is a session still allowed to use its access tokens, and if not, why (revoked, or ended)? Asked on
// every authenticated request and socket `auth`, so it answers from memory: sessions revoked by this
// process are known at once (and kept for an access token's lifetime, after which their tokens have
// expired anyway); an active answer from the store is trusted for ACTIVE_CACHE_MS, so a revocation made
// by another process takes effect within that time.
// The store is the truth: a session it does not know, or knows as revoked or expired, is refused.
import { OkjError } from '../../engine/index.ts';
import type { SessionStore } from '../../storage/accounts/ports.ts';
import type { SessionCheck, SessionEnd } from './tokens.ts';

const ACTIVE_CACHE_MS = 5_000;
const MAX_ENTRIES = 100_000;

export class SessionGuard implements SessionCheck {
  /** Session id -> how it ended, and until when to remember it. */
  private readonly ended = new Map<string, { end: SessionEnd; until: number }>();
  /** Active session id -> when the store said so. */
  private readonly active = new Map<string, number>();

  constructor(
    private readonly sessions: SessionStore,
    private readonly accessTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async standing(sessionId: string): Promise<'active' | SessionEnd> {
    const now = this.now();
    const known = this.knownEnd(sessionId);
    if (known !== null) return known;
    const seen = this.active.get(sessionId);
    if (seen !== undefined && now - seen < ACTIVE_CACHE_MS) return 'active';
    let s;
    try {
      s = await this.sessions.get(sessionId);
    } catch {
      throw new OkjError('STORE_UNAVAILABLE', 'the session could not be checked; try again');
    }
    if (s === null || s.revokedAt !== null || s.expiresAt <= now) {
      this.active.delete(sessionId);
      if (s === null) return 'ended';
      const end: SessionEnd = s.revokedAt !== null ? 'revoked' : 'ended';
      this.remember(this.ended, sessionId, { end, until: now + this.accessTtlMs });
      return end;
    }
    this.remember(this.active, sessionId, now);
    return 'active';
  }

  knownEnd(sessionId: string): SessionEnd | null {
    const known = this.ended.get(sessionId);
    if (known === undefined) return null;
    if (known.until > this.now()) return known.end;
    this.ended.delete(sessionId);
    return null;
  }

  /** This process revoked these sessions: refuse their tokens from now on. */
  revokedNow(ids: readonly string[]): void {
    const until = this.now() + this.accessTtlMs;
    for (const id of ids) {
      this.active.delete(id);
      this.remember(this.ended, id, { end: 'revoked', until });
    }
  }

  private remember<V>(map: Map<string, V>, id: string, value: V): void {
    map.delete(id);
    map.set(id, value);
    // Insertion order is age order: drop the oldest past the bound.
    if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
  }
}

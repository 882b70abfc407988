// Accounts, pending registrations and sessions in memory (tests, and the contract suites' reference).
// Records are copied in and out, so a caller never holds the store's own objects.
import type { Millis, UserId } from '../../engine/index.ts';
import {
  accountFromRegistration, scrubbedFields, type Account, type AccountRole, type AccountStore, type ConfirmResult, type CreateResult,
  type PendingRegistration, type Profile, type RotateResult, type Session, type SessionStore,
} from './ports.ts';
import { MemoryLifecycle } from '../lifecycle.ts';

export class MemoryAccounts extends MemoryLifecycle implements AccountStore {
  private readonly rows = new Map<UserId, Account>();
  private readonly registrations = new Map<string, PendingRegistration>();

  constructor() {
    super('the memory account store');
  }

  private active(): Account[] {
    return [...this.rows.values()].filter((a) => a.status === 'ACTIVE');
  }

  async create(account: Account): Promise<CreateResult> {
    this.assertOpen();
    const live = this.active();
    if (live.some((a) => a.nickname === account.nickname)) return 'nickname-taken';
    if (account.email !== null && live.some((a) => a.email === account.email)) return 'email-taken';
    if (account.googleSubject !== null && live.some((a) => a.googleSubject === account.googleSubject)) return 'google-taken';
    this.rows.set(account.id, { ...account });
    return 'created';
  }

  async byId(id: UserId): Promise<Account | null> {
    this.assertOpen();
    const a = this.rows.get(id);
    return a === undefined ? null : { ...a };
  }

  async byEmail(email: string): Promise<Account | null> {
    this.assertOpen();
    const a = this.active().find((x) => x.email === email);
    return a === undefined ? null : { ...a };
  }

  async byGoogleSubject(subject: string): Promise<Account | null> {
    this.assertOpen();
    const a = this.active().find((x) => x.googleSubject === subject);
    return a === undefined ? null : { ...a };
  }

  async byNickname(nickname: string): Promise<Account | null> {
    this.assertOpen();
    const a = this.active().find((x) => x.nickname === nickname);
    return a === undefined ? null : { ...a };
  }

  async updateProfile(id: UserId, patch: Partial<Profile>, at: Millis): Promise<'updated' | 'missing' | 'nickname-taken'> {
    this.assertOpen();
    const a = this.rows.get(id);
    if (a === undefined || a.status !== 'ACTIVE') return 'missing';
    if (patch.nickname !== undefined && this.active().some((x) => x.id !== id && x.nickname === patch.nickname)) return 'nickname-taken';
    Object.assign(a, patch, { updatedAt: at });
    return 'updated';
  }

  async setPasswordHash(id: UserId, hash: string, at: Millis, previous: string | null): Promise<boolean> {
    this.assertOpen();
    const a = this.rows.get(id);
    if (a === undefined || a.status !== 'ACTIVE' || a.passwordHash !== previous) return false;
    Object.assign(a, { passwordHash: hash, updatedAt: at });
    return true;
  }

  async linkGoogle(id: UserId, subject: string, at: Millis): Promise<'linked' | 'missing' | 'google-taken'> {
    this.assertOpen();
    const a = this.rows.get(id);
    if (a === undefined || a.status !== 'ACTIVE' || a.googleSubject !== null) return 'missing';
    if (this.active().some((x) => x.googleSubject === subject)) return 'google-taken';
    Object.assign(a, { googleSubject: subject, emailVerifiedAt: a.emailVerifiedAt ?? at, updatedAt: at });
    return 'linked';
  }

  async setRole(id: UserId, role: AccountRole, at: Millis): Promise<boolean> {
    this.assertOpen();
    const a = this.rows.get(id);
    if (a === undefined || a.status !== 'ACTIVE') return false;
    Object.assign(a, { role, updatedAt: at });
    return true;
  }

  async withdraw(id: UserId, at: Millis): Promise<boolean> {
    this.assertOpen();
    const a = this.rows.get(id);
    if (a === undefined || a.status !== 'ACTIVE') return false;
    Object.assign(a, scrubbedFields(at));
    return true;
  }

  async addRegistration(registration: PendingRegistration): Promise<void> {
    this.assertOpen();
    await this.purgeRegistrations(registration.createdAt);
    this.registrations.set(registration.tokenHash, { ...registration });
  }

  async findRegistration(tokenHash: string, now: Millis): Promise<PendingRegistration | null> {
    this.assertOpen();
    const r = this.registrations.get(tokenHash);
    return r === undefined || r.expiresAt <= now ? null : { ...r };
  }

  async confirmRegistration(tokenHash: string, c: { id: UserId; at: Millis; nickname?: string }): Promise<ConfirmResult> {
    this.assertOpen();
    const r = this.registrations.get(tokenHash);
    if (r === undefined || r.expiresAt <= c.at) return { kind: 'invalid' };
    const account = accountFromRegistration(r, c);
    const live = this.active();
    if (live.some((a) => a.email === account.email)) return { kind: 'email-taken' };
    if (live.some((a) => a.nickname === account.nickname)) return { kind: 'nickname-taken' };
    this.rows.set(account.id, { ...account });
    for (const [hash, other] of this.registrations) if (other.email === account.email) this.registrations.delete(hash);
    return { kind: 'created', account };
  }

  async purgeRegistrations(now: Millis): Promise<number> {
    this.assertOpen();
    let n = 0;
    for (const [hash, r] of this.registrations) {
      if (r.expiresAt > now) continue;
      this.registrations.delete(hash);
      n++;
    }
    return n;
  }
}

interface TokenRow {
  sessionId: string;
  expiresAt: Millis;
  spent: boolean;
}

export class MemorySessions extends MemoryLifecycle implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly tokens = new Map<string, TokenRow>();

  constructor() {
    super('the memory session store');
  }

  async open(session: Session, tokenHash: string, tokenExpiresAt: Millis): Promise<void> {
    this.assertOpen();
    this.sessions.set(session.id, { ...session });
    this.tokens.set(tokenHash, { sessionId: session.id, expiresAt: tokenExpiresAt, spent: false });
  }

  async rotate(oldHash: string, newHash: string, now: Millis, newExpiresAt: Millis): Promise<RotateResult> {
    this.assertOpen();
    const t = this.tokens.get(oldHash);
    const s = t === undefined ? undefined : this.sessions.get(t.sessionId);
    if (t === undefined || s === undefined || s.revokedAt !== null) return { kind: 'invalid' };
    if (t.spent) {
      s.revokedAt = now;
      return { kind: 'reused', session: { ...s } };
    }
    if (t.expiresAt <= now || s.expiresAt <= now) return { kind: 'invalid' };
    t.spent = true;
    this.tokens.set(newHash, { sessionId: s.id, expiresAt: Math.min(newExpiresAt, s.expiresAt), spent: false });
    return { kind: 'rotated', session: { ...s } };
  }

  async revoke(sessionId: string, at: Millis): Promise<boolean> {
    this.assertOpen();
    const s = this.sessions.get(sessionId);
    if (s === undefined || s.revokedAt !== null) return false;
    s.revokedAt = at;
    return true;
  }

  async revokeAllOf(userId: UserId, at: Millis, keep?: string): Promise<string[]> {
    this.assertOpen();
    const ids: string[] = [];
    for (const s of this.sessions.values()) {
      if (s.userId !== userId || s.revokedAt !== null || s.id === keep) continue;
      s.revokedAt = at;
      ids.push(s.id);
    }
    return ids;
  }

  async get(sessionId: string): Promise<Session | null> {
    this.assertOpen();
    const s = this.sessions.get(sessionId);
    return s === undefined ? null : { ...s };
  }
}

// Storage ports of accounts, pending registrations, sessions and sign-in throttling, in account terms.
// Adapters: memory (storage/memory/), SQL (storage/sql/accounts.ts), Redis for the throttle
// (storage/redis/attempts.ts).
import type { Millis, UserId } from '../../engine/index.ts';

export type { Account, AccountRole, AccountStatus, Profile } from '../../engine/accounts/model.ts';
import type { Account, AccountRole, Profile } from '../../engine/accounts/model.ts';

export type CreateResult = 'created' | 'email-taken' | 'nickname-taken' | 'google-taken';

/**
 * A signup waiting for its email to be proven: what the account will be, with the password already
 * hashed. Only the SHA-256 of the verification token is kept; the token itself is only in the mail.
 * Several may wait for one email (each signup mails its own link); the first confirmed wins.
 */
export interface PendingRegistration extends Profile {
  tokenHash: string;
  /** Lower-cased. */
  email: string;
  passwordHash: string;
  createdAt: Millis;
  expiresAt: Millis;
}

export type ConfirmResult =
  | { kind: 'created'; account: Account }
  /** No registration with this token hash, or it expired (a confirmed one is gone). */
  | { kind: 'invalid' }
  /** Its email has an account by now. */
  | { kind: 'email-taken' }
  /** Its nickname (or the replacement given) has been taken since. */
  | { kind: 'nickname-taken' };

export interface AccountStore {
  /**
   * Store a new account; unique email, nickname and Google subject are checked by the store. A taken
   * nickname is reported first, whatever else is taken too.
   */
  create(account: Account): Promise<CreateResult>;
  byId(id: UserId): Promise<Account | null>;
  /** An ACTIVE account with this (lower-cased) email. */
  byEmail(email: string): Promise<Account | null>;
  /** An ACTIVE account linked to this Google subject. */
  byGoogleSubject(subject: string): Promise<Account | null>;
  /** An ACTIVE account with this nickname. */
  byNickname(nickname: string): Promise<Account | null>;
  /** Change profile fields of an ACTIVE account. */
  updateProfile(id: UserId, patch: Partial<Profile>, at: Millis): Promise<'updated' | 'missing' | 'nickname-taken'>;
  /**
   * Replace the password hash of an ACTIVE account while it is still `previous` (null: it has none);
   * false otherwise. Compare-and-set, so a password proven before a concurrent change or Google link
   * cannot overwrite it.
   */
  setPasswordHash(id: UserId, hash: string, at: Millis, previous: string | null): Promise<boolean>;
  /**
   * Link a Google subject to an ACTIVE account that has none. Its password stays: every account's email
   * was proven before it got one (signup verification), so the password is its owner's.
   */
  linkGoogle(id: UserId, subject: string, at: Millis): Promise<'linked' | 'missing' | 'google-taken'>;
  setRole(id: UserId, role: AccountRole, at: Millis): Promise<boolean>;
  /**
   * Soft delete: status WITHDRAWN, and every piece of personal data scrubbed (email, password, Google
   * link, names, contact, payout account). The row and its id stay, so the journal's references hold.
   */
  withdraw(id: UserId, at: Millis): Promise<boolean>;

  /** Keep a pending registration; those expired by its `createdAt` are purged in passing. */
  addRegistration(registration: PendingRegistration): Promise<void>;
  /** The pending registration with this token hash, unless it has expired by `now`. */
  findRegistration(tokenHash: string, now: Millis): Promise<PendingRegistration | null>;
  /**
   * Make the pending registration an ACTIVE account (`accountFromRegistration`: email verified at `at`,
   * `nickname` replacing the one it chose when given) and drop every pending registration of its email,
   * in one step: of two confirmations racing for one email, one wins. Refused with nothing changed when
   * the token hash is unknown or expired at `at` (`invalid`), the email has an account (`email-taken`,
   * told before a taken nickname) or the nickname is taken.
   */
  confirmRegistration(tokenHash: string, c: { id: UserId; at: Millis; nickname?: string }): Promise<ConfirmResult>;
  /** Drop every pending registration expired by `now`; how many were dropped. */
  purgeRegistrations(now: Millis): Promise<number>;
}

/** The account a confirmed registration becomes. */
export function accountFromRegistration(r: PendingRegistration, c: { id: UserId; at: Millis; nickname?: string }): Account {
  return {
    id: c.id, email: r.email, passwordHash: r.passwordHash, googleSubject: null, emailVerifiedAt: c.at,
    nickname: c.nickname ?? r.nickname, name: r.name, gender: r.gender, ageBand: r.ageBand, region: r.region,
    phone: r.phone, preferredCategory: r.preferredCategory, payoutAccount: r.payoutAccount,
    role: 'USER', status: 'ACTIVE', createdAt: c.at, updatedAt: c.at, withdrawnAt: null,
  };
}

/** One signed-in device: a family of refresh tokens, each replacing the one before it. */
export interface Session {
  id: string;
  userId: UserId;
  /** When its owner signed in (password or Google); refreshes keep it. */
  createdAt: Millis;
  /** Absolute end, whatever the rotations. */
  expiresAt: Millis;
  revokedAt: Millis | null;
}

export type RotateResult =
  | { kind: 'rotated'; session: Session }
  /** The token was already rotated: someone replayed it. The whole family is now revoked. */
  | { kind: 'reused'; session: Session }
  | { kind: 'invalid' };

export interface SessionStore {
  /** A new session with its first refresh token (stored by hash only). */
  open(session: Session, tokenHash: string, tokenExpiresAt: Millis): Promise<void>;
  /**
   * Spend the refresh token `oldHash` and issue `newHash` in its place, atomically: of two rotations
   * of one token only one succeeds; the other is a reuse and revokes the family.
   * Invalid: unknown, expired, or its session revoked or past its absolute end.
   */
  rotate(oldHash: string, newHash: string, now: Millis, newExpiresAt: Millis): Promise<RotateResult>;
  /** Revoke one session; true when it was active. */
  revoke(sessionId: string, at: Millis): Promise<boolean>;
  /** Revoke every session of a user except `keep`; returns the ids revoked. */
  revokeAllOf(userId: UserId, at: Millis, keep?: string): Promise<string[]>;
  /** The session, or null. */
  get(sessionId: string): Promise<Session | null>;
}

/**
 * Sign-in attempts per key (an account, an address, both) over a fixed window that starts with the first.
 * An attempt is reserved before the password is checked, so parallel attempts cannot all pass the limit;
 * a failed one stays counted, a successful one is released.
 */
export interface AttemptCounter {
  /**
   * Count one attempt unless `limit` are already counted in the window, atomically: of any number of
   * racing reservations at most `limit` succeed. `count` is the window's count after the call, and
   * `resetInMs` when the window ends (ms from now).
   */
  reserve(key: string, limit: number, windowMs: number): Promise<{ reserved: boolean; count: number; resetInMs: number }>;
  /** Give one reserved attempt back (it succeeded, or another limit refused it); never below zero. */
  release(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

/** What withdrawal leaves of an account: every personal field scrubbed, the id and role kept. */
export function scrubbedFields(at: Millis): Omit<Account, 'id' | 'role' | 'createdAt'> {
  return {
    email: null, passwordHash: null, googleSubject: null, emailVerifiedAt: null, nickname: '', name: '', gender: null, ageBand: null,
    region: null, phone: null, preferredCategory: null, payoutAccount: null,
    status: 'WITHDRAWN', updatedAt: at, withdrawnAt: at,
  };
}

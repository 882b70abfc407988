// The account service: signup, sign-in, sessions and their tokens, profile, password, withdrawal.
// Sessions: sign-in opens one (a refresh-token family) and answers a short-lived access JWT naming it
// (`sid`) plus an opaque refresh token. Each refresh spends the presented token and issues the next one;
// presenting a spent token again is taken as theft and revokes the whole session (OAuth 2.0 Security
// BCP §4.14.2). Logout, withdrawal, a password change and a Google link by email revoke sessions, and
// their access tokens are refused from then on (revocation.ts).
import { randomUUID } from 'node:crypto';
import { OkjError, type UserId } from '../../engine/index.ts';
import type { Account, AccountRole, AccountStore, Profile, Session, SessionStore } from '../../storage/accounts.ts';
import { signAccessToken, type Identity, type TokenKeys } from '../tokens.ts';
import { assertPasswordPolicy, burnVerification, hashPassword, verifyPassword } from './password.ts';
import { newRefreshToken, refreshTokenHash } from './refresh.ts';
import type { SessionGuard } from './revocation.ts';
import type { LoginThrottle } from './throttle.ts';

export interface TokenLifetimes {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  sessionMaxAgeSeconds: number;
}

export interface AccountServiceOptions {
  accounts: AccountStore;
  sessions: SessionStore;
  throttle: LoginThrottle;
  guard: SessionGuard;
  keys: TokenKeys;
  lifetimes: TokenLifetimes;
  /** How long after signing in a session may set a first password or withdraw a Google-only account. */
  recentSignInSeconds: number;
  /** Settles the user's auctions before withdrawal (withdrawal.ts); throws to refuse it. */
  settleAuctions(user: UserId): Promise<{ canceled: string[] }>;
  now?: () => number;
}

export interface Tokens {
  tokenType: 'Bearer';
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  userId: UserId;
  role: AccountRole;
}

export type SignupInput = Pick<Profile, 'nickname' | 'name'> & {
  email: string;
  password: string;
  gender: string;
  ageBand: string;
  region: string;
  phone?: string;
  preferredCategory?: string;
  payoutAccount?: string;
};

/** What the owner (or an admin) sees: no hash, the payout account masked. */
export interface AccountView extends Omit<Account, 'passwordHash' | 'googleSubject' | 'payoutAccount'> {
  hasPassword: boolean;
  googleLinked: boolean;
  payoutAccount: string | null;
}

export function accountView(a: Account): AccountView {
  const { passwordHash, googleSubject, payoutAccount, ...rest } = a;
  return {
    ...rest,
    hasPassword: passwordHash !== null,
    googleLinked: googleSubject !== null,
    payoutAccount: payoutAccount === null ? null : `${'*'.repeat(Math.max(0, payoutAccount.length - 4))}${payoutAccount.slice(-4)}`,
  };
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export class AccountService {
  private readonly now: () => number;

  constructor(private readonly o: AccountServiceOptions) {
    this.now = o.now ?? Date.now;
  }

  /**
   * Create an account. A registered email gets the very same answer (and the same work: the password is
   * hashed either way), so signup does not tell whether an email has an account. Nicknames are public,
   * so a taken one is said plainly.
   */
  async signup(input: SignupInput): Promise<void> {
    const email = normalizeEmail(input.email);
    assertPasswordPolicy(input.password, email);
    const hash = await hashPassword(input.password);
    const at = this.now();
    const result = await this.o.accounts.create({
      id: randomUUID(), email, passwordHash: hash, googleSubject: null,
      nickname: input.nickname, name: input.name, gender: input.gender, ageBand: input.ageBand, region: input.region,
      phone: input.phone ?? null, preferredCategory: input.preferredCategory ?? null, payoutAccount: input.payoutAccount ?? null,
      role: 'USER', status: 'ACTIVE', createdAt: at, updatedAt: at, withdrawnAt: null,
    });
    if (result === 'nickname-taken') throw new OkjError('NICKNAME_TAKEN');
  }

  /** One message and about one argon2 verification of work for an unknown email and a wrong password alike. */
  async login(rawEmail: string, password: string, ip: string): Promise<Tokens> {
    const email = normalizeEmail(rawEmail);
    await this.o.throttle.reserve(email, ip);
    const account = await this.o.accounts.byEmail(email);
    const ok = account?.passwordHash ? await verifyPassword(account.passwordHash, password) : await burnVerification(password);
    if (!ok || account === null) throw new OkjError('INVALID_CREDENTIALS');
    await this.o.throttle.succeeded(email, ip);
    const { session, tokens } = await this.open(account);
    // A Google link may have removed this password (and revoked every session) while it was being
    // checked; a session opened on it after that must not survive.
    const after = await this.o.accounts.byId(account.id);
    if (after?.status !== 'ACTIVE' || after.passwordHash !== account.passwordHash) {
      await this.revoke([session.id]);
      throw new OkjError('INVALID_CREDENTIALS');
    }
    return tokens;
  }

  /** A new session for an account that has just proven who it is (password or Google). */
  async openSession(account: Account): Promise<Tokens> {
    return (await this.open(account)).tokens;
  }

  private async open(account: Account): Promise<{ session: Session; tokens: Tokens }> {
    const now = this.now();
    const { refreshTtlSeconds, sessionMaxAgeSeconds } = this.o.lifetimes;
    const session: Session = { id: randomUUID(), userId: account.id, createdAt: now, expiresAt: now + sessionMaxAgeSeconds * 1000, revokedAt: null };
    const refreshToken = newRefreshToken();
    await this.o.sessions.open(session, refreshTokenHash(refreshToken), now + refreshTtlSeconds * 1000);
    return { session, tokens: await this.tokens(account, session, refreshToken, now) };
  }

  /** Spend a refresh token for a new pair. A spent token presented again revokes its whole session. */
  async refresh(refreshToken: string): Promise<Tokens> {
    const now = this.now();
    const next = newRefreshToken();
    const r = await this.o.sessions.rotate(refreshTokenHash(refreshToken), refreshTokenHash(next), now, now + this.o.lifetimes.refreshTtlSeconds * 1000);
    if (r.kind === 'reused') this.o.guard.revokedNow([r.session.id]);
    if (r.kind !== 'rotated') throw new OkjError('REFRESH_TOKEN_INVALID');
    // The role is read afresh at every refresh, so a change of role reaches the next access token.
    const account = await this.o.accounts.byId(r.session.userId);
    if (account === null || account.status !== 'ACTIVE') {
      await this.revoke([r.session.id]);
      throw new OkjError('REFRESH_TOKEN_INVALID');
    }
    return this.tokens(account, r.session, next, now);
  }

  private async tokens(account: Account, session: Session, refreshToken: string, now: number): Promise<Tokens> {
    const { accessTtlSeconds, refreshTtlSeconds } = this.o.lifetimes;
    const accessToken = await signAccessToken(this.o.keys, account.id, {
      role: account.role === 'ADMIN' ? 'admin' : 'user', ttlSeconds: accessTtlSeconds, sessionId: session.id,
    });
    const refreshExpiresIn = Math.max(0, Math.floor((Math.min(now + refreshTtlSeconds * 1000, session.expiresAt) - now) / 1000));
    return { tokenType: 'Bearer', accessToken, expiresIn: accessTtlSeconds, refreshToken, refreshExpiresIn, userId: account.id, role: account.role };
  }

  /** End the session of this access token. */
  async logout(who: Identity): Promise<void> {
    if (who.sessionId !== undefined) await this.revoke([who.sessionId]);
  }

  private async revoke(ids: string[]): Promise<void> {
    const at = this.now();
    for (const id of ids) await this.o.sessions.revoke(id, at);
    this.o.guard.revokedNow(ids);
  }

  private async revokeAll(user: UserId, keep?: string): Promise<void> {
    const ids = await this.o.sessions.revokeAllOf(user, this.now(), keep);
    this.o.guard.revokedNow(ids);
  }

  async account(id: UserId): Promise<Account> {
    const a = await this.o.accounts.byId(id);
    if (a === null || a.status !== 'ACTIVE') throw new OkjError('NOT_FOUND', 'no such account');
    return a;
  }

  async updateProfile(id: UserId, patch: Partial<Profile>): Promise<Account> {
    const r = await this.o.accounts.updateProfile(id, patch, this.now());
    if (r === 'nickname-taken') throw new OkjError('NICKNAME_TAKEN');
    if (r === 'missing') throw new OkjError('NOT_FOUND', 'no such account');
    return this.account(id);
  }

  /**
   * Change a password, proving the current one (throttled like sign-in). Every other session of the
   * account is revoked: whoever knew the old password is signed out.
   */
  async changePassword(who: Identity, current: string, next: string, ip: string): Promise<void> {
    const a = await this.account(who.userId);
    await this.proveOwner(a, current, ip);
    assertPasswordPolicy(next, a.email);
    // Only over the password just proven: one removed meanwhile (a Google link) stays removed.
    if (!(await this.o.accounts.setPasswordHash(a.id, await hashPassword(next), this.now(), a.passwordHash))) {
      throw new OkjError('INVALID_CREDENTIALS', 'the current password is wrong');
    }
    await this.revokeAll(a.id, who.sessionId);
  }

  /** A first password for an account made through Google, from a recent sign-in. */
  async setPassword(who: Identity, id: UserId, next: string): Promise<void> {
    const a = await this.account(id);
    if (a.passwordHash !== null) throw new OkjError('PASSWORD_ALREADY_SET');
    await this.assertRecentSignIn(who);
    assertPasswordPolicy(next, a.email);
    if (!(await this.o.accounts.setPasswordHash(a.id, await hashPassword(next), this.now(), null))) throw new OkjError('PASSWORD_ALREADY_SET');
  }

  /**
   * Withdraw: an account with a password proves it again, one without needs a recent sign-in; its
   * auctions are settled (withdrawal.ts); the row is scrubbed of personal data and every session revoked.
   */
  async withdraw(who: Identity, id: UserId, password: string | undefined, ip: string): Promise<{ canceled: string[] }> {
    const a = await this.account(id);
    if (a.passwordHash !== null) {
      if (password === undefined) throw new OkjError('VALIDATION_FAILED', 'password: required to withdraw an account that has one');
      await this.proveOwner(a, password, ip);
    } else {
      await this.assertRecentSignIn(who);
    }
    const settled = await this.o.settleAuctions(a.id);
    await this.o.accounts.withdraw(a.id, this.now());
    await this.revokeAll(a.id);
    return settled;
  }

  private async proveOwner(a: Account, password: string, ip: string): Promise<void> {
    const email = a.email ?? a.id;
    await this.o.throttle.reserve(email, ip);
    if (a.passwordHash === null || !(await verifyPassword(a.passwordHash, password))) {
      throw new OkjError('INVALID_CREDENTIALS', 'the current password is wrong');
    }
    await this.o.throttle.succeeded(email, ip);
  }

  /**
   * Actions with no password to prove need a session signed into recently (a refresh does not count):
   * a stolen access or refresh token alone cannot take the account over. Tokens without a session
   * (signed by tools) never qualify.
   */
  private async assertRecentSignIn(who: Identity): Promise<void> {
    const maxAgeSeconds = this.o.recentSignInSeconds;
    const session = who.sessionId === undefined ? null : await this.o.sessions.get(who.sessionId);
    if (session === null || this.now() - session.createdAt > maxAgeSeconds * 1000) {
      throw new OkjError('RECENT_SIGN_IN_REQUIRED', undefined, { maxAgeSeconds });
    }
  }

  async setRole(id: UserId, role: AccountRole): Promise<Account> {
    if (!(await this.o.accounts.setRole(id, role, this.now()))) throw new OkjError('NOT_FOUND', 'no such account');
    return this.account(id);
  }

  /**
   * Sign in with a Google identity whose email Google has verified: the account linked to that Google
   * subject; else the account with that email, which gets linked; else a new account (its gender, age
   * band and region are unknown until its owner fills them in).
   * Linking by email proves the email, not whoever signed up with it: signup never verified it, so its
   * password is removed with the link (the owner may set one again) and every session of the account
   * is revoked, or a stranger who signed up first would keep a way in (pre-account-takeover).
   */
  async googleSignIn(g: { subject: string; email: string; name: string | null }): Promise<Tokens> {
    const email = normalizeEmail(g.email);
    let account = await this.o.accounts.byGoogleSubject(g.subject);
    if (account === null) {
      const byEmail = await this.o.accounts.byEmail(email);
      if (byEmail !== null) {
        const linked = await this.o.accounts.linkGoogle(byEmail.id, g.subject, this.now());
        if (linked !== 'linked') throw new OkjError('OAUTH_FAILED', 'this email\'s account is linked to another Google account');
        await this.revokeAll(byEmail.id);
        account = await this.account(byEmail.id);
      } else {
        account = await this.createFromGoogle(g.subject, email, g.name);
      }
    }
    return this.openSession(account);
  }

  private async createFromGoogle(subject: string, email: string, name: string | null): Promise<Account> {
    const at = this.now();
    const cleanName = (name ?? '').replace(/[^\p{L}\p{M} .'-]/gu, '').trim().slice(0, 50) || 'Google user';
    for (let attempt = 0; attempt < 5; attempt++) {
      const account: Account = {
        id: randomUUID(), email, passwordHash: null, googleSubject: subject,
        nickname: `user-${randomUUID().slice(0, 8)}`, name: cleanName, gender: null, ageBand: null, region: null,
        phone: null, preferredCategory: null, payoutAccount: null,
        role: 'USER', status: 'ACTIVE', createdAt: at, updatedAt: at, withdrawnAt: null,
      };
      const r = await this.o.accounts.create(account);
      if (r === 'created') return account;
      if (r !== 'nickname-taken') throw new OkjError('OAUTH_FAILED', 'the account could not be created; try again');
    }
    throw new OkjError('INTERNAL', 'no free nickname');
  }
}

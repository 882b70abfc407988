// The account service: signup and email verification, sign-in, sessions and their tokens, profile,
// password, withdrawal.
// Signup proves the email before any account exists: it keeps a pending registration and mails a
// single-use link to the address; verifying (the link's token and the signup's password) makes the
// account. Every account therefore has a proven email (or Google's verified one), and signup answers
// and behaves alike for registered and new emails (no account enumeration; OWASP ASVS V2.5, V3).
// Sessions: sign-in opens one (a refresh-token family) and answers a short-lived access JWT naming it
// (`sid`) plus an opaque refresh token. Each refresh spends the presented token and issues the next one;
// presenting a spent token again is taken as theft and revokes the whole session (OAuth 2.0 Security
// BCP §4.14.2). Logout, withdrawal and a password change revoke sessions, and their access tokens are
// refused from then on (revocation.ts).
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../engine/logger.ts';
import { OkjError, type UserId } from '../../engine/index.ts';
import type { AccountsApi, GoogleIdentity } from '../../engine/accounts/api.ts';
import type { Identity } from '../../engine/accounts/identity.ts';
import type { Account, AccountRole, Profile, SignupInput, Tokens } from '../../engine/accounts/model.ts';
import type { AccountStore, Session, SessionStore } from '../../storage/accounts/ports.ts';
import type { AccessTokens } from './tokens.ts';
import type { MailQueue } from './mail-queue.ts';
import { alreadyRegisteredMail, verificationMail } from '../../engine/accounts/messages.ts';
import { assertPasswordPolicy, type PasswordHasher } from './password.ts';
import { newRefreshToken, refreshTokenHash } from './refresh.ts';
import type { SessionGuard } from './revocation.ts';
import type { LoginThrottle, SignupThrottle } from './throttle.ts';

/** How long a verification link works. */
export const VERIFICATION_TTL_HOURS = 24;

/** Verification tokens have the refresh tokens' shape: 256 random bits, stored only as their SHA-256. */
export const newVerificationToken = newRefreshToken;
export const verificationTokenHash = refreshTokenHash;

export interface TokenLifetimes {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  sessionMaxAgeSeconds: number;
}

export interface AccountServiceOptions {
  accounts: AccountStore;
  sessions: SessionStore;
  throttle: LoginThrottle;
  signupThrottle: SignupThrottle;
  /** Where signup's mails go (sent in the background), from whom, and the base of the links in them. */
  mail: { queue: MailQueue; from: string; publicBaseUrl: string };
  log: Logger;
  guard: SessionGuard;
  /** Signs the access tokens of new sessions. */
  tokens: Pick<AccessTokens, 'sign'>;
  lifetimes: TokenLifetimes;
  /** How long after signing in a session may set a first password or withdraw a Google-only account. */
  recentSignInSeconds: number;
  /** Argon2id at the configured cost. */
  passwords: PasswordHasher;
  /** Settles the user's auctions before withdrawal (withdrawal.ts); throws to refuse it. */
  releaseAuctions(user: UserId): Promise<{ canceled: string[] }>;
  now?: () => number;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export class AccountService implements AccountsApi {
  private readonly now: () => number;
  /** Work that follows an answered signup (storing, mailing); awaited by close(). */
  private readonly followUps = new Set<Promise<void>>();

  constructor(private readonly o: AccountServiceOptions) {
    this.now = o.now ?? Date.now;
  }

  /**
   * Sign up. The answer (the route's 202) and the work done before it are the same whatever the email:
   * the address's signup count, the password policy, the nickname check and the password hash. All that
   * depends on the email happens after the answer, off the request path: an email without an account
   * gets a pending registration and a mail with its verification link; an email with one gets a mail
   * saying so, and nothing is stored. No account exists until the link is used (verify). Nicknames are
   * public, so a taken one is said plainly, checked the same way for every email; a pending
   * registration does not hold its nickname (strangers could squat names), so verify checks it again.
   */
  async signup(input: SignupInput, ip: string): Promise<void> {
    const email = normalizeEmail(input.email);
    await this.o.signupThrottle.signup(ip);
    assertPasswordPolicy(input.password, email);
    const [passwordHash, owner] = await Promise.all([this.o.passwords.hash(input.password), this.o.accounts.byNickname(input.nickname)]);
    if (owner !== null) throw new OkjError('NICKNAME_TAKEN');
    const profile: Profile = {
      nickname: input.nickname, name: input.name, gender: input.gender, ageBand: input.ageBand, region: input.region,
      phone: input.phone ?? null, preferredCategory: input.preferredCategory ?? null, payoutAccount: input.payoutAccount ?? null,
    };
    const at = this.now();
    this.later(() => this.mailSignup(email, passwordHash, profile, at));
  }

  /** After a signup's answer: the mail its email gets, and the registration a new email needs. */
  private async mailSignup(email: string, passwordHash: string, profile: Profile, at: number): Promise<void> {
    if (!(await this.o.signupThrottle.mayMail(email))) {
      this.o.log.warn({}, 'signup mail withheld: this address had its mails for the window');
      return;
    }
    const { queue, from, publicBaseUrl } = this.o.mail;
    if ((await this.o.accounts.byEmail(email)) !== null) {
      queue.enqueue(alreadyRegisteredMail({ from, to: email, publicBaseUrl }));
      return;
    }
    const token = newVerificationToken();
    await this.o.accounts.addRegistration({
      tokenHash: verificationTokenHash(token), email, passwordHash, ...profile, createdAt: at, expiresAt: at + VERIFICATION_TTL_HOURS * 3_600_000,
    });
    queue.enqueue(verificationMail({ from, to: email, publicBaseUrl, token, validHours: VERIFICATION_TTL_HOURS }));
  }

  /**
   * Run `task` after the current request is answered. A failure is logged by the error's name or code
   * only: a store's message may quote the statement, with the password hash in it.
   */
  private later(task: () => Promise<void>): void {
    const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch((err: unknown) => {
        const e = err as { code?: unknown; name?: unknown };
        this.o.log.error({ error: typeof e.code === 'string' ? e.code : String(e.name ?? 'Error') }, 'signup follow-up failed; no mail was sent');
      })
      .finally(() => this.followUps.delete(p));
    this.followUps.add(p);
  }

  /** Resolves when every answered signup's registration is stored and its mail sent (or given up). */
  async settled(): Promise<void> {
    while (this.followUps.size > 0) await Promise.allSettled([...this.followUps]);
    await this.o.mail.queue.idle();
  }

  /** At shutdown, before the stores close: finish the signups' follow-ups, then give the mail queue `graceMs`. */
  async close(graceMs?: number): Promise<void> {
    while (this.followUps.size > 0) await Promise.allSettled([...this.followUps]);
    await this.o.mail.queue.close(graceMs);
  }

  /**
   * Verify an email: the token from the mail and the password chosen at signup make the pending
   * registration an account (if its email is still free) and sign it in. The password is asked again so
   * that the owner of a mailbox who opens a link they did not ask for cannot adopt a stranger's
   * registration, whose password the stranger knows. An unknown, used, expired or forged token, a wrong
   * password and a taken email all get VERIFICATION_FAILED, and nothing changes. A nickname taken since
   * signup is NICKNAME_TAKEN with the token still good: verify again with another `nickname`.
   */
  async verify(token: string, password: string, nickname: string | undefined, ip: string): Promise<Tokens> {
    await this.o.signupThrottle.verifyAttempt(ip);
    const tokenHash = verificationTokenHash(token);
    const registration = await this.o.accounts.findRegistration(tokenHash, this.now());
    const ok = registration !== null ? await this.o.passwords.verify(registration.passwordHash, password) : await this.o.passwords.burn(password);
    if (!ok || registration === null) throw new OkjError('VERIFICATION_FAILED');
    const r = await this.o.accounts.confirmRegistration(tokenHash, { id: randomUUID(), at: this.now(), nickname });
    if (r.kind === 'invalid' || r.kind === 'email-taken') throw new OkjError('VERIFICATION_FAILED');
    await this.o.signupThrottle.verified(ip);
    if (r.kind === 'nickname-taken') {
      throw new OkjError('NICKNAME_TAKEN', 'the nickname was taken since signup; verify again with another one in `nickname`');
    }
    return this.openSession(r.account);
  }

  /** One message and about one argon2 verification of work for an unknown email and a wrong password alike. */
  async login(rawEmail: string, password: string, ip: string): Promise<Tokens> {
    const email = normalizeEmail(rawEmail);
    await this.o.throttle.reserve(email, ip);
    const account = await this.o.accounts.byEmail(email);
    const ok = account?.passwordHash ? await this.o.passwords.verify(account.passwordHash, password) : await this.o.passwords.burn(password);
    if (!ok || account === null) throw new OkjError('INVALID_CREDENTIALS');
    await this.o.throttle.succeeded(email, ip);
    const { session, tokens } = await this.open(account);
    // A password change (which revokes every other session) or a withdrawal may have happened while this
    // password was being checked; a session opened on the old password after that must not survive.
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
    const accessToken = await this.o.tokens.sign(account.id, {
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
    // Only over the password just proven: one changed meanwhile (another session) is not overwritten.
    if (!(await this.o.accounts.setPasswordHash(a.id, await this.o.passwords.hash(next), this.now(), a.passwordHash))) {
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
    if (!(await this.o.accounts.setPasswordHash(a.id, await this.o.passwords.hash(next), this.now(), null))) throw new OkjError('PASSWORD_ALREADY_SET');
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
    const settled = await this.o.releaseAuctions(a.id);
    await this.o.accounts.withdraw(a.id, this.now());
    await this.revokeAll(a.id);
    return settled;
  }

  private async proveOwner(a: Account, password: string, ip: string): Promise<void> {
    const email = a.email ?? a.id;
    await this.o.throttle.reserve(email, ip);
    if (a.passwordHash === null || !(await this.o.passwords.verify(a.passwordHash, password))) {
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
   * Linking by email keeps the account's password and sessions: signup proves the email before an
   * account exists, so whoever chose that password owns the mailbox Google just vouched for. A stranger
   * who signs up with someone else's email first never gets an account (pre-account-takeover).
   */
  async googleSignIn(g: GoogleIdentity): Promise<Tokens> {
    const email = normalizeEmail(g.email);
    let account = await this.o.accounts.byGoogleSubject(g.subject);
    if (account === null) {
      const byEmail = await this.o.accounts.byEmail(email);
      if (byEmail !== null) {
        const linked = await this.o.accounts.linkGoogle(byEmail.id, g.subject, this.now());
        if (linked !== 'linked') throw new OkjError('OAUTH_FAILED', 'this email\'s account is linked to another Google account');
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
        id: randomUUID(), email, passwordHash: null, googleSubject: subject, emailVerifiedAt: at,
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

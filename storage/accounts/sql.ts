// Accounts, pending registrations and sessions on SQL (SQLite or MySQL/MariaDB), over the journal store's own knex (SqlStore.db),
// so they share its one SQLite connection or its MySQL pool. Every query is short: on SQLite the journal's
// writer thread contends for the same write lock.
//
// Uniqueness (email, nickname, Google subject) is the database's: a duplicate fails the statement and is
// mapped to the domain result, so two signups racing for one email cannot both win. A refresh token is
// spent by a conditional UPDATE (`spent_at IS NULL`), so of two rotations of one token exactly one wins.
// A password hash is replaced the same way (`password_hash = previous`), so a concurrent change wins once.
// A registration is confirmed in one transaction (claim it, insert the account, drop its email's other
// registrations): the account's unique email lets one of two racing confirmations win, and a refused
// one rolls back whole.
import type { Knex } from 'knex';
import type { Millis, UserId } from '../../engine/index.ts';
import {
  accountFromRegistration, scrubbedFields, type Account, type AccountRole, type AccountStore, type ConfirmResult, type CreateResult,
  type PendingRegistration, type Profile, type RotateResult, type Session, type SessionStore,
} from './ports.ts';
import { StoreUnavailableError } from '../auction/ports.ts';
import { TABLES } from '../sql/tables.ts';

const COLUMNS: Record<keyof Account, string> = {
  id: 'id', email: 'email', passwordHash: 'password_hash', googleSubject: 'google_subject', emailVerifiedAt: 'email_verified_at', nickname: 'nickname',
  name: 'name', gender: 'gender', ageBand: 'age_band', region: 'region', phone: 'phone',
  preferredCategory: 'preferred_category', payoutAccount: 'payout_account', role: 'role', status: 'status',
  createdAt: 'created_at', updatedAt: 'updated_at', withdrawnAt: 'withdrawn_at',
};
const TIMES = new Set<keyof Account>(['createdAt', 'updatedAt', 'withdrawnAt', 'emailVerifiedAt']);

const REGISTRATION_COLUMNS: Record<keyof PendingRegistration, string> = {
  tokenHash: 'token_hash', email: 'email', passwordHash: 'password_hash', nickname: 'nickname', name: 'name', gender: 'gender',
  ageBand: 'age_band', region: 'region', phone: 'phone', preferredCategory: 'preferred_category', payoutAccount: 'payout_account',
  createdAt: 'created_at', expiresAt: 'expires_at',
};

function registrationToRow(r: PendingRegistration): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, col] of Object.entries(REGISTRATION_COLUMNS) as [keyof PendingRegistration, string][]) row[col] = r[k];
  return row;
}

function registrationFromRow(row: Record<string, unknown>): PendingRegistration {
  const r: Record<string, unknown> = {};
  for (const [k, col] of Object.entries(REGISTRATION_COLUMNS) as [keyof PendingRegistration, string][]) {
    r[k] = k === 'createdAt' || k === 'expiresAt' ? Number(row[col]) : row[col] ?? null;
  }
  return r as unknown as PendingRegistration;
}

/** Row object for a (partial) account; a scrubbed nickname ('') is NULL, so it leaves the unique index. */
function toRow(a: Partial<Account>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a) as [keyof Account, unknown][]) {
    row[COLUMNS[k]] = k === 'nickname' && v === '' ? null : v;
  }
  return row;
}

function fromRow(r: Record<string, unknown>): Account {
  const a: Record<string, unknown> = {};
  for (const [k, col] of Object.entries(COLUMNS) as [keyof Account, string][]) {
    const v = r[col];
    a[k] = TIMES.has(k) && v !== null && v !== undefined ? Number(v) : v ?? null;
  }
  a.nickname ??= '';
  return a as unknown as Account;
}

function sessionFromRow(r: Record<string, unknown>): Session {
  return {
    id: r.id as string,
    userId: r.user_id as string,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    revokedAt: r.revoked_at === null || r.revoked_at === undefined ? null : Number(r.revoked_at),
  };
}

/** Which unique index a duplicate-key error names, or null when it is not one. */
function duplicateOf(err: unknown): 'email' | 'nickname' | 'google' | null {
  const e = err as { code?: string; errno?: number; message?: string };
  const dup = e.code === 'ER_DUP_ENTRY' || e.errno === 1062 || /^SQLITE_CONSTRAINT/.test(e.code ?? '');
  if (!dup) return null;
  // knex puts the statement before the driver's message, so match the index (MySQL: accounts_users_email_uq)
  // or the column (SQLite: accounts_users.email), never a bare column name from the statement.
  const which = /accounts_users[._](email|nickname|google)/.exec(e.message ?? '')?.[1];
  return (which as 'email' | 'nickname' | 'google' | undefined) ?? null;
}

/**
 * The driver's own message, without the statement knex puts before it (`<sql with its values> - <message>`):
 * the values include password hashes and emails, which must not reach a log through an error.
 */
function driverMessage(err: unknown): string {
  const e = err as { sqlMessage?: unknown; message?: unknown };
  if (typeof e.sqlMessage === 'string') return e.sqlMessage;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const i = message.lastIndexOf(' - ');
  return i >= 0 ? message.slice(i + 3) : message;
}

async function guarded<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw err;
    // The cause keeps the driver's code, not knex's message (loggers print a cause's message too).
    const { code, errno } = err as { code?: unknown; errno?: unknown };
    throw new StoreUnavailableError(`SQL accounts: ${what} failed: ${driverMessage(err)}`, { code, errno, message: driverMessage(err) });
  }
}

export class SqlAccounts implements AccountStore {
  constructor(private readonly knex: Knex) {}

  create(account: Account): Promise<CreateResult> {
    return guarded('create', async () => {
      try {
        await this.knex(TABLES.users).insert(toRow(account));
        return 'created';
      } catch (err) {
        const which = duplicateOf(err);
        if (which === null) throw err;
        // A taken nickname is reported before a taken email, whichever index the database tried first:
        // otherwise a known nickname would reveal whether an email is registered.
        const nick = await this.knex(TABLES.users).where({ nickname: account.nickname }).first('id');
        if (nick !== undefined) return 'nickname-taken';
        return which === 'google' ? 'google-taken' : which === 'email' ? 'email-taken' : 'nickname-taken';
      }
    });
  }

  private one(where: Record<string, unknown>): Promise<Account | null> {
    return guarded('read', async () => {
      const r = await this.knex(TABLES.users).where(where).first();
      return r === undefined ? null : fromRow(r as Record<string, unknown>);
    });
  }

  byId(id: UserId): Promise<Account | null> {
    return this.one({ id });
  }

  byEmail(email: string): Promise<Account | null> {
    return this.one({ email, status: 'ACTIVE' });
  }

  byGoogleSubject(subject: string): Promise<Account | null> {
    return this.one({ google_subject: subject, status: 'ACTIVE' });
  }

  byNickname(nickname: string): Promise<Account | null> {
    return this.one({ nickname, status: 'ACTIVE' });
  }

  updateProfile(id: UserId, patch: Partial<Profile>, at: Millis): Promise<'updated' | 'missing' | 'nickname-taken'> {
    return guarded('profile update', async () => {
      try {
        const n = await this.knex(TABLES.users).where({ id, status: 'ACTIVE' }).update(toRow({ ...patch, updatedAt: at }));
        return n > 0 ? 'updated' : 'missing';
      } catch (err) {
        if (duplicateOf(err) === 'nickname') return 'nickname-taken';
        throw err;
      }
    });
  }

  setPasswordHash(id: UserId, hash: string, at: Millis, previous: string | null): Promise<boolean> {
    return guarded('password update', async () => {
      const q = this.knex(TABLES.users).where({ id, status: 'ACTIVE' });
      if (previous === null) q.whereNull('password_hash');
      else q.where({ password_hash: previous });
      return (await q.update({ password_hash: hash, updated_at: at })) > 0;
    });
  }

  linkGoogle(id: UserId, subject: string, at: Millis): Promise<'linked' | 'missing' | 'google-taken'> {
    return guarded('google link', async () => {
      try {
        const n = await this.knex(TABLES.users)
          .where({ id, status: 'ACTIVE' })
          .whereNull('google_subject')
          .update({ google_subject: subject, email_verified_at: this.knex.raw('COALESCE(email_verified_at, ?)', [at]), updated_at: at });
        return n > 0 ? 'linked' : 'missing';
      } catch (err) {
        if (duplicateOf(err) === 'google') return 'google-taken';
        throw err;
      }
    });
  }

  setRole(id: UserId, role: AccountRole, at: Millis): Promise<boolean> {
    return guarded('role update', async () => {
      const n = await this.knex(TABLES.users).where({ id, status: 'ACTIVE' }).update({ role, updated_at: at });
      return n > 0;
    });
  }

  withdraw(id: UserId, at: Millis): Promise<boolean> {
    return guarded('withdraw', async () => {
      const n = await this.knex(TABLES.users).where({ id, status: 'ACTIVE' }).update(toRow(scrubbedFields(at)));
      return n > 0;
    });
  }

  addRegistration(registration: PendingRegistration): Promise<void> {
    return guarded('registration add', async () => {
      await this.knex(TABLES.registrations).insert(registrationToRow(registration));
      // Housekeeping, after the insert: a purge that fails (a lock wait on MySQL) costs nothing but
      // leaves expired rows, which no lookup returns, for the next one.
      await this.knex(TABLES.registrations).where('expires_at', '<=', registration.createdAt).delete().catch(() => 0);
    });
  }

  findRegistration(tokenHash: string, now: Millis): Promise<PendingRegistration | null> {
    return guarded('registration read', async () => {
      const row = await this.knex(TABLES.registrations).where({ token_hash: tokenHash }).where('expires_at', '>', now).first();
      return row === undefined ? null : registrationFromRow(row as Record<string, unknown>);
    });
  }

  confirmRegistration(tokenHash: string, c: { id: UserId; at: Millis; nickname?: string }): Promise<ConfirmResult> {
    return guarded('registration confirm', async () => {
      const found = await this.knex(TABLES.registrations).where({ token_hash: tokenHash }).where('expires_at', '>', c.at).first('email');
      if (found === undefined) return { kind: 'invalid' };
      const email = found.email as string;
      try {
        return await this.knex.transaction(async (trx): Promise<ConfirmResult> => {
          // First, one write over every registration of the email (a no-op update): on MySQL it locks
          // them in the email index's order, so confirmations racing for one email queue up here instead
          // of deadlocking over each other's rows; on SQLite it takes the write lock (see SqlSessions.rotate).
          await trx(TABLES.registrations).where({ email }).update({ created_at: trx.ref('created_at') });
          // Claim this one (expire it now): a confirmation that waited above finds it gone or used.
          const claimed = await trx(TABLES.registrations).where({ token_hash: tokenHash }).where('expires_at', '>', c.at).update({ expires_at: c.at });
          if (claimed === 0) return { kind: 'invalid' };
          const row = await trx(TABLES.registrations).where({ token_hash: tokenHash }).first();
          const account = accountFromRegistration(registrationFromRow(row as Record<string, unknown>), c);
          await trx(TABLES.users).insert(toRow(account));
          await trx(TABLES.registrations).where({ email }).delete();
          return { kind: 'created', account };
        });
      } catch (err) {
        const which = duplicateOf(err);
        if (which === null) throw err;
        // Rolled back whole. A taken email is told first, whichever index the database tried first: a new
        // nickname would not help then.
        const holder = await this.knex(TABLES.users).where({ email }).first('id');
        return { kind: which === 'email' || holder !== undefined ? 'email-taken' : 'nickname-taken' };
      }
    });
  }

  purgeRegistrations(now: Millis): Promise<number> {
    return guarded('registration purge', () => this.knex(TABLES.registrations).where('expires_at', '<=', now).delete());
  }
}

export class SqlSessions implements SessionStore {
  constructor(private readonly knex: Knex) {}

  open(session: Session, tokenHash: string, tokenExpiresAt: Millis): Promise<void> {
    return guarded('session open', () =>
      this.knex.transaction(async (trx) => {
        await trx(TABLES.sessions).insert({
          id: session.id, user_id: session.userId, created_at: session.createdAt, expires_at: session.expiresAt, revoked_at: session.revokedAt,
        });
        await trx(TABLES.refreshTokens).insert({ token_hash: tokenHash, session_id: session.id, expires_at: tokenExpiresAt, spent_at: null });
      }),
    );
  }

  rotate(oldHash: string, newHash: string, now: Millis, newExpiresAt: Millis): Promise<RotateResult> {
    // The first statement writes: on SQLite a transaction that reads first and writes later cannot wait
    // for the write lock (the journal's writer thread may hold it) and fails at once with SQLITE_BUSY.
    return guarded('rotate', () =>
      this.knex.transaction(async (trx): Promise<RotateResult> => {
        const spent = await trx(TABLES.refreshTokens)
          .where({ token_hash: oldHash })
          .whereNull('spent_at')
          .where('expires_at', '>', now)
          .update({ spent_at: now });
        const token = await trx(TABLES.refreshTokens).where({ token_hash: oldHash }).first();
        if (token === undefined) return { kind: 'invalid' };
        const row = await trx(TABLES.sessions).where({ id: token.session_id }).first();
        if (row === undefined) return { kind: 'invalid' };
        const session = sessionFromRow(row);
        if (session.revokedAt !== null) return { kind: 'invalid' };
        if (spent === 0) {
          if (token.spent_at === null) return { kind: 'invalid' }; // unspent but expired
          // Spent before (or by a rotation that won the race): reuse, and the family is revoked.
          await trx(TABLES.sessions).where({ id: session.id }).whereNull('revoked_at').update({ revoked_at: now });
          return { kind: 'reused', session: { ...session, revokedAt: now } };
        }
        if (session.expiresAt <= now) return { kind: 'invalid' };
        await trx(TABLES.refreshTokens).insert({
          token_hash: newHash, session_id: session.id, expires_at: Math.min(newExpiresAt, session.expiresAt), spent_at: null,
        });
        return { kind: 'rotated', session };
      }),
    );
  }

  revoke(sessionId: string, at: Millis): Promise<boolean> {
    return guarded('revoke', async () => {
      const n = await this.knex(TABLES.sessions).where({ id: sessionId }).whereNull('revoked_at').update({ revoked_at: at });
      return n > 0;
    });
  }

  revokeAllOf(userId: UserId, at: Millis, keep?: string): Promise<string[]> {
    // A read, then one write statement, not one transaction (see rotate): a session revoked by someone
    // else in between is reported too, which costs nothing.
    return guarded('revoke all', async () => {
      const q = this.knex(TABLES.sessions).where({ user_id: userId }).whereNull('revoked_at');
      if (keep !== undefined) q.whereNot({ id: keep });
      const ids = (await q.select('id')).map((r: { id: string }) => r.id);
      if (ids.length > 0) await this.knex(TABLES.sessions).whereIn('id', ids).whereNull('revoked_at').update({ revoked_at: at });
      return ids;
    });
  }

  get(sessionId: string): Promise<Session | null> {
    return guarded('session read', async () => {
      const r = await this.knex(TABLES.sessions).where({ id: sessionId }).first();
      return r === undefined ? null : sessionFromRow(r);
    });
  }
}

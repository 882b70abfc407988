// Accounts and pending registrations on SQL (SQLite or MySQL/MariaDB), over the shared database
// handle (storage/sql/database.ts): reads on its connection, every write through write(), so on SQLite no
// write runs on the event loop (they go to the writer thread with the journal's). A write is statements
// in one transaction with no read between them: a decision that depends on a row reads it first, then
// writes with an expectation that the row is still as read (a WriteConflictError says it moved: read
// again and decide afresh).
//
// Uniqueness (email, nickname, Google subject) is the database's: a duplicate fails the statement and is
// mapped to the domain result, so two signups racing for one email cannot both win. A password hash is
// replaced by a conditional UPDATE (`password_hash = previous`), so of two concurrent changes one wins.
// A registration is confirmed in one write (claim it, insert the account, drop its email's other
// registrations): the claim's expectation and the account's unique email let one of two racing
// confirmations win, and a refused one rolls back whole.
import type { Millis, UserId } from '../../engine/index.ts';
import {
  accountFromRegistration, scrubbedFields, type Account, type AccountRole, type AccountStore, type ConfirmResult, type CreateResult,
  type PendingRegistration, type Profile,
} from './ports.ts';
import { WriteConflictError } from '../errors.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { TABLES } from '../sql/tables.ts';
import { statement } from '../sql/write.ts';
import { duplicateOf, guarded } from './sql-errors.ts';

export { SqlSessions } from './sql-sessions.ts';

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

export class SqlAccounts implements AccountStore {
  constructor(private readonly db: SqlDatabase) {}

  private get q(): SqlDatabase['builder'] {
    return this.db.builder;
  }

  private async first(query: Parameters<SqlDatabase['read']>[0]): Promise<Record<string, unknown> | undefined> {
    return (await this.db.read(query))[0];
  }

  /** One statement; its affected-row count. */
  private async run(query: Parameters<typeof statement>[0]): Promise<number> {
    return (await this.db.write([statement(query)]))[0];
  }

  create(account: Account): Promise<CreateResult> {
    return guarded('create', async () => {
      try {
        await this.run(this.q(TABLES.users).insert(toRow(account)));
        return 'created';
      } catch (err) {
        const which = duplicateOf(err);
        if (which === null) throw err;
        // A taken nickname is reported before a taken email, whichever index the database tried first:
        // otherwise a known nickname would reveal whether an email is registered.
        const nick = await this.first(this.q(TABLES.users).where({ nickname: account.nickname }).first('id'));
        if (nick !== undefined) return 'nickname-taken';
        return which === 'google' ? 'google-taken' : which === 'email' ? 'email-taken' : 'nickname-taken';
      }
    });
  }

  private one(where: Record<string, unknown>): Promise<Account | null> {
    return guarded('read', async () => {
      const r = await this.first(this.q(TABLES.users).where(where).first());
      return r === undefined ? null : fromRow(r);
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
        const n = await this.run(this.q(TABLES.users).where({ id, status: 'ACTIVE' }).update(toRow({ ...patch, updatedAt: at })));
        return n > 0 ? 'updated' : 'missing';
      } catch (err) {
        if (duplicateOf(err) === 'nickname') return 'nickname-taken';
        throw err;
      }
    });
  }

  setPasswordHash(id: UserId, hash: string, at: Millis, previous: string | null): Promise<boolean> {
    return guarded('password update', async () => {
      const q = this.q(TABLES.users).where({ id, status: 'ACTIVE' });
      if (previous === null) q.whereNull('password_hash');
      else q.where({ password_hash: previous });
      return (await this.run(q.update({ password_hash: hash, updated_at: at }))) > 0;
    });
  }

  linkGoogle(id: UserId, subject: string, at: Millis): Promise<'linked' | 'missing' | 'google-taken'> {
    return guarded('google link', async () => {
      try {
        const n = await this.run(this.q(TABLES.users)
          .where({ id, status: 'ACTIVE' })
          .whereNull('google_subject')
          .update({ google_subject: subject, email_verified_at: this.q.raw('COALESCE(email_verified_at, ?)', [at]), updated_at: at }));
        return n > 0 ? 'linked' : 'missing';
      } catch (err) {
        if (duplicateOf(err) === 'google') return 'google-taken';
        throw err;
      }
    });
  }

  setRole(id: UserId, role: AccountRole, at: Millis): Promise<boolean> {
    return guarded('role update', async () => (await this.run(this.q(TABLES.users).where({ id, status: 'ACTIVE' }).update({ role, updated_at: at }))) > 0);
  }

  withdraw(id: UserId, at: Millis): Promise<boolean> {
    return guarded('withdraw', async () => (await this.run(this.q(TABLES.users).where({ id, status: 'ACTIVE' }).update(toRow(scrubbedFields(at))))) > 0);
  }

  addRegistration(registration: PendingRegistration): Promise<void> {
    return guarded('registration add', async () => {
      await this.run(this.q(TABLES.registrations).insert(registrationToRow(registration)));
      // Housekeeping, after the insert and apart from it: a purge that fails (a lock wait on MySQL)
      // costs nothing but leaves expired rows, which no lookup returns, for the next one.
      await this.run(this.q(TABLES.registrations).where('expires_at', '<=', registration.createdAt).delete()).catch(() => 0);
    });
  }

  findRegistration(tokenHash: string, now: Millis): Promise<PendingRegistration | null> {
    return guarded('registration read', async () => {
      const row = await this.first(this.q(TABLES.registrations).where({ token_hash: tokenHash }).where('expires_at', '>', now).first());
      return row === undefined ? null : registrationFromRow(row);
    });
  }

  confirmRegistration(tokenHash: string, c: { id: UserId; at: Millis; nickname?: string }): Promise<ConfirmResult> {
    return guarded('registration confirm', async () => {
      // A registration never changes but for its expiry: what is read here is what the write claims.
      const row = await this.first(this.q(TABLES.registrations).where({ token_hash: tokenHash }).where('expires_at', '>', c.at).first());
      if (row === undefined) return { kind: 'invalid' };
      const account = accountFromRegistration(registrationFromRow(row), c);
      const email = account.email as string;
      try {
        await this.db.write([
          // First, one write over every registration of the email (a no-op update): on MySQL it locks
          // them in the email index's order, so confirmations racing for one email queue up here instead
          // of deadlocking over each other's rows.
          statement(this.q(TABLES.registrations).where({ email }).update({ created_at: this.q.ref('created_at') })),
          // Claim this one (expire it now): a confirmation that got here first leaves it used or gone.
          statement(this.q(TABLES.registrations).where({ token_hash: tokenHash }).where('expires_at', '>', c.at).update({ expires_at: c.at }), { exactly: 1 }),
          statement(this.q(TABLES.users).insert(toRow(account))),
          statement(this.q(TABLES.registrations).where({ email }).delete()),
        ]);
        return { kind: 'created', account };
      } catch (err) {
        if (err instanceof WriteConflictError) return { kind: 'invalid' };
        const which = duplicateOf(err);
        if (which === null) throw err;
        // Rolled back whole. A taken email is told first, whichever index the database tried first: a new
        // nickname would not help then.
        const holder = await this.first(this.q(TABLES.users).where({ email }).first('id'));
        return { kind: which === 'email' || holder !== undefined ? 'email-taken' : 'nickname-taken' };
      }
    });
  }

  purgeRegistrations(now: Millis): Promise<number> {
    return guarded('registration purge', () => this.run(this.q(TABLES.registrations).where('expires_at', '<=', now).delete()));
  }
}

// How the SQL account adapters report failures: a duplicate key mapped to the unique index it hit, every
// other failure as StoreUnavailableError carrying only the driver's own message (never the statement,
// whose values hold password hashes and emails), and read-then-write retries after a WriteConflictError.
import { StoreUnavailableError, WriteConflictError } from '../errors.ts';

/** Which unique index a duplicate-key error names, or null when it is not one. */
export function duplicateOf(err: unknown): 'email' | 'nickname' | 'google' | null {
  const e = err as { code?: string; errno?: number; message?: string };
  const dup = e.code === 'ER_DUP_ENTRY' || e.errno === 1062 || /^SQLITE_CONSTRAINT/.test(e.code ?? '');
  if (!dup) return null;
  // Match the index (MySQL: accounts_users_email_uq) or the column (SQLite: accounts_users.email), never a
  // bare column name, which a statement quoted in the message could hold.
  const which = /accounts_users[._](email|nickname|google)/.exec(e.message ?? '')?.[1];
  return (which as 'email' | 'nickname' | 'google' | undefined) ?? null;
}

/**
 * The driver's own message, without any statement put before it (`<sql with its values> - <message>`, as
 * knex does): the values include password hashes and emails, which must not reach a log through an error.
 */
function driverMessage(err: unknown): string {
  const e = err as { sqlMessage?: unknown; message?: unknown };
  if (typeof e.sqlMessage === 'string') return e.sqlMessage;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const i = message.lastIndexOf(' - ');
  return i >= 0 ? message.slice(i + 3) : message;
}

export async function guarded<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw err;
    // The cause keeps the driver's code, not knex's message (loggers print a cause's message too).
    const { code, errno } = err as { code?: unknown; errno?: unknown };
    throw new StoreUnavailableError(`SQL accounts: ${what} failed: ${driverMessage(err)}`, { code, errno, message: driverMessage(err) });
  }
}

/** Tries of a read-then-write whose write found the row moved (each retry reads the new state). */
const ATTEMPTS = 4;

export async function retried<T>(f: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (err) {
      if (!(err instanceof WriteConflictError) || i >= ATTEMPTS) throw err;
    }
  }
}

// Reading what the database said: the SQL adapters map a driver's error to the storage errors
// (storage/errors.ts) with these, the same way on both dialects.
import { StoreUnavailableError, WriteConflictError } from '../errors.ts';
import { sqliteCode } from './better-sqlite3.ts';

/** A unique or primary key refused the row (SQLite's constraint codes, MySQL's ER_DUP_ENTRY). */
export function isDuplicateKey(err: unknown): boolean {
  const code = sqliteCode(err);
  if (code !== undefined) return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  const e = err as { code?: unknown; errno?: unknown } | null;
  return e !== null && typeof e === 'object' && (e.code === 'ER_DUP_ENTRY' || e.errno === 1062);
}

/** The driver's message with its code in front (when the message does not say it already). */
export function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/**
 * What a failed call becomes: a storage error passes through as it is; anything the database said
 * (connection lost, pool timeout, lock wait timeout, deadlock, SQLITE_BUSY, disk full...) is
 * StoreUnavailableError, with the driver's error as its cause.
 */
export function unavailable(who: string, what: string, err: unknown): Error {
  if (err instanceof StoreUnavailableError || err instanceof WriteConflictError) return err;
  return new StoreUnavailableError(`${who}: ${what} failed: ${describe(err)}`, err);
}

// The slice of better-sqlite3 this adapter uses, typed here (the package ships no types and we add no
// @types dependency). knex owns the connection; the append hot path borrows it to run cached prepared
// statements inside one native transaction.
import { createRequire } from 'node:module';

export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqliteStatement {
  run(...params: unknown[]): SqliteRunResult;
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Rows as arrays in select order instead of objects. */
  raw(on?: boolean): SqliteStatement;
}

export interface SqliteTransaction<A extends unknown[], R> {
  (...args: A): R;
  deferred(...args: A): R;
  immediate(...args: A): R;
  exclusive(...args: A): R;
}

export interface SqliteDatabase {
  readonly open: boolean;
  readonly inTransaction: boolean;
  readonly name: string;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): SqliteDatabase;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): SqliteTransaction<A, R>;
  close(): SqliteDatabase;
}

export interface SqliteOpenOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  /** busy_timeout in ms. */
  timeout?: number;
}

export type SqliteDatabaseConstructor = new (filename: string, options?: SqliteOpenOptions) => SqliteDatabase;

/** The better-sqlite3 constructor, for a second connection of one's own (tools, tests). */
export function betterSqlite3(): SqliteDatabaseConstructor {
  return createRequire(import.meta.url)('better-sqlite3') as SqliteDatabaseConstructor;
}

/** better-sqlite3's error: `code` is the extended result code, e.g. SQLITE_BUSY, SQLITE_CONSTRAINT_PRIMARYKEY. */
export function sqliteCode(err: unknown): string | undefined {
  if (err instanceof Error && err.name === 'SqliteError') {
    const code = (err as Error & { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

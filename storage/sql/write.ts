// What SqlDatabase.write() takes: statements with their parameters, and what each must affect. Shared
// by the main thread, the SQLite writer thread and the MySQL path, so an expectation means the same
// everywhere.
//
// A count is the driver's: SQLite's `changes`, MySQL's `affectedRows` (mysql2 connects with FOUND_ROWS,
// so an UPDATE counts the rows it matched, as SQLite does, even when a value did not change). An
// insert-if-absent (ON CONFLICT DO NOTHING, INSERT IGNORE) counts 0 when the row was there. An upsert
// that updates counts 1 on SQLite and 2 on MySQL: put expectations on plain INSERT, UPDATE and DELETE.
import { WriteConflictError } from '../errors.ts';

/** Rows a statement must affect, or the whole write rolls back (WriteConflictError). */
export type WriteExpectation = { exactly: number } | { atLeast: number };

export interface SqlWrite {
  sql: string;
  params: readonly unknown[];
  expect?: WriteExpectation;
}

/** Anything that compiles to one statement: a knex query builder or raw (SqlDatabase.builder). */
export interface SqlBuildable {
  toSQL(): { toNative(): { sql: string; bindings: readonly unknown[] } };
}

export function meets(rows: number, e: WriteExpectation): boolean {
  return 'exactly' in e ? rows === e.exactly : rows >= e.atLeast;
}

export function describeExpectation(e: WriteExpectation): string {
  return 'exactly' in e ? `exactly ${e.exactly}` : `at least ${e.atLeast}`;
}

export function writeConflict(statement: number, rows: number, e: WriteExpectation): WriteConflictError {
  return new WriteConflictError(
    `SQL write: statement ${statement} affected ${rows} rows, expected ${describeExpectation(e)}; nothing of the write was stored`,
    statement, rows,
  );
}

/** A built query as one statement of a write. */
export function statement(q: SqlBuildable, expect?: WriteExpectation): SqlWrite {
  const n = q.toSQL().toNative();
  return expect === undefined ? { sql: n.sql, params: n.bindings } : { sql: n.sql, params: n.bindings, expect };
}

/** better-sqlite3 binds no booleans or undefined (knex's own SQLite client converts them the same way). */
export function sqliteParams(params: readonly unknown[]): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (typeof v !== 'boolean' && v !== undefined) continue;
    out ??= params.slice();
    out[i] = v === undefined ? null : Number(v);
  }
  return out ?? (params as unknown[]);
}

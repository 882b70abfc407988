// SqlDatabase.write() on a better-sqlite3 connection, for whichever thread owns it (the writer thread,
// or the event loop when there is none): the statements in one transaction, each prepared once per SQL
// text, each count checked against its expectation. A missed expectation throws UnmetExpectation, which
// rolls the transaction (or, nested in a journal append, its savepoint) back.
import type { SqliteDatabase, SqliteStatement } from './better-sqlite3.ts';
import { describeExpectation, meets, type SqlWrite, type WriteExpectation } from './write.ts';

/** SQL texts vary with row counts: the cache stays bounded. */
const PREPARED_MAX = 500;

export class UnmetExpectation extends Error {
  constructor(readonly statement: number, readonly rows: number, readonly expect: WriteExpectation) {
    super(`statement ${statement} affected ${rows} rows, expected ${describeExpectation(expect)}`);
    this.name = 'UnmetExpectation';
  }
}

export interface SqliteWrites {
  /** In a transaction of its own: BEGIN IMMEDIATE, so the lock is taken (waiting busy_timeout) before any work. */
  alone(statements: readonly SqlWrite[]): number[];
  /** Inside a transaction already open (a journal append): under a savepoint, undone alone when it throws. */
  nested(statements: readonly SqlWrite[]): number[];
}

export function sqliteWrites(db: SqliteDatabase): SqliteWrites {
  const prepared = new Map<string, SqliteStatement>();
  const prepare = (sql: string): SqliteStatement => {
    let st = prepared.get(sql);
    if (st === undefined) {
      if (prepared.size >= PREPARED_MAX) prepared.clear();
      st = db.prepare(sql);
      prepared.set(sql, st);
    }
    return st;
  };
  const run = db.transaction((statements: readonly SqlWrite[]): number[] => {
    const counts = new Array<number>(statements.length);
    for (let i = 0; i < statements.length; i++) {
      const { sql, params, expect } = statements[i];
      const rows = prepare(sql).run(params).changes;
      if (expect !== undefined && !meets(rows, expect)) throw new UnmetExpectation(i, rows, expect);
      counts[i] = rows;
    }
    return counts;
  });
  return { alone: (s) => run.immediate(s), nested: (s) => run(s) };
}

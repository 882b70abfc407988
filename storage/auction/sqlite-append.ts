// The SQLite append transaction, for whichever thread owns the connection (the writer thread, or the
// event loop when writerThread is off): one IMMEDIATE transaction of cached multi-row statements.
import type { SqliteDatabase, SqliteStatement } from '../sql/better-sqlite3.ts';
import {
  CHUNK_ROWS, EVENT_INSERT_COLUMNS, insertEventsSql, insertRepliesSql, pow2Chunks, REPLY_COLUMNS, slice, SUMMARY_COLUMNS,
  upsertSummariesSql, type BatchParams,
} from './sql-statements.ts';

type Statements = Map<string, SqliteStatement>;

function cached(db: SqliteDatabase, statements: Statements) {
  return (kind: string, n: number, text: () => string): SqliteStatement => {
    const key = `${kind}:${n}`;
    let s = statements.get(key);
    if (s === undefined) {
      s = db.prepare(text());
      statements.set(key, s);
    }
    return s;
  };
}

/**
 * An append function bound to `db`, preparing each statement once into `statements`. `within`, when
 * given, runs inside the same transaction after the append (the writer thread's riders).
 */
export function sqliteAppender(db: SqliteDatabase, statements: Statements): (p: BatchParams, within?: () => void) => void {
  const stmt = cached(db, statements);
  const size = CHUNK_ROWS.sqlite;
  const write = db.transaction((p: BatchParams, within?: () => void) => {
    pow2Chunks(p.eventRows, size.events, (off, n) =>
      stmt('e', n, () => insertEventsSql(n)).run(slice(p.events, off, n, EVENT_INSERT_COLUMNS.length)));
    pow2Chunks(p.replyRows, size.replies, (off, n) =>
      stmt('r', n, () => insertRepliesSql('sqlite', n)).run(slice(p.replies, off, n, REPLY_COLUMNS.length)));
    pow2Chunks(p.summaryRows, size.summaries, (off, n) =>
      stmt('s', n, () => upsertSummariesSql('sqlite', n)).run(slice(p.summaries, off, n, SUMMARY_COLUMNS.length)));
    within?.();
  });
  // IMMEDIATE: take the write lock first, waiting up to busy_timeout, rather than fail mid-way.
  return (p, within) => write.immediate(p, within);
}

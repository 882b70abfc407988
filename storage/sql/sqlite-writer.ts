// The SQLite writer thread. better-sqlite3 is synchronous, so a commit on the main thread would stall
// every socket for its duration. Here, on a connection of its own, it runs each append batch in one
// IMMEDIATE transaction while the main thread keeps taking bids. WAL checkpoints run on a third
// connection (./sqlite-checkpointer.cjs), so a long one never holds up a batch.
// Messages: {id, p: BatchParams} in; {id} or {id, error} out.
import { parentPort, workerData } from 'node:worker_threads';
import { betterSqlite3, type SqliteStatement } from './better-sqlite3.ts';
import {
  CHUNK_ROWS, EVENT_COLUMNS, insertEventsSql, insertRepliesSql, pow2Chunks, REPLY_COLUMNS, slice, SUMMARY_COLUMNS,
  upsertSummariesSql, type BatchParams,
} from './statements.ts';

export interface WriterInit {
  filename: string;
  busyMs: number;
}

const init = workerData as WriterInit;
const port = parentPort as NonNullable<typeof parentPort>;
const Database = betterSqlite3();
const db = new Database(init.filename);
db.pragma(`busy_timeout = ${init.busyMs}`);
db.pragma('synchronous = FULL'); // the WAL is synced at every commit: a resolved append survives a power cut
db.pragma('cache_size = -65536');
db.pragma('wal_autocheckpoint = 0'); // checkpoints run on the checkpointer's connection, never in a commit

const statements = new Map<string, SqliteStatement>();
function stmt(kind: string, n: number, text: () => string): SqliteStatement {
  const key = `${kind}:${n}`;
  let s = statements.get(key);
  if (s === undefined) {
    s = db.prepare(text());
    statements.set(key, s);
  }
  return s;
}

const size = CHUNK_ROWS.sqlite;
const write = db.transaction((p: BatchParams) => {
  pow2Chunks(p.eventRows, size.events, (off, n) =>
    stmt('e', n, () => insertEventsSql(n)).run(slice(p.events, off, n, EVENT_COLUMNS.length)));
  pow2Chunks(p.replyRows, size.replies, (off, n) =>
    stmt('r', n, () => insertRepliesSql('sqlite', n)).run(slice(p.replies, off, n, REPLY_COLUMNS.length)));
  pow2Chunks(p.summaryRows, size.summaries, (off, n) =>
    stmt('s', n, () => upsertSummariesSql('sqlite', n)).run(slice(p.summaries, off, n, SUMMARY_COLUMNS.length)));
});

port.on('message', (m: { id: number; p: BatchParams } | 'close') => {
  if (m === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    // IMMEDIATE: take the write lock first, waiting up to busy_timeout, rather than fail mid-way.
    write.immediate(m.p);
    port.postMessage({ id: m.id });
  } catch (err) {
    const e = err as Error & { code?: unknown };
    port.postMessage({ id: m.id, error: { name: e.name, message: e.message, code: typeof e.code === 'string' ? e.code : undefined } });
  }
});

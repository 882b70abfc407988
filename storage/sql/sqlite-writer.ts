// The SQLite writer thread. better-sqlite3 is synchronous, so a commit on the main thread would stall
// every socket for its duration; so would a write waiting for the lock (busy_timeout is a busy wait).
// Here, on a connection of its own, it runs every write of the database: each journal append batch in
// one IMMEDIATE transaction (storage/auction/sqlite-append.ts, the specialised hot path), and every
// other write (SqlDatabase.write) as statements in one transaction. WAL checkpoints run on a third
// connection (./sqlite-checkpointer.cjs), so a long one never holds up a batch.
// Messages in: {id, p: BatchParams, ride?: SqlWrite[]} (an append, carrying at most one write), or
// {id, write: SqlWrite[]} (a write on its own). Out: {id, ...Outcome}, and for an append that carried
// a write, {id, ride: Outcome} as well. A rider runs in the append's transaction under a savepoint, so
// it costs no commit (no fsync) of its own; its failure (or missed expectation) rolls back only it.
import { parentPort, workerData } from 'node:worker_threads';
import { betterSqlite3 } from './better-sqlite3.ts';
import { sqliteAppender } from '../auction/sqlite-append.ts';
import type { BatchParams } from '../auction/sql-statements.ts';
import { sqliteWrites, UnmetExpectation } from './sqlite-write.ts';
import type { SqlWrite, WriteExpectation } from './write.ts';

export interface WriterInit {
  filename: string;
  busyMs: number;
}

export interface WriterError { name: string; message: string; code?: string }

/** How one write (or append) ended on the thread. */
export type Outcome =
  | { counts?: number[] }
  | { conflict: { statement: number; rows: number; expect: WriteExpectation } }
  | { error: WriterError };

type Message = { id: number; p: BatchParams; ride?: SqlWrite[] } | { id: number; write: SqlWrite[] };

const init = workerData as WriterInit;
const port = parentPort as NonNullable<typeof parentPort>;
const Database = betterSqlite3();
const db = new Database(init.filename);
db.pragma(`busy_timeout = ${init.busyMs}`);
db.pragma('synchronous = FULL'); // the WAL is synced at every commit: a resolved append survives a power cut
db.pragma('cache_size = -65536');
db.pragma('wal_autocheckpoint = 0'); // checkpoints run on the checkpointer's connection, never in a commit

const append = sqliteAppender(db, new Map());
const writes = sqliteWrites(db);

function failed(err: unknown): Outcome {
  if (err instanceof UnmetExpectation) return { conflict: { statement: err.statement, rows: err.rows, expect: err.expect } };
  const e = err as Error & { code?: unknown };
  return { error: { name: e.name, message: e.message, code: typeof e.code === 'string' ? e.code : undefined } };
}

port.on('message', (m: Message | 'close') => {
  if (m === 'close') {
    db.close();
    port.close();
    return;
  }
  if ('write' in m) {
    let out: Outcome;
    try {
      out = { counts: writes.alone(m.write) };
    } catch (err) {
      out = failed(err);
    }
    port.postMessage({ id: m.id, ...out });
    return;
  }
  const ride = m.ride;
  let rode: Outcome | undefined;
  try {
    // Called inside the append's transaction, the rider runs under a savepoint and is rolled back to it
    // when it throws; the append goes on and commits.
    append(m.p, ride === undefined ? undefined : () => {
      try {
        rode = { counts: writes.nested(ride) };
      } catch (err) {
        rode = failed(err);
      }
    });
  } catch (err) {
    // The append failed: its rider, committed with it or not at all, fails the same way.
    const out = failed(err);
    port.postMessage({ id: m.id, ...out, ...(ride === undefined ? {} : { ride: out }) });
    return;
  }
  port.postMessage(rode === undefined ? { id: m.id } : { id: m.id, ride: rode });
});

// The SQLite writer thread. better-sqlite3 is synchronous, so a commit on the main thread would stall
// every socket for its duration. Here, on a connection of its own, it runs each append batch in one
// IMMEDIATE transaction while the main thread keeps taking bids. WAL checkpoints run on a third
// connection (./sqlite-checkpointer.cjs), so a long one never holds up a batch.
// Messages: {id, p: BatchParams, ride?} (append), {id, snapshots, rows} (snapshot upsert) or
// {id, statements} (one transaction of other writers' [sql, bindings]) in; {id, rideError?} or
// {id, error} out. `ride` is other writers' statements carried by an append: they run in its
// transaction under a savepoint, so they cost no commit (no fsync) of their own, and their failure
// rolls back only them (reported as rideError) while the append commits. Snapshots come here too: a
// write on the main thread would wait for this thread's lock with the event loop blocked
// (better-sqlite3's busy wait is synchronous).
import { parentPort, workerData } from 'node:worker_threads';
import { betterSqlite3 } from './better-sqlite3.ts';
import { sqliteAppender, sqliteSnapshotter } from '../auction/sqlite-append.ts';
import type { BatchParams } from '../auction/sql-statements.ts';

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

const statements = new Map();
const append = sqliteAppender(db, statements);
const snapshot = sqliteSnapshotter(db, statements);

type Statements = [string, unknown[]][];
type Message =
  | { id: number; p: BatchParams; ride?: Statements }
  | { id: number; snapshots: unknown[]; rows: number }
  | { id: number; statements: Statements };

// Other writers' statements (the marketplace projection), prepared once per SQL text.
const prepared = new Map<string, ReturnType<typeof db.prepare>>();
const runAll = db.transaction((statements: Statements) => {
  for (const [sql, bindings] of statements) {
    let st = prepared.get(sql);
    if (st === undefined) {
      if (prepared.size >= 500) prepared.clear(); // texts vary with row counts: stay bounded
      st = db.prepare(sql);
      prepared.set(sql, st);
    }
    st.run(bindings);
  }
});

function described(err: unknown): { name: string; message: string; code: string | undefined } {
  const e = err as Error & { code?: unknown };
  return { name: e.name, message: e.message, code: typeof e.code === 'string' ? e.code : undefined };
}

port.on('message', (m: Message | 'close') => {
  if (m === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    if ('p' in m) {
      const ride = m.ride;
      let rideError: unknown = null;
      // Called inside a transaction, better-sqlite3 runs runAll under a savepoint and rolls back to it
      // when it throws.
      append(m.p, ride === undefined ? undefined : () => {
        try {
          runAll(ride);
        } catch (err) {
          rideError = err;
        }
      });
      port.postMessage(rideError === null ? { id: m.id } : { id: m.id, rideError: described(rideError) });
      return;
    }
    if ('snapshots' in m) snapshot(m.snapshots, m.rows);
    else runAll.immediate(m.statements);
    port.postMessage({ id: m.id });
  } catch (err) {
    port.postMessage({ id: m.id, error: described(err) });
  }
});

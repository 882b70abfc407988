// The SQLite writer thread. better-sqlite3 is synchronous, so a commit on the main thread would stall
// every socket for its duration. Here, on a connection of its own, it runs each append batch in one
// IMMEDIATE transaction while the main thread keeps taking bids. WAL checkpoints run on a third
// connection (./sqlite-checkpointer.cjs), so a long one never holds up a batch.
// Messages: {id, p: BatchParams} (append) or {id, snapshots, rows} (snapshot upsert) in; {id} or
// {id, error} out. Snapshots come here too: a write on the main thread would wait for this thread's
// lock with the event loop blocked (better-sqlite3's busy wait is synchronous).
import { parentPort, workerData } from 'node:worker_threads';
import { betterSqlite3 } from './better-sqlite3.ts';
import { sqliteAppender, sqliteSnapshotter } from './sqlite-append.ts';
import type { BatchParams } from './statements.ts';

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

type Message = { id: number; p: BatchParams } | { id: number; snapshots: unknown[]; rows: number };

port.on('message', (m: Message | 'close') => {
  if (m === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    if ('p' in m) append(m.p);
    else snapshot(m.snapshots, m.rows);
    port.postMessage({ id: m.id });
  } catch (err) {
    const e = err as Error & { code?: unknown };
    port.postMessage({ id: m.id, error: { name: e.name, message: e.message, code: typeof e.code === 'string' ? e.code : undefined } });
  }
});

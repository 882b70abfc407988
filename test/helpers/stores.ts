// Every adapter of each storage port that can run here, for the contract suites to loop over.
// open(t) returns a store for the subtest (closed and cleaned up at its teardown), or null when its
// server is missing (already reported on t by ./services.ts).
//
// Isolation: memory gets a fresh instance; SQLite a temp file under os.tmpdir(); MariaDB a database
// of its own (okj_test_<random>, dropped at teardown), so test files running at once never collide;
// Redis a key prefix of its own (okj-test-<random>:, its keys deleted at teardown).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccountStore, AttemptCounter, SessionStore } from '../../storage/accounts/ports.ts';
import { MemoryAccounts, MemorySessions } from '../../storage/accounts/memory.ts';
import { MemoryAttempts } from '../../storage/accounts/memory-attempts.ts';
import { MemoryBoard } from '../../storage/auction/memory-board.ts';
import { MemoryJournal } from '../../storage/auction/memory-journal.ts';
import { MemorySnapshots } from '../../storage/auction/memory-snapshots.ts';
import type { AuctionBoard, BidJournal, IdempotencyStore, Lifecycle, SnapshotStore } from '../../storage/auction/ports.ts';
import { openRedisAttempts } from '../../storage/accounts/redis-attempts.ts';
import { openRedisBoard } from '../../storage/auction/redis-board.ts';
import { SqlAccounts, SqlSessions } from '../../storage/accounts/sql.ts';
import { openAuctionSql } from '../../storage/auction/sql.ts';
import { openSqlDatabase, type SqlDatabase, type SqlDatabaseOptions, type SqlDialect } from '../../storage/sql/database.ts';
import { mariaDbDatabase, redisPrefix, requireRedis, type ServiceTest } from './services.ts';

export interface Subject<S> {
  name: string;
  open(t: ServiceTest): Promise<S | null>;
}

export type Journal = BidJournal & IdempotencyStore & Lifecycle;

export function tempSqlitePath(t: ServiceTest): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'okj-storage-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'nested', 'journal.db'); // openSqlDatabase creates the parent directory
}

/**
 * The auction's SQL adapters (journal, idempotency, snapshots) over a database of their own, as one
 * object: what the journal tests drive. `db` is the handle, for other adapters on the same database;
 * close() closes it.
 */
export interface SqlStore extends BidJournal, IdempotencyStore, SnapshotStore, Lifecycle {
  readonly db: SqlDatabase;
  readonly dialect: SqlDialect;
}

export async function openSqlStore(options: SqlDatabaseOptions): Promise<SqlStore> {
  const db = await openSqlDatabase(options);
  const { journal: j, idempotency: i, snapshots: s } = await openAuctionSql(db).catch(async (err) => {
    await db.close();
    throw err;
  });
  return {
    db,
    dialect: db.dialect,
    append: (batch) => j.append(batch),
    after: (position, limit) => j.after(position, limit),
    read: (auction, afterSeq, limit) => j.read(auction, afterSeq, limit),
    live: () => j.live(),
    tails: (after) => j.tails(after),
    summary: (auction) => j.summary(auction),
    find: (key, since) => i.find(key, since),
    findMany: (keys, since) => i.findMany(keys, since),
    spill: (replies) => i.spill(replies),
    since: (since) => i.since(since),
    replay: (since, each) => i.replay(since, each),
    purge: (before) => i.purge(before),
    put: (states) => s.put(states),
    get: (ids) => s.get(ids),
    ping: () => db.ping(),
    close: () => db.close(),
  };
}

export type SqlStoreOptions = SqlDatabaseOptions;
type StoreOptions = Omit<SqlDatabaseOptions, 'url'>;

export async function openSqlite(t: ServiceTest, options: StoreOptions = {}): Promise<SqlStore> {
  const file = tempSqlitePath(t);
  const store = await openSqlStore({ ...options, url: file });
  t.teardown(() => store.close()); // tap runs teardowns last in, first out: closed before the rm
  return store;
}

export async function openMariaDb(t: ServiceTest, options: StoreOptions = {}): Promise<SqlStore | null> {
  let store: SqlStore | null = null;
  const db = await mariaDbDatabase(t, async () => store?.close());
  if (db === null) return null;
  store = await openSqlStore({ ...options, url: db.url });
  return store;
}

/** Every way the SQL adapters run here: SQLite writing on its writer thread, SQLite writing on the event loop, MariaDB. */
export function sqlSubjects(): Subject<SqlStore>[] {
  return [
    { name: 'sqlite', open: (t) => openSqlite(t) },
    // The same database writing on the event loop instead of its writer thread.
    { name: 'sqlite-inline', open: (t) => openSqlite(t, { writerThread: false }) },
    { name: 'mariadb', open: (t) => openMariaDb(t) },
  ];
}

/** A SQL database of its own per subject (closed at teardown), for adapters built over the handle. */
export function sqlDatabaseSubjects(): Subject<SqlDatabase>[] {
  return sqlSubjects().map((s) => ({ name: s.name, open: async (t) => (await s.open(t))?.db ?? null }));
}

export function journalSubjects(): Subject<Journal>[] {
  return [{ name: 'memory', open: async () => new MemoryJournal() }, ...sqlSubjects()];
}

export function snapshotSubjects(): Subject<SnapshotStore & Lifecycle>[] {
  return [{ name: 'memory', open: async () => new MemorySnapshots() }, ...sqlSubjects()];
}

export function boardSubjects(): Subject<AuctionBoard & Lifecycle>[] {
  return [
    { name: 'memory', open: async () => new MemoryBoard() },
    {
      name: 'redis',
      async open(t) {
        const url = await requireRedis(t);
        if (url === null) return null;
        let board: Lifecycle | null = null;
        const prefix = await redisPrefix(t, url, async () => board?.close());
        const b = await openRedisBoard({ url, prefix });
        board = b;
        return b;
      },
    },
  ];
}

// ---- accounts ------------------------------------------------------------------------------------

export interface AccountStores {
  accounts: AccountStore;
  sessions: SessionStore;
}

export function accountSubjects(): Subject<AccountStores>[] {
  return [
    { name: 'memory', open: async () => ({ accounts: new MemoryAccounts(), sessions: new MemorySessions() }) },
    ...sqlDatabaseSubjects().map((s) => ({
      name: s.name,
      async open(t: ServiceTest) {
        const db = await s.open(t);
        return db === null ? null : { accounts: new SqlAccounts(db), sessions: new SqlSessions(db) };
      },
    })),
  ];
}

export function attemptSubjects(): Subject<AttemptCounter & Lifecycle>[] {
  return [
    { name: 'memory', open: async () => new MemoryAttempts() },
    {
      name: 'redis',
      async open(t) {
        const url = await requireRedis(t);
        if (url === null) return null;
        let counter: Lifecycle | null = null;
        const prefix = await redisPrefix(t, url, async () => counter?.close());
        const c = await openRedisAttempts({ url, prefix });
        counter = c;
        return c;
      },
    },
  ];
}

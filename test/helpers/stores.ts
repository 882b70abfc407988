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
import { openSqlStore, type SqlStore, type SqlStoreOptions } from '../../storage/auction/sql-store.ts';
import { mariaDbDatabase, redisPrefix, requireRedis, type ServiceTest } from './services.ts';

export interface Subject<S> {
  name: string;
  open(t: ServiceTest): Promise<S | null>;
}

export type Journal = BidJournal & IdempotencyStore & Lifecycle;

export function tempSqlitePath(t: ServiceTest): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'okj-storage-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'nested', 'journal.db'); // openSqlStore creates the parent directory
}

export async function openSqlite(t: ServiceTest, options: Omit<SqlStoreOptions, 'url'> = {}): Promise<SqlStore> {
  const file = tempSqlitePath(t);
  const store = await openSqlStore({ ...options, url: file });
  t.teardown(() => store.close()); // tap runs teardowns last in, first out: closed before the rm
  return store;
}

export async function openMariaDb(t: ServiceTest, options: Omit<SqlStoreOptions, 'url'> = {}): Promise<SqlStore | null> {
  let store: SqlStore | null = null;
  const db = await mariaDbDatabase(t, async () => store?.close());
  if (db === null) return null;
  store = await openSqlStore({ ...options, url: db.url });
  return store;
}

export function sqlSubjects(): Subject<SqlStore>[] {
  return [
    { name: 'sqlite', open: (t) => openSqlite(t) },
    // The same store appending on the event loop instead of its writer thread.
    { name: 'sqlite-inline', open: (t) => openSqlite(t, { writerThread: false }) },
    { name: 'mariadb', open: (t) => openMariaDb(t) },
  ];
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
  const overSql = (open: (t: ServiceTest) => Promise<SqlStore | null>) => async (t: ServiceTest) => {
    const sql = await open(t);
    return sql === null ? null : { accounts: new SqlAccounts(sql.db), sessions: new SqlSessions(sql.db) };
  };
  return [
    { name: 'memory', open: async () => ({ accounts: new MemoryAccounts(), sessions: new MemorySessions() }) },
    { name: 'sqlite', open: overSql((t) => openSqlite(t)) },
    { name: 'mariadb', open: overSql((t) => openMariaDb(t)) },
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

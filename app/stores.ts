// Choose and open the storage adapters from configuration: SQLite (embedded default) or MySQL for the
// journal, idempotency and snapshots; Redis or memory for the public board. Accounts and sessions live in
// the same SQL database (over the same knex); failed sign-in counts in Redis when configured, else memory.
import type { Config } from './config.ts';
import type { AuctionBoard, BidJournal, IdempotencyStore, SnapshotStore } from '../storage/auction/ports.ts';
import type { AccountStore, AttemptCounter, SessionStore } from '../storage/accounts/ports.ts';
import { MemoryAttempts } from '../storage/accounts/memory-attempts.ts';
import { MemoryBoard } from '../storage/auction/memory-board.ts';
import { openSqlStore } from '../storage/auction/sql-store.ts';
import { SqlAccounts, SqlSessions } from '../storage/accounts/sql.ts';
import { openRedisAttempts } from '../storage/accounts/redis-attempts.ts';
import { openRedisBoard } from '../storage/auction/redis-board.ts';

export interface Stores {
  journal: BidJournal;
  idempotency: IdempotencyStore;
  snapshots: SnapshotStore;
  board: AuctionBoard;
  accounts: AccountStore;
  sessions: SessionStore;
  attempts: AttemptCounter;
  /** Which adapters were chosen, for logs and /readyz. */
  kinds: { journal: 'sqlite' | 'mysql'; board: 'redis' | 'memory' };
  /** Resolves when every backing server answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type StoreConfig = Pick<Config, 'databaseUrl' | 'redisUrl' | 'redisPrefix'> & Partial<Pick<Config, 'databaseLockTimeoutMs'>>;

export async function openStores(config: StoreConfig): Promise<Stores> {
  const sql = await openSqlStore({ url: config.databaseUrl, lockTimeoutMs: config.databaseLockTimeoutMs });
  const redis = config.redisUrl !== null ? await openRedisBoard({ url: config.redisUrl, prefix: config.redisPrefix }) : null;
  const board = redis ?? new MemoryBoard();
  const attempts = config.redisUrl !== null ? await openRedisAttempts({ url: config.redisUrl, prefix: config.redisPrefix }) : null;
  return {
    journal: sql,
    idempotency: sql,
    snapshots: sql,
    board,
    accounts: new SqlAccounts(sql.db),
    sessions: new SqlSessions(sql.db),
    attempts: attempts ?? new MemoryAttempts(),
    kinds: { journal: /^(mysql|mariadb):/i.test(config.databaseUrl) ? 'mysql' : 'sqlite', board: redis ? 'redis' : 'memory' },
    async ping() {
      await sql.ping();
      if (redis) await redis.ping();
      if (attempts) await attempts.ping();
    },
    async close() {
      await Promise.allSettled([sql.close(), redis?.close(), attempts?.close()]);
    },
  };
}

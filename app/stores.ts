// Choose and open the storage adapters from configuration: SQLite (embedded default) or MySQL for the
// journal, idempotency and snapshots; Redis or memory for the public board.
import type { Config } from './config.ts';
import type { AuctionBoard, BidJournal, IdempotencyStore, SnapshotStore } from '../storage/ports.ts';
import { MemoryBoard } from '../storage/memory/index.ts';
import { openSqlStore } from '../storage/sql/index.ts';
import { openRedisBoard } from '../storage/redis/index.ts';

export interface Stores {
  journal: BidJournal;
  idempotency: IdempotencyStore;
  snapshots: SnapshotStore;
  board: AuctionBoard;
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
  return {
    journal: sql,
    idempotency: sql,
    snapshots: sql,
    board,
    kinds: { journal: /^(mysql|mariadb):/i.test(config.databaseUrl) ? 'mysql' : 'sqlite', board: redis ? 'redis' : 'memory' },
    async ping() {
      await sql.ping();
      if (redis) await redis.ping();
    },
    async close() {
      await Promise.allSettled([sql.close(), redis?.close()]);
    },
  };
}

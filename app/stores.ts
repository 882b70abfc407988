// Choose and open the storage adapters from configuration: one SQL database (SQLite, the embedded
// default, or MySQL), opened once, under the journal, idempotency, snapshots, accounts, sessions and the
// marketplace; Redis or memory for the public board; failed sign-in counts in Redis when configured,
// else memory.
import type { Config } from './config.ts';
import type { AuctionBoard, BidJournal, IdempotencyStore, SnapshotStore } from '../storage/auction/ports.ts';
import type { AccountStore, AttemptCounter, SessionStore } from '../storage/accounts/ports.ts';
import { MemoryAttempts } from '../storage/accounts/memory-attempts.ts';
import { MemoryBoard } from '../storage/auction/memory-board.ts';
import { openSqlDatabase } from '../storage/sql/database.ts';
import { openAuctionSql } from '../storage/auction/sql.ts';
import { SqlAccounts, SqlSessions } from '../storage/accounts/sql.ts';
import type { MarketStore } from '../storage/market/ports.ts';
import { sqlMarket } from '../storage/market/sql.ts';
import type { PaymentStores } from '../storage/payments/ports.ts';
import { SqlPaymentStores } from '../storage/payments/sql-orders.ts';
import type { ChatStore } from '../storage/chat/ports.ts';
import { SqlChat } from '../storage/chat/sql.ts';
import { openRedisAttempts } from '../storage/accounts/redis-attempts.ts';
import type { SettlementStore } from '../storage/settlement/ports.ts';
import { SqlSettlementStore } from '../storage/settlement/sql.ts';
import { openRedisBoard } from '../storage/auction/redis-board.ts';
import type { PricePredictions } from '../storage/pricing/ports.ts';
import { SqlPricePredictions } from '../storage/pricing/sql.ts';

export interface Stores {
  journal: BidJournal;
  idempotency: IdempotencyStore;
  snapshots: SnapshotStore;
  board: AuctionBoard;
  accounts: AccountStore;
  sessions: SessionStore;
  attempts: AttemptCounter;
  /** The marketplace's ports, on the same SQL database. */
  market: MarketStore;
  /** Orders and payments, on the same SQL database (memory when absent). */
  payments?: PaymentStores;
  /** Settlement's ledger, settlements and payouts, on the same SQL database. */
  settlement: SettlementStore;
  /** Chat's rooms and messages, on the same SQL database. */
  chat: ChatStore;
  /** Price predictions, on the same SQL database (memory when a test's stores leave it out). */
  pricing?: PricePredictions;
  /** Which adapters were chosen, for logs and /readyz. */
  kinds: { journal: 'sqlite' | 'mysql'; board: 'redis' | 'memory' };
  /** Resolves when every backing server answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type StoreConfig = Pick<Config, 'databaseUrl' | 'redisUrl' | 'redisPrefix'> & Partial<Pick<Config, 'databaseLockTimeoutMs'>>;

export async function openStores(config: StoreConfig): Promise<Stores> {
  const sql = await openSqlDatabase({ url: config.databaseUrl, lockTimeoutMs: config.databaseLockTimeoutMs });
  const auction = await openAuctionSql(sql).catch(async (err) => {
    await sql.close();
    throw err;
  });
  const redis = config.redisUrl !== null ? await openRedisBoard({ url: config.redisUrl, prefix: config.redisPrefix }) : null;
  const board = redis ?? new MemoryBoard();
  const attempts = config.redisUrl !== null ? await openRedisAttempts({ url: config.redisUrl, prefix: config.redisPrefix }) : null;
  const settlement = new SqlSettlementStore(sql);
  return {
    ...auction,
    board,
    accounts: new SqlAccounts(sql),
    sessions: new SqlSessions(sql),
    attempts: attempts ?? new MemoryAttempts(),
    market: sqlMarket(sql),
    // An order's transition writes its ledger posting in the same write (SPEC §6).
    payments: new SqlPaymentStores(sql, (tx) => settlement.statements(tx)),
    settlement,
    chat: new SqlChat(sql),
    pricing: new SqlPricePredictions(sql),
    kinds: { journal: sql.dialect, board: redis ? 'redis' : 'memory' },
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

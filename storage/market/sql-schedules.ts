// The embedded close scheduler's rows on SQL: due times upserted and entries deleted in one write.
import type { AuctionId, Millis } from '../../engine/index.ts';
import type { SqlDatabase, SqlWrite } from '../sql/database.ts';
import { MARKET_TABLES as T } from '../sql/tables.ts';
import { statement } from '../sql/write.ts';
import type { CloseSchedules } from './ports.ts';
import { CHUNK, guarded, ID_CHUNK, num, type Row } from './sql-rows.ts';

export class SqlCloseSchedules implements CloseSchedules {
  constructor(private readonly db: SqlDatabase) {}

  saveSchedules(put: ReadonlyMap<AuctionId, Millis>, remove: readonly AuctionId[]): Promise<void> {
    if (put.size === 0 && remove.length === 0) return Promise.resolve();
    return guarded('saveSchedules', async () => {
      const q = this.db.builder;
      const statements: SqlWrite[] = [];
      for (let i = 0; i < remove.length; i += ID_CHUNK) statements.push(statement(q(T.closeSchedules).whereIn('auction_id', remove.slice(i, i + ID_CHUNK)).del()));
      const rows = [...put].map(([auction_id, at]) => ({ auction_id, at }));
      for (let i = 0; i < rows.length; i += CHUNK) {
        statements.push(statement(q(T.closeSchedules).insert(rows.slice(i, i + CHUNK)).onConflict('auction_id').merge(['at'])));
      }
      await this.db.write(statements);
    });
  }

  schedules(): Promise<Map<AuctionId, Millis>> {
    return guarded('schedules', async () => {
      const rows = await this.db.read<Row>(this.db.builder(T.closeSchedules).select('auction_id', 'at'));
      return new Map(rows.map((r) => [r.auction_id as string, num(r.at)]));
    });
  }
}

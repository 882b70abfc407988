// The inbox on SQL (its rows are written by the projection, ./sql-projection.ts). Reading and deleting
// are one statement each, scoped to the owner: someone else's item matches no row.
import type { Millis, UserId } from '../../engine/index.ts';
import type { InboxItem } from '../../engine/market/model.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { MARKET_TABLES as T } from '../sql/tables.ts';
import { statement } from '../sql/write.ts';
import type { Inbox } from './ports.ts';
import { guarded, inboxOf, type Row } from './sql-rows.ts';

export class SqlInbox implements Inbox {
  constructor(private readonly db: SqlDatabase) {}

  inbox(user: UserId, limit: number): Promise<InboxItem[]> {
    return guarded('inbox', async () => {
      const rows = await this.db.read<Row>(this.db.builder(T.inbox).select('*').where('user_id', user)
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit));
      return rows.map(inboxOf);
    });
  }

  readInbox(user: UserId, id: string, at: Millis): Promise<boolean> {
    return guarded('readInbox', async () => {
      // The first read time stays; the row counts as matched either way.
      const [n] = await this.db.write([statement(this.db.builder(T.inbox).where({ id, user_id: user })
        .update({ read_at: this.db.builder.raw('COALESCE(read_at, ?)', [at]) }))]);
      return n > 0;
    });
  }

  addInbox(items: readonly InboxItem[]): Promise<void> {
    return guarded('addInbox', async () => {
      if (items.length === 0) return;
      const rows = items.map((m) => ({
        id: m.id, user_id: m.userId, auction_id: m.auctionId, kind: m.kind, price: m.price, order_id: m.orderId, created_at: m.createdAt, read_at: m.readAt,
      }));
      await this.db.write([statement(this.db.builder(T.inbox).insert(rows).onConflict('id').ignore())]);
    });
  }

  deleteInbox(user: UserId, id: string): Promise<boolean> {
    return guarded('deleteInbox', async () => (await this.db.write([statement(this.db.builder(T.inbox).where({ id, user_id: user }).del())]))[0] > 0);
  }
}

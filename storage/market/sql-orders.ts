// Orders on SQL (read here; written by the projection, ./sql-projection.ts).
import type { UserId } from '../../engine/index.ts';
import type { Order } from '../../engine/market/model.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { MARKET_TABLES as T } from '../sql/tables.ts';
import type { Orders } from './ports.ts';
import { guarded, orderOf, type Row } from './sql-rows.ts';

export class SqlOrders implements Orders {
  constructor(private readonly db: SqlDatabase) {}

  order(id: string): Promise<Order | null> {
    return guarded('order', async () => {
      const [r] = await this.db.read<Row>(this.db.builder(T.orders).first('*').where('id', id));
      return r === undefined ? null : orderOf(r);
    });
  }

  ordersOf(user: UserId, limit: number): Promise<Order[]> {
    return guarded('ordersOf', async () => {
      const rows = await this.db.read<Row>(this.db.builder(T.orders).select('*').where('buyer_id', user).orWhere('seller_id', user)
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit));
      return rows.map(orderOf);
    });
  }
}

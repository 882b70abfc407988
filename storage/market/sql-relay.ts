// Outbox relay cursors on SQL: one row per relay, moved forward only, by one upsert whose update takes
// only a further position (one statement: two writers racing for one relay lock one row, in one order).
import type { Millis } from '../../engine/index.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { MARKET_TABLES as T } from '../sql/tables.ts';
import type { RelayCursors } from './ports.ts';
import { guarded, num, type Row } from './sql-rows.ts';

export class SqlRelayCursors implements RelayCursors {
  constructor(private readonly db: SqlDatabase) {}

  relayPosition(relay: string): Promise<number> {
    return guarded('relayPosition', async () => {
      const [row] = await this.db.read<Row>(this.db.builder(T.outboxCursors).first('position').where({ name: relay }));
      return row === undefined ? 0 : num(row.position);
    });
  }

  saveRelayPosition(relay: string, position: number, at: Millis): Promise<void> {
    return guarded('saveRelayPosition', async () => {
      // Forward only: a relay that lost a race with itself never republishes from further back.
      const c = T.outboxCursors;
      const head = `INSERT INTO ${c} (name, position, updated_at) VALUES (?, ?, ?)`;
      const sql = this.db.dialect === 'mysql'
        // Assignments run left to right and see earlier ones: position must change last.
        ? `${head} ON DUPLICATE KEY UPDATE updated_at = IF(VALUES(position) > position, VALUES(updated_at), updated_at),
            position = GREATEST(position, VALUES(position))`
        : `${head} ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            WHERE excluded.position > ${c}.position`;
      await this.db.write([{ sql, params: [relay, position, at] }]);
    });
  }
}

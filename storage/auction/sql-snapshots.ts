// SnapshotStore on SQL, over the shared database handle: the newest whole actor state per auction, put
// with one write (on SQLite's writer thread, riding a journal append) whose upsert keeps a stored state
// that is newer still.
import type { AuctionId, AuctionState } from '../../engine/index.ts';
import type { SqlDatabase, SqlWrite } from '../sql/database.ts';
import { unavailable } from '../sql/errors.ts';
import { TABLES } from '../sql/tables.ts';
import { SqlTexts } from '../sql/texts.ts';
import { decodeState, encodeState } from './codec.ts';
import type { SnapshotStore } from './ports.ts';
import { chunks, CHUNK_ROWS, pow2Chunks, slice, SNAPSHOT_COLUMNS, upsertSnapshotsSql } from './sql-statements.ts';

/** Ids per IN (...) list. */
const ID_CHUNK = 500;

export class SqlSnapshots implements SnapshotStore {
  private readonly texts = new SqlTexts();

  constructor(private readonly db: SqlDatabase) {}

  async put(states: readonly AuctionState[]): Promise<void> {
    // The newest state per auction; the upsert keeps a stored one that is newer still.
    const newest = new Map<AuctionId, AuctionState>();
    for (const s of states) {
      const old = newest.get(s.spec.id);
      if (old === undefined || s.seq > old.seq) newest.set(s.spec.id, s);
    }
    if (newest.size === 0) return;
    const at = Date.now();
    const statements: SqlWrite[] = [];
    try {
      const params: unknown[] = [];
      for (const s of newest.values()) params.push(s.spec.id, s.seq, encodeState(s), at);
      const d = this.db.dialect;
      // SQLite: power-of-two chunks, so a few prepared statements serve every size.
      (d === 'sqlite' ? pow2Chunks : chunks)(newest.size, CHUNK_ROWS[d].snapshots, (off, n) => statements.push({
        sql: this.texts.get(`p:${n}`, () => upsertSnapshotsSql(d, n)), params: slice(params, off, n, SNAPSHOT_COLUMNS.length),
      }));
      await this.db.write(statements);
    } catch (err) {
      throw unavailable('SQL snapshot store', 'put', err);
    }
  }

  async get(ids: readonly AuctionId[]): Promise<Map<AuctionId, AuctionState>> {
    const out = new Map<AuctionId, AuctionState>();
    const unique = [...new Set(ids)];
    try {
      for (let off = 0; off < unique.length; off += ID_CHUNK) {
        const rows = await this.db.read<{ auction_id: string; state: unknown }>(
          this.db.builder(TABLES.snapshots).select('auction_id', 'state').whereIn('auction_id', unique.slice(off, off + ID_CHUNK)));
        for (const r of rows) out.set(r.auction_id, decodeState(r.state));
      }
    } catch (err) {
      throw unavailable('SQL snapshot store', 'get', err);
    }
    return out;
  }
}

// SQL text of the append path and the flat parameter layout it binds, shared by the main thread's
// store and the SQLite writer thread. Columns are listed once, in bind order.
import type { Knex } from 'knex';
import { TABLES } from '../sql/tables.ts';
import type { SqlDialect } from '../sql/url.ts';

export type { SqlDialect };

export const EVENT_COLUMNS = [
  'auction_id', 'seq', 'type', 'at', 'by_user', 'rid', 'amount', 'max_amount', 'price', 'leader', 'leader_max',
  'ends_at', 'status', 'spec',
] as const;
/** What an append binds per event: the columns above, then its journal position (storage/positions.ts). */
export const EVENT_INSERT_COLUMNS = [...EVENT_COLUMNS, 'pos'] as const;
export const REPLY_COLUMNS = ['by_user', 'rid', 'auction_id', 'reply', 'at'] as const;
export const SUMMARY_COLUMNS = [
  'id', 'seller_id', 'product_id', 'status', 'seq', 'price', 'ends_at', 'updated_at', 'spec',
] as const;
export const SNAPSHOT_COLUMNS = ['auction_id', 'seq', 'state', 'at'] as const;
export const SPILL_COLUMNS = ['fp_a', 'fp_b', 'seq', 'price', 'is_leading', 'ends_at', 'status', 'at'] as const;

/** The batch as flat parameter arrays, one per table, in column order. */
export interface BatchParams {
  events: unknown[];
  eventRows: number;
  replies: unknown[];
  replyRows: number;
  summaries: unknown[];
  summaryRows: number;
}

/** Rows per multi-row statement, under SQLite's 32766 variables and MySQL's 65535 placeholders. */
export const CHUNK_ROWS: Record<SqlDialect, { events: number; replies: number; summaries: number; snapshots: number; spilled: number }> = {
  sqlite: { events: 128, replies: 256, summaries: 128, snapshots: 256, spilled: 512 },
  mysql: { events: 2000, replies: 4000, summaries: 2000, snapshots: 500, spilled: 4000 },
};

export function valuesList(columns: number, rows: number): string {
  const row = '(' + new Array(columns).fill('?').join(',') + ')';
  return new Array(rows).fill(row).join(',');
}

export function insertEventsSql(rows: number): string {
  return `INSERT INTO ${TABLES.events} (${EVENT_INSERT_COLUMNS.join(',')}) VALUES ${valuesList(EVENT_INSERT_COLUMNS.length, rows)}`;
}

export function insertRepliesSql(d: SqlDialect, rows: number): string {
  const head = `INSERT INTO ${TABLES.replies} (${REPLY_COLUMNS.join(',')}) VALUES ${valuesList(REPLY_COLUMNS.length, rows)}`;
  // A retry already recorded keeps its first reply. (Not INSERT IGNORE: that would hide other errors.)
  return d === 'mysql' ? `${head} ON DUPLICATE KEY UPDATE by_user = by_user` : `${head} ON CONFLICT (by_user, rid) DO NOTHING`;
}

/** Evicted accepted replies by fingerprint; a fingerprint already stored keeps its first reply. */
export function insertSpilledSql(d: SqlDialect, rows: number): string {
  const head = `INSERT INTO ${TABLES.spilled} (${SPILL_COLUMNS.join(',')}) VALUES ${valuesList(SPILL_COLUMNS.length, rows)}`;
  return d === 'mysql' ? `${head} ON DUPLICATE KEY UPDATE fp_a = fp_a` : `${head} ON CONFLICT (fp_a, fp_b) DO NOTHING`;
}

export function upsertSummariesSql(d: SqlDialect, rows: number): string {
  const head = `INSERT INTO ${TABLES.auctions} (${SUMMARY_COLUMNS.join(',')}) VALUES ${valuesList(SUMMARY_COLUMNS.length, rows)}`;
  if (d === 'mysql') {
    return `${head} ON DUPLICATE KEY UPDATE
      seller_id = COALESCE(VALUES(seller_id), seller_id),
      product_id = COALESCE(VALUES(product_id), product_id),
      status = VALUES(status), seq = VALUES(seq), price = VALUES(price),
      ends_at = VALUES(ends_at), updated_at = VALUES(updated_at),
      spec = COALESCE(VALUES(spec), spec)`;
  }
  const a = TABLES.auctions;
  return `${head} ON CONFLICT (id) DO UPDATE SET
      seller_id = COALESCE(excluded.seller_id, ${a}.seller_id),
      product_id = COALESCE(excluded.product_id, ${a}.product_id),
      status = excluded.status, seq = excluded.seq, price = excluded.price,
      ends_at = excluded.ends_at, updated_at = excluded.updated_at,
      spec = COALESCE(excluded.spec, ${a}.spec)`;
}

export function upsertSnapshotsSql(d: SqlDialect, rows: number): string {
  const head = `INSERT INTO ${TABLES.snapshots} (${SNAPSHOT_COLUMNS.join(',')}) VALUES ${valuesList(SNAPSHOT_COLUMNS.length, rows)}`;
  if (d === 'mysql') {
    // Assignments run left to right and see earlier ones: seq must change last.
    return `${head} ON DUPLICATE KEY UPDATE
      state = IF(VALUES(seq) > seq, VALUES(state), state),
      at = IF(VALUES(seq) > seq, VALUES(at), at),
      seq = GREATEST(seq, VALUES(seq))`;
  }
  const s = TABLES.snapshots;
  return `${head} ON CONFLICT (auction_id) DO UPDATE SET
      seq = excluded.seq, state = excluded.state, at = excluded.at
      WHERE excluded.seq > ${s}.seq`;
}

/** Calls `each(offset, rows)` over `total` rows in chunks of `size`, the last one shorter. */
export function chunks(total: number, size: number, each: (offset: number, rows: number) => void): void {
  for (let off = 0; off < total; off += size) each(off, Math.min(size, total - off));
}

/**
 * Calls `each(offset, rows)` over `total` rows in chunks of `size` (a power of two), then the rest in
 * halving powers of two: a few prepared statements (size, size/2, ... 1) serve every batch size.
 */
export function pow2Chunks(total: number, size: number, each: (offset: number, rows: number) => void): void {
  let off = 0;
  for (let k = size; k >= 1; k >>= 1) {
    while (total - off >= k) {
      each(off, k);
      off += k;
      if (k !== size) break;
    }
  }
}

export function slice(params: unknown[], offsetRows: number, rows: number, columns: number): Knex.RawBinding[] {
  if (offsetRows === 0 && rows * columns === params.length) return params as Knex.RawBinding[];
  return params.slice(offsetRows * columns, (offsetRows + rows) * columns) as Knex.RawBinding[];
}


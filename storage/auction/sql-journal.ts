// BidJournal on SQL (SQLite or MySQL/MariaDB), over the shared database handle (storage/sql/database.ts).
//
// append() writes a whole batch in ONE transaction with multi-row statements:
//   1. INSERT the events, each with the next journal position (a duplicate (auction_id, seq) fails the
//      statement: JournalConflictError);
//   2. INSERT the replies kept apart from their events (refusals; see ./replies.ts), keeping the first
//      for a duplicate (by_user, rid);
//   3. UPSERT the summary row of each auction with a lifecycle event in the batch (./summary.ts).
// SQLite: the database's specialised append (cached prepared statements in one BEGIN IMMEDIATE, on the
// writer thread). MySQL: one write() (START TRANSACTION, one round trip per statement, chunked under
// the 65535-placeholder limit, COMMIT).
// read(), tails() and after() fetch rows as arrays (no object per row from the driver).
//
// Errors: a duplicate journal key is JournalConflictError; anything else the database says is
// StoreUnavailableError, and nothing of the batch is stored. (If a MySQL connection dies during COMMIT
// itself the outcome is unknowable; a retry of the same batch then reports a conflict.)
import type { AuctionEvent, AuctionId, AuctionStatus } from '../../engine/index.ts';
import type { SqlDatabase, SqlWrite } from '../sql/database.ts';
import { describe, isDuplicateKey, unavailable } from '../sql/errors.ts';
import { TABLES } from '../sql/tables.ts';
import { SqlTexts } from '../sql/texts.ts';
import {
  JournalConflictError, type AuctionSummary, type BidJournal, type JournalBatch, type PositionedEvent,
} from './ports.ts';
import { JournalPositions, type PositionRange } from './positions.ts';
import { repliesKeptApart } from './replies.ts';
import { EVENT_SELECT, eventFromRow, num } from './sql-rows.ts';
import {
  chunks, CHUNK_ROWS, EVENT_INSERT_COLUMNS, insertEventsSql, insertRepliesSql, REPLY_COLUMNS, slice, SUMMARY_COLUMNS,
  upsertSummariesSql, type BatchParams, type SqlDialect,
} from './sql-statements.ts';
import { LIVE_STATUSES, summaryDeltas } from './summary.ts';

/** (auction, seq) pairs per tails query. */
const TAILS_CHUNK = 500;
/** How often the store is asked again about an append whose COMMIT it may or may not have done. */
const IN_DOUBT_RETRY_MS = 250;

const E = TABLES.events;
/** How many events hold positions in [from, to): asked once the store answers after an in-doubt append. */
const POSITIONS_SQL = `SELECT COUNT(*) FROM ${E} WHERE pos >= ? AND pos < ?`;
/** Events after a position and below the horizon, in position order. */
const AFTER_SQL = `SELECT e.pos, ${EVENT_SELECT} FROM ${E} e WHERE e.pos > ? AND e.pos < ? ORDER BY e.pos LIMIT ?`;
const READ_SQL = `SELECT ${EVENT_SELECT} FROM ${E} e WHERE e.auction_id = ? AND e.seq > ? ORDER BY e.seq`;
/** A page of one auction's events: a primary-key range that stops after `limit` rows. */
const READ_PAGE_SQL = `${READ_SQL} LIMIT ?`;

/**
 * The events of `pairs` auctions after their own seq: a join of (id, after) pairs with the journal,
 * one primary-key range per auction. (An OR of `auction_id = ? AND seq > ?` terms plans far slower.)
 */
function tailsSql(d: SqlDialect, pairs: number): string {
  if (d === 'sqlite') {
    // CROSS JOIN makes the pairs the outer loop.
    return `WITH t(id, after_seq) AS (VALUES ${new Array(pairs).fill('(?, ?)').join(',')})
      SELECT ${EVENT_SELECT} FROM t CROSS JOIN ${E} e
      WHERE e.auction_id = t.id AND e.seq > t.after_seq ORDER BY e.auction_id, e.seq`;
  }
  // UNION ALL rather than VALUES: MySQL 8 and MariaDB spell table value constructors differently.
  const pairsSql = new Array(pairs).fill('SELECT ?, ?');
  pairsSql[0] = 'SELECT ? AS id, ? AS after_seq';
  return `SELECT ${EVENT_SELECT} FROM (${pairsSql.join(' UNION ALL ')}) t
    JOIN ${E} e ON e.auction_id = t.id COLLATE utf8mb4_bin AND e.seq > t.after_seq
    ORDER BY e.auction_id, e.seq`;
}

/** The batch's rows; its events take positions firstPos, firstPos + 1, ... in batch order. */
function batchParams(batch: JournalBatch, firstPos: number): BatchParams {
  const events: unknown[] = [];
  let pos = firstPos;
  for (const e of batch.events) {
    events.push(
      e.auction, e.seq, e.type, e.at, e.by, e.rid, e.amount, e.max, e.price, e.leader, e.leaderMax, e.endsAt, e.status,
      e.spec ? JSON.stringify(e.spec) : null, pos++,
    );
  }
  const apart = repliesKeptApart(batch.events, batch.replies);
  const replies: unknown[] = [];
  for (const r of apart) replies.push(r.by, r.rid, r.auction, JSON.stringify(r.reply), r.at);
  // Sorted by id so concurrent writers (several processes on one MySQL) lock summary rows in one order.
  const deltas = summaryDeltas(batch.events).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const summaries: unknown[] = [];
  for (const d of deltas) {
    summaries.push(
      d.id, d.spec?.sellerId ?? null, d.spec?.productId ?? null, d.last.status, d.last.seq, d.last.price,
      d.last.endsAt, d.last.at, d.spec ? JSON.stringify(d.spec) : null,
    );
  }
  return {
    events, eventRows: batch.events.length,
    replies, replyRows: apart.length,
    summaries, summaryRows: deltas.length,
  };
}

export class SqlJournal implements BidJournal {
  private readonly texts = new SqlTexts();

  /** Use openSqlJournal(), which finds where the positions go on from. */
  constructor(
    private readonly db: SqlDatabase,
    /** The journal position sequence, starting after the largest stored one. */
    private readonly positions: JournalPositions,
  ) {}

  async append(batch: JournalBatch): Promise<void> {
    if (batch.events.length === 0 && batch.replies.length === 0) return;
    const range = this.positions.take(batch.events.length);
    // Whatever fails from here on must give the range back, or after() (the outbox) stops below it for
    // good. Building the rows can fail too (a value JSON.stringify cannot take): nothing was sent then.
    let sent = false;
    try {
      const p = batchParams(batch, range.first);
      sent = true;
      if (this.db.dialect === 'sqlite') await this.db.appendJournal(p);
      else await this.db.write(this.mysqlStatements(p));
      this.positions.release(range);
    } catch (err) {
      if (sent) this.releaseFailed(range);
      else this.positions.release(range);
      if (isDuplicateKey(err)) {
        throw new JournalConflictError(`SQL journal: the batch repeats an (auction, seq) already journaled: ${describe(err)}`, err);
      }
      throw unavailable('SQL journal', 'append', err);
    }
  }

  private mysqlStatements(p: BatchParams): SqlWrite[] {
    const size = CHUNK_ROWS.mysql;
    const out: SqlWrite[] = [];
    chunks(p.eventRows, size.events, (off, n) =>
      out.push({ sql: this.texts.get(`e:${n}`, () => insertEventsSql(n)), params: slice(p.events, off, n, EVENT_INSERT_COLUMNS.length) }));
    chunks(p.replyRows, size.replies, (off, n) =>
      out.push({ sql: this.texts.get(`r:${n}`, () => insertRepliesSql('mysql', n)), params: slice(p.replies, off, n, REPLY_COLUMNS.length) }));
    chunks(p.summaryRows, size.summaries, (off, n) =>
      out.push({ sql: this.texts.get(`s:${n}`, () => upsertSummariesSql('mysql', n)), params: slice(p.summaries, off, n, SUMMARY_COLUMNS.length) }));
    return out;
  }

  /**
   * A failed append's positions. A SQLite transaction that failed is rolled back, and so is a MySQL one
   * that failed before COMMIT; but a MySQL connection lost during COMMIT leaves the outcome unknown until
   * the server answers again. Until it does, the range stays in flight: after() never reads past it.
   */
  private releaseFailed(range: PositionRange): void {
    if (this.db.dialect === 'sqlite' || range.count === 0) return this.positions.release(range);
    const ask = () => {
      if (this.db.closed) return this.positions.release(range);
      this.db.rows(POSITIONS_SQL, [range.first, range.first + range.count]).then(
        () => this.positions.release(range),
        () => setTimeout(ask, IN_DOUBT_RETRY_MS).unref(),
      );
    };
    ask();
  }

  async after(position: number, limit: number): Promise<PositionedEvent[]> {
    const horizon = this.positions.horizon;
    if (position + 1 >= horizon || limit <= 0) return [];
    try {
      const rows = await this.db.rows(AFTER_SQL, [position, horizon, Math.floor(limit)]);
      return rows.map((r) => ({ pos: num(r[0]), event: eventFromRow(r.slice(1)) }));
    } catch (err) {
      throw unavailable('SQL journal', 'after', err);
    }
  }

  async read(auction: AuctionId, afterSeq = 0, limit?: number): Promise<AuctionEvent[]> {
    try {
      const rows = limit === undefined
        ? await this.db.rows(READ_SQL, [auction, afterSeq])
        : await this.db.rows(READ_PAGE_SQL, [auction, afterSeq, Math.max(0, Math.floor(limit))]);
      return rows.map(eventFromRow);
    } catch (err) {
      throw unavailable('SQL journal', 'read', err);
    }
  }

  async live(): Promise<AuctionId[]> {
    try {
      const rows = await this.db.read<{ id: string }>(this.db.builder(TABLES.auctions).select('id').whereIn('status', LIVE_STATUSES));
      return rows.map((r) => r.id);
    } catch (err) {
      throw unavailable('SQL journal', 'live', err);
    }
  }

  /** Every requested id is in the result; an auction with nothing after its seq gets []. */
  async tails(after: ReadonlyMap<AuctionId, number>): Promise<Map<AuctionId, AuctionEvent[]>> {
    const out = new Map<AuctionId, AuctionEvent[]>();
    for (const id of after.keys()) out.set(id, []);
    const entries = [...after];
    try {
      for (let off = 0; off < entries.length; off += TAILS_CHUNK) {
        const part = entries.slice(off, off + TAILS_CHUNK);
        // Padded to a power of two with pairs that match nothing (ids are never empty), so a handful
        // of statements serve every size.
        let pairs = 1;
        while (pairs < part.length) pairs *= 2;
        const params: unknown[] = [];
        for (const [id, seq] of part) params.push(id, seq ?? 0);
        for (let i = part.length; i < pairs; i++) params.push('', 0);
        const sql = this.texts.get(`tails:${pairs}`, () => tailsSql(this.db.dialect, pairs));
        for (const r of await this.db.rows(sql, params)) out.get(r[0] as string)?.push(eventFromRow(r));
      }
    } catch (err) {
      throw unavailable('SQL journal', 'tails', err);
    }
    return out;
  }

  async summary(auction: AuctionId): Promise<AuctionSummary | null> {
    let r: Record<string, unknown> | undefined;
    try {
      [r] = await this.db.read<Record<string, unknown>>(this.db.builder(TABLES.auctions)
        .first('id', 'seller_id', 'product_id', 'status', 'seq', 'price', 'ends_at', 'updated_at')
        .where('id', auction));
    } catch (err) {
      throw unavailable('SQL journal', 'summary', err);
    }
    if (r === undefined) return null;
    return {
      id: r.id as string,
      sellerId: (r.seller_id as string | null) ?? '',
      productId: (r.product_id as string | null) ?? '',
      status: r.status as AuctionStatus,
      seq: num(r.seq),
      price: num(r.price),
      endsAt: num(r.ends_at),
      updatedAt: num(r.updated_at),
    };
  }
}

/** The journal over `db`, its positions going on after the largest stored one. */
export async function openSqlJournal(db: SqlDatabase): Promise<SqlJournal> {
  let last: number;
  try {
    const [row] = await db.rows(`SELECT COALESCE(MAX(pos), 0) FROM ${E}`, []);
    last = num(row[0]);
  } catch (err) {
    throw unavailable('SQL journal', `reading the last journal position of ${db.label}`, err);
  }
  return new SqlJournal(db, new JournalPositions(last));
}

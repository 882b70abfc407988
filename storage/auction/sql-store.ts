// The SQL adapter: journal, idempotency records and snapshots in one database, on SQLite (better-sqlite3,
// the embedded default) and MySQL/MariaDB (mysql2). knex owns the connections (one for SQLite, a pool
// for MySQL), runs the migrations (./migrations/) and the small queries; the hot paths borrow a knex
// connection and drive the driver directly, because knex's per-query overhead is a large part of them.
//
// append() writes a whole batch in ONE transaction with multi-row statements:
//   1. INSERT the events, each with the next journal position (a duplicate (auction_id, seq) fails the
//      statement: JournalConflictError);
//   2. INSERT the replies kept apart from their events (refusals; see storage/replies.ts), keeping the
//      first for a duplicate (by_user, rid);
//   3. UPSERT the summary row of each auction with a lifecycle event in the batch (storage/summary.ts).
// SQLite: cached prepared statements inside one BEGIN IMMEDIATE transaction (the write lock is taken up
// front, so busy_timeout applies and nothing fails half-way for a lock). MySQL: START TRANSACTION, one
// round trip per statement (chunked under the 65535-placeholder limit), COMMIT.
// read(), tails(), after() and since() fetch rows as arrays (no object per row from the driver).
//
// Errors: a duplicate journal key is JournalConflictError; anything else the database says (connection
// lost, pool timeout, lock wait timeout, deadlock, SQLITE_BUSY, disk full...) is StoreUnavailableError,
// and the transaction is rolled back so nothing of the batch is stored. (If a MySQL connection dies
// during COMMIT itself the outcome is unknowable; a retry of the same batch then reports a conflict.)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import {
  acceptedReply, replyFingerprint, type AuctionEvent, type AuctionId, type AuctionState, type AuctionStatus, type EventType, type Millis,
  type Reply, type UserId,
} from '../../engine/index.ts';
import { decodeState, encodeState, parseJson } from './codec.ts';
import {
  JournalConflictError,
  StoreUnavailableError,
  type AuctionSummary,
  type BidJournal,
  type IdempotencyStore,
  type JournalBatch,
  type Lifecycle,
  type PositionedEvent,
  type ReplyKey,
  type SnapshotStore,
  type SpilledReply,
  type StoredReply,
} from './ports.ts';
import { compareReplies, replyKeyOf, replyOfEvent, repliesKeptApart } from './replies.ts';
import { JournalPositions, type PositionRange } from './positions.ts';
import { LIVE_STATUSES, summaryDeltas } from './summary.ts';
import { sqliteCode, type SqliteDatabase, type SqliteStatement } from '../sql/better-sqlite3.ts';
import { migrateLatest } from '../sql/migrations/index.ts';
import { TABLES } from '../sql/tables.ts';
import { SqliteWriter } from '../sql/sqlite-writer-client.ts';
import { sqliteAppender } from './sqlite-append.ts';
import {
  CHUNK_ROWS, EVENT_COLUMNS, EVENT_INSERT_COLUMNS, insertEventsSql, insertRepliesSql, insertSpilledSql, REPLY_COLUMNS, slice,
  SNAPSHOT_COLUMNS, SPILL_COLUMNS, SUMMARY_COLUMNS, upsertSnapshotsSql, upsertSummariesSql, type BatchParams, type SqlDialect,
} from './sql-statements.ts';
import { parseSqlUrl, redact, type SqlTarget } from '../sql/url.ts';

export interface SqlStoreOptions {
  /** `mysql://user:pass@host:port/db`, or a SQLite file path (`sqlite:path` also accepted). */
  url: string;
  /**
   * How long a write waits for a lock before failing with StoreUnavailableError: SQLite's busy_timeout,
   * MySQL's innodb_lock_wait_timeout (rounded up to whole seconds). Default 5000 ms.
   */
  lockTimeoutMs?: number;
  /** How long to wait to connect or for a free pooled connection. Default 10000 ms. */
  connectTimeoutMs?: number;
  /** MySQL connections in the pool. Default 10. (SQLite always uses one connection.) */
  poolSize?: number;
  /** SQLite files: append on a writer thread, off the event loop (default true). */
  writerThread?: boolean;
  /** Told of every error the database client reports outside a call (for health and metrics). */
  onError?: (err: Error) => void;
}


// ---- rows -----------------------------------------------------------------------------------------


interface SummaryRow {
  id: string;
  seller_id: string | null;
  product_id: string | null;
  status: string;
  seq: number;
  price: number;
  ends_at: number;
  updated_at: number;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

/** A journal row, as an array in EVENT_COLUMNS order (no object per row from the driver). */
function eventFromRow(r: unknown[]): AuctionEvent {
  const e: AuctionEvent = {
    auction: r[0] as string,
    seq: num(r[1]),
    type: r[2] as EventType,
    at: num(r[3]),
    by: r[4] as string | null,
    rid: r[5] as string | null,
    amount: numOrNull(r[6]),
    max: numOrNull(r[7]),
    price: num(r[8]),
    leader: r[9] as string | null,
    leaderMax: num(r[10]),
    endsAt: num(r[11]),
    status: r[12] as AuctionStatus,
  };
  if (r[13] !== null && r[13] !== undefined) e.spec = parseJson(r[13]);
  return e;
}

/** A reply row, as an array in REPLY_COLUMNS order. */
function replyFromRow(r: unknown[]): StoredReply {
  return { by: r[0] as string, rid: r[1] as string, auction: r[2] as string | null, reply: parseJson<Reply>(r[3]), at: num(r[4]) };
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

// ---- SQL text -------------------------------------------------------------------------------------

/** How many SQL texts (one per statement kind and row count) are kept for MySQL. */
const SQL_TEXT_CACHE = 64;
/** Ids per IN (...) list, and (auction, seq) pairs per tails query. */
const ID_CHUNK = 500;

const EVENT_SELECT = EVENT_COLUMNS.map((c) => `e.${c}`).join(', ');
/** How often the store is asked again about an append whose COMMIT it may or may not have done. */
const IN_DOUBT_RETRY_MS = 250;

/** How many events hold positions in [from, to): asked once the store answers after an in-doubt append. */
function positionsSql(): string {
  return `SELECT COUNT(*) FROM ${TABLES.events} WHERE pos >= ? AND pos < ?`;
}

/** The largest journal position stored, 0 when none. */
function lastPositionSql(): string {
  return `SELECT COALESCE(MAX(pos), 0) FROM ${TABLES.events}`;
}

/** Events after a position and below the horizon, in position order. */
function afterSql(): string {
  return `SELECT e.pos, ${EVENT_SELECT} FROM ${TABLES.events} e WHERE e.pos > ? AND e.pos < ? ORDER BY e.pos LIMIT ?`;
}

function readSql(): string {
  return `SELECT ${EVENT_SELECT} FROM ${TABLES.events} e WHERE e.auction_id = ? AND e.seq > ? ORDER BY e.seq`;
}

/** A page of one auction's events: a primary-key range that stops after `limit` rows. */
function readPageSql(): string {
  return `${readSql()} LIMIT ?`;
}

/**
 * The events of `pairs` auctions after their own seq: a join of (id, after) pairs with the journal,
 * one primary-key range per auction. (An OR of `auction_id = ? AND seq > ?` terms plans far slower.)
 */
function tailsSql(d: SqlDialect, pairs: number): string {
  if (d === 'sqlite') {
    // CROSS JOIN makes the pairs the outer loop.
    return `WITH t(id, after_seq) AS (VALUES ${new Array(pairs).fill('(?, ?)').join(',')})
      SELECT ${EVENT_SELECT} FROM t CROSS JOIN ${TABLES.events} e
      WHERE e.auction_id = t.id AND e.seq > t.after_seq ORDER BY e.auction_id, e.seq`;
  }
  // UNION ALL rather than VALUES: MySQL 8 and MariaDB spell table value constructors differently.
  const pairsSql = new Array(pairs).fill('SELECT ?, ?');
  pairsSql[0] = 'SELECT ? AS id, ? AS after_seq';
  return `SELECT ${EVENT_SELECT} FROM (${pairsSql.join(' UNION ALL ')}) t
    JOIN ${TABLES.events} e ON e.auction_id = t.id COLLATE utf8mb4_bin AND e.seq > t.after_seq
    ORDER BY e.auction_id, e.seq`;
}

function sinceSql(): string {
  return `SELECT ${REPLY_COLUMNS.join(', ')} FROM ${TABLES.replies} WHERE at >= ? ORDER BY at, by_user, rid`;
}

/**
 * The accepted replies carried by journal rows since a time (closes have no rid), only the columns a
 * reply needs, in index order: recovery reads a day of them.
 */
function repliesFromEventsSql(): string {
  return `SELECT by_user, rid, auction_id, seq, price, leader, ends_at, status, at FROM ${TABLES.events}
    WHERE at >= ? AND rid IS NOT NULL AND by_user IS NOT NULL ORDER BY at`;
}

/** A row of repliesFromEventsSql as the reply acceptedReply() made for it. */
function replyFromEventRow(r: unknown[]): StoredReply {
  const by = r[0] as string;
  const rid = r[1] as string;
  const e = { seq: num(r[3]), price: num(r[4]), leader: r[5] as string | null, endsAt: num(r[6]), status: r[7] as AuctionStatus };
  return { by, rid, auction: r[2] as string, reply: acceptedReply(rid, e, by), at: num(r[8]) };
}

/**
 * Journal rows of `auctions` auctions with one of `rids` rids: a primary-key range per auction, filtered.
 * (No (by_user, rid) index on the journal: it would cost every append a random index insert.)
 */
function eventsByRidSql(auctions: number, rids: number): string {
  const list = (n: number) => new Array(n).fill('?').join(',');
  return `SELECT ${EVENT_SELECT} FROM ${TABLES.events} e WHERE e.auction_id IN (${list(auctions)}) AND e.rid IN (${list(rids)}) AND e.at >= ?`;
}

/** Spilled replies with one of `n` fingerprints (their primary key). */
function spilledSql(n: number): string {
  return `SELECT ${SPILL_COLUMNS.join(', ')} FROM ${TABLES.spilled} WHERE (fp_a, fp_b) IN (${new Array(n).fill('(?, ?)').join(', ')}) AND at >= ?`;
}

/** Spilled rows per call to the SQLite writer thread: each rides one append, so it stays small. */
const SPILL_RIDE_ROWS = 2048;

async function chunksAsync(total: number, size: number, each: (offset: number, rows: number) => Promise<void>): Promise<void> {
  for (let off = 0; off < total; off += size) await each(off, Math.min(size, total - off));
}

// ---- errors ---------------------------------------------------------------------------------------

function isDuplicateKey(err: unknown): boolean {
  const code = sqliteCode(err);
  if (code !== undefined) return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  const e = err as { code?: unknown; errno?: unknown } | null;
  return e !== null && typeof e === 'object' && (e.code === 'ER_DUP_ENTRY' || e.errno === 1062);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

function unavailable(what: string, err: unknown): Error {
  if (err instanceof StoreUnavailableError || err instanceof JournalConflictError) return err;
  return new StoreUnavailableError(`SQL store: ${what} failed: ${describe(err)}`, err);
}

// ---- the store ------------------------------------------------------------------------------------

type Prepared = Map<string, SqliteStatement>;

export class SqlStore implements BidJournal, IdempotencyStore, SnapshotStore, Lifecycle {
  readonly dialect: SqlDialect;
  private closed = false;
  /** SQLite: prepared statements of the append path, per connection (knex may replace it). */
  private readonly prepared = new WeakMap<SqliteDatabase, Prepared>();
  private readonly sqlText = new Map<string, string>();
  /** SQLite in-thread appends (writerThread off), per connection. */
  private readonly appenders = new WeakMap<SqliteDatabase, (p: BatchParams) => void>();

  /** Use openSqlStore(), which also migrates. */
  constructor(
    private readonly knex: Knex,
    dialect: SqlDialect,
    private readonly label: string,
    /** The journal position sequence, starting after the largest stored one. */
    private readonly positions: JournalPositions,
    /** SQLite files: appends run on the writer thread, off the event loop. */
    private readonly writer: SqliteWriter | null = null,
  ) {
    this.dialect = dialect;
  }

  /** The store's knex, for the other SQL adapters on this database (accounts): one pool, one SQLite connection. */
  get db(): Knex {
    return this.knex;
  }

  /**
   * SQLite files: runs [sql, bindings] statements in one transaction on the writer thread, for other
   * writers on this database (a write on the event loop would wait for the writer's lock with the loop
   * blocked). Null when there is no writer thread (MySQL, in-memory SQLite).
   */
  get statementWriter(): ((statements: [string, unknown[]][]) => Promise<void>) | null {
    const w = this.writer;
    return w === null ? null : (statements) => w.runStatements(statements);
  }

  // ---- BidJournal ----

  async append(batch: JournalBatch): Promise<void> {
    this.assertOpen();
    if (batch.events.length === 0 && batch.replies.length === 0) return;
    const range = this.positions.take(batch.events.length);
    // Whatever fails from here on must give the range back, or after() (the outbox) stops below it for
    // good. Building the rows can fail too (a value JSON.stringify cannot take): nothing was sent then.
    let sent = false;
    try {
      const p = batchParams(batch, range.first);
      sent = true;
      if (this.dialect === 'sqlite') await this.appendSqlite(p);
      else await this.appendMysql(p);
      this.positions.settle(range);
    } catch (err) {
      if (sent) this.settleFailed(range);
      else this.positions.settle(range);
      if (isDuplicateKey(err)) {
        throw new JournalConflictError(`SQL store: the batch repeats an (auction, seq) already journaled: ${describe(err)}`, err);
      }
      throw unavailable('append', err);
    }
  }

  /**
   * A failed append's positions. A SQLite transaction that failed is rolled back, and so is a MySQL one
   * that failed before COMMIT; but a MySQL connection lost during COMMIT leaves the outcome unknown until
   * the server answers again. Until it does, the range stays in flight: after() never reads past it.
   */
  private settleFailed(range: PositionRange): void {
    if (this.dialect === 'sqlite' || range.count === 0) return this.positions.settle(range);
    const ask = () => {
      if (this.closed) return this.positions.settle(range);
      this.rows('positions:', positionsSql, [range.first, range.first + range.count]).then(
        () => this.positions.settle(range),
        () => setTimeout(ask, IN_DOUBT_RETRY_MS).unref(),
      );
    };
    ask();
  }

  async after(position: number, limit: number): Promise<PositionedEvent[]> {
    this.assertOpen();
    const horizon = this.positions.horizon;
    if (position + 1 >= horizon || limit <= 0) return [];
    try {
      const rows = await this.rows('after:', afterSql, [position, horizon, Math.floor(limit)]);
      return rows.map((r) => ({ pos: num(r[0]), event: eventFromRow(r.slice(1)) }));
    } catch (err) {
      throw unavailable('after', err);
    }
  }

  /** MySQL: knex's pooled connection, driven directly (knex's binding rewrite costs ~8 ms a batch). */
  private async appendMysql(p: BatchParams): Promise<void> {
    const size = CHUNK_ROWS.mysql;
    const conn = (await this.knex.client.acquireConnection()) as MysqlConnection;
    let inTransaction = false;
    try {
      await mysqlRun(conn, 'START TRANSACTION');
      inTransaction = true;
      await chunksAsync(p.eventRows, size.events, (off, n) =>
        mysqlRun(conn, this.sql('e', n, () => insertEventsSql(n)), slice(p.events, off, n, EVENT_INSERT_COLUMNS.length)));
      await chunksAsync(p.replyRows, size.replies, (off, n) =>
        mysqlRun(conn, this.sql('r', n, () => insertRepliesSql('mysql', n)), slice(p.replies, off, n, REPLY_COLUMNS.length)));
      await chunksAsync(p.summaryRows, size.summaries, (off, n) =>
        mysqlRun(conn, this.sql('s', n, () => upsertSummariesSql('mysql', n)), slice(p.summaries, off, n, SUMMARY_COLUMNS.length)));
      await mysqlRun(conn, 'COMMIT');
      inTransaction = false;
    } catch (err) {
      // On a dead connection the server has already rolled the transaction back.
      if (inTransaction) await mysqlRun(conn, 'ROLLBACK').catch(() => {});
      throw err;
    } finally {
      // knex validates it on the next acquire and replaces it if the socket died.
      await this.knex.client.releaseConnection(conn);
    }
  }

  private async appendSqlite(p: BatchParams): Promise<void> {
    if (this.writer !== null) return this.writer.append(p);
    const db = (await this.knex.client.acquireConnection()) as SqliteDatabase;
    try {
      let append = this.appenders.get(db);
      if (append === undefined) {
        append = sqliteAppender(db, this.statements(db));
        this.appenders.set(db, append);
      }
      append(p);
    } finally {
      await this.knex.client.releaseConnection(db);
    }
  }

  async read(auction: AuctionId, afterSeq = 0, limit?: number): Promise<AuctionEvent[]> {
    this.assertOpen();
    try {
      const rows = limit === undefined
        ? await this.rows('read:', readSql, [auction, afterSeq])
        : await this.rows('readPage:', readPageSql, [auction, afterSeq, Math.max(0, Math.floor(limit))]);
      return rows.map(eventFromRow);
    } catch (err) {
      throw unavailable('read', err);
    }
  }

  async live(): Promise<AuctionId[]> {
    this.assertOpen();
    try {
      const rows: { id: string }[] = await this.knex(TABLES.auctions).select('id').whereIn('status', LIVE_STATUSES);
      return rows.map((r) => r.id);
    } catch (err) {
      throw unavailable('live', err);
    }
  }

  /** Every requested id is in the result; an auction with nothing after its seq gets []. */
  async tails(after: ReadonlyMap<AuctionId, number>): Promise<Map<AuctionId, AuctionEvent[]>> {
    this.assertOpen();
    const out = new Map<AuctionId, AuctionEvent[]>();
    for (const id of after.keys()) out.set(id, []);
    const entries = [...after];
    try {
      for (let off = 0; off < entries.length; off += ID_CHUNK) {
        const part = entries.slice(off, off + ID_CHUNK);
        // Padded to a power of two with pairs that match nothing (ids are never empty), so a handful
        // of statements serve every size.
        let pairs = 1;
        while (pairs < part.length) pairs *= 2;
        const params: unknown[] = [];
        for (const [id, seq] of part) params.push(id, seq ?? 0);
        for (let i = part.length; i < pairs; i++) params.push('', 0);
        for (const r of await this.rows(`tails:${pairs}`, () => tailsSql(this.dialect, pairs), params)) {
          out.get(r[0] as string)?.push(eventFromRow(r));
        }
      }
    } catch (err) {
      throw unavailable('tails', err);
    }
    return out;
  }

  async summary(auction: AuctionId): Promise<AuctionSummary | null> {
    this.assertOpen();
    let r: SummaryRow | undefined;
    try {
      r = await this.knex(TABLES.auctions)
        .first('id', 'seller_id', 'product_id', 'status', 'seq', 'price', 'ends_at', 'updated_at')
        .where('id', auction);
    } catch (err) {
      throw unavailable('summary', err);
    }
    if (r === undefined) return null;
    return {
      id: r.id,
      sellerId: r.seller_id ?? '',
      productId: r.product_id ?? '',
      status: r.status as AuctionStatus,
      seq: num(r.seq),
      price: num(r.price),
      endsAt: num(r.ends_at),
      updatedAt: num(r.updated_at),
    };
  }

  // ---- IdempotencyStore ----

  async find(key: ReplyKey, since: Millis): Promise<Reply | null> {
    return (await this.findMany([key], since))[0]?.reply ?? null;
  }

  /** Replies kept apart by (by_user, rid); accepted ones from their auction's journal rows; the earliest wins. */
  async findMany(keys: readonly ReplyKey[], since: Millis): Promise<StoredReply[]> {
    this.assertOpen();
    const first = new Map<string, StoredReply>();
    const keep = (r: StoredReply) => {
      const k = replyKeyOf(r.by, r.rid);
      const had = first.get(k);
      if (had === undefined || r.at < had.at) first.set(k, r);
    };
    try {
      for (let off = 0; off < keys.length; off += ID_CHUNK) {
        const part = keys.slice(off, off + ID_CHUNK);
        const pairs = part.map(() => '(?, ?)').join(', ');
        const params: unknown[] = [];
        for (const k of part) params.push(k.by, k.rid);
        params.push(since);
        const rows = await this.rows(`findMany:${part.length}`,
          () => `SELECT by_user, rid, auction_id, reply, at FROM ${TABLES.replies} WHERE (by_user, rid) IN (${pairs}) AND at >= ?`, params);
        for (const r of rows) keep(replyFromRow(r));
      }
      const wanted = new Set<string>();
      const withAuction = keys.filter((k) => k.auction !== null);
      for (const k of withAuction) wanted.add(`${k.auction}\u0000${replyKeyOf(k.by, k.rid)}`);
      for (let off = 0; off < withAuction.length; off += ID_CHUNK / 2) {
        const part = withAuction.slice(off, off + ID_CHUNK / 2);
        const auctions = [...new Set(part.map((k) => k.auction as string))];
        const rids = [...new Set(part.map((k) => k.rid))];
        const rows = await this.rows(`eventsByRid:${auctions.length}:${rids.length}`,
          () => eventsByRidSql(auctions.length, rids.length), [...auctions, ...rids, since]);
        for (const row of rows) {
          const r = replyOfEvent(eventFromRow(row));
          if (r !== null && wanted.has(`${r.auction}\u0000${replyKeyOf(r.by, r.rid)}`)) keep(r);
        }
      }
      // Spilled replies by fingerprint, whichever auction the key names.
      for (let off = 0; off < keys.length; off += ID_CHUNK) {
        const part = keys.slice(off, off + ID_CHUNK);
        const byFp = new Map<string, ReplyKey[]>();
        const params: unknown[] = [];
        for (const k of part) {
          const fp = replyFingerprint(k.by, k.rid);
          const id = `${fp[0]}:${fp[1]}`;
          if (!byFp.has(id)) params.push(fp[0], fp[1]);
          byFp.set(id, [...(byFp.get(id) ?? []), k]);
        }
        params.push(since);
        for (const r of await this.rows(`spilled:${byFp.size}`, () => spilledSql(byFp.size), params)) {
          for (const k of byFp.get(`${num(r[0])}:${num(r[1])}`) ?? []) {
            const reply: Reply = {
              ok: true, rid: k.rid, seq: num(r[2]), price: num(r[3]), leading: num(r[4]) !== 0, endsAt: num(r[5]), status: r[6] as AuctionStatus,
            };
            keep({ by: k.by, rid: k.rid, auction: null, reply, at: num(r[7]) });
          }
        }
      }
    } catch (err) {
      throw unavailable('findMany', err);
    }
    return [...first.values()];
  }

  async spill(replies: readonly SpilledReply[]): Promise<void> {
    this.assertOpen();
    const params: unknown[] = [];
    let rows = 0;
    for (const { fp, reply, at } of replies) {
      if (!reply.ok) continue;
      params.push(fp[0], fp[1], reply.seq, reply.price, reply.leading ? 1 : 0, reply.endsAt, reply.status, at);
      rows++;
    }
    const size = CHUNK_ROWS[this.dialect].spilled;
    const statement = (off: number, n: number): [string, unknown[]] =>
      [this.sql('spill', n, () => insertSpilledSql(this.dialect, n)), slice(params, off, n, SPILL_COLUMNS.length)];
    try {
      // Statement by statement, not one transaction: a spill is large, each row is keyed, and a
      // retry after a failure half-way stores nothing twice.
      const w = this.writer;
      if (w !== null) {
        await chunksAsync(rows, SPILL_RIDE_ROWS, async (off, n) => {
          const statements: [string, unknown[]][] = [];
          for (let o = off; o < off + n; o += size) statements.push(statement(o, Math.min(size, off + n - o)));
          await w.runStatements(statements);
        });
      } else {
        await chunksAsync(rows, size, async (off, n) => {
          await this.knex.raw(...(statement(off, n) as [string, Knex.RawBinding[]]));
        });
      }
    } catch (err) {
      throw unavailable('spill', err);
    }
  }

  async since(since: Millis): Promise<StoredReply[]> {
    this.assertOpen();
    try {
      const out: StoredReply[] = [];
      await this.replay(since, (r) => out.push(r));
      // Two runs already in time order: the sort merges them and orders ties.
      return out.sort(compareReplies);
    } catch (err) {
      throw unavailable('since', err);
    }
  }

  async replay(since: Millis, each: (r: StoredReply) => void): Promise<number> {
    this.assertOpen();
    let n = 0;
    try {
      for (const row of await this.rows('since:', sinceSql, [since])) {
        each(replyFromRow(row));
        n++;
      }
      // Row by row from the driver: a day of replies never sits in memory at once.
      await this.eachRow('repliesFromEvents:', repliesFromEventsSql, [since], (row) => {
        each(replyFromEventRow(row));
        n++;
      });
      return n;
    } catch (err) {
      throw unavailable('replay', err);
    }
  }

  async purge(before: Millis): Promise<number> {
    this.assertOpen();
    try {
      return (await this.purgeTable(TABLES.replies, before)) + (await this.purgeTable(TABLES.spilled, before));
    } catch (err) {
      throw unavailable('purge', err);
    }
  }

  private async purgeTable(table: string, before: Millis): Promise<number> {
    if (this.dialect === 'sqlite') return this.knex(table).where('at', '<', before).del();
    // In slices, so a large purge never holds many row locks or one long transaction.
    const LIMIT = 10_000;
    let total = 0;
    for (;;) {
      const [res] = (await this.knex.raw(`DELETE FROM ${table} WHERE at < ? LIMIT ${LIMIT}`, [before])) as [{ affectedRows: number }];
      total += res.affectedRows;
      if (res.affectedRows < LIMIT) return total;
    }
  }

  // ---- SnapshotStore ----

  async put(states: readonly AuctionState[]): Promise<void> {
    this.assertOpen();
    // The newest state per auction; the upsert keeps a stored one that is newer still.
    const newest = new Map<AuctionId, AuctionState>();
    for (const s of states) {
      const old = newest.get(s.spec.id);
      if (old === undefined || s.seq > old.seq) newest.set(s.spec.id, s);
    }
    if (newest.size === 0) return;
    const at = Date.now();
    const params: unknown[] = [];
    for (const s of newest.values()) params.push(s.spec.id, s.seq, encodeState(s), at);
    const rows = newest.size;
    const size = CHUNK_ROWS[this.dialect].snapshots;
    try {
      if (this.writer !== null) return await this.writer.putSnapshots(params, rows);
      await this.knex.transaction(async (trx) => {
        await chunksAsync(rows, size, (off, n) =>
          trx.raw(this.sql('p', n, () => upsertSnapshotsSql(this.dialect, n)), slice(params, off, n, SNAPSHOT_COLUMNS.length)).then(() => {}));
      });
    } catch (err) {
      throw unavailable('snapshot put', err);
    }
  }

  async get(ids: readonly AuctionId[]): Promise<Map<AuctionId, AuctionState>> {
    this.assertOpen();
    const out = new Map<AuctionId, AuctionState>();
    const unique = [...new Set(ids)];
    try {
      for (let off = 0; off < unique.length; off += ID_CHUNK) {
        const rows: { auction_id: string; state: unknown }[] = await this.knex(TABLES.snapshots)
          .select('auction_id', 'state')
          .whereIn('auction_id', unique.slice(off, off + ID_CHUNK));
        for (const r of rows) out.set(r.auction_id, decodeState(r.state));
      }
    } catch (err) {
      throw unavailable('snapshot get', err);
    }
    return out;
  }

  // ---- Lifecycle ----

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.knex.raw('SELECT 1');
    } catch (err) {
      throw unavailable(`ping of ${this.label}`, err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer?.close();
    await this.knex.destroy();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError(`SQL store ${this.label} is closed`);
  }

  /**
   * Rows of a read as arrays in select order, on the driver directly: a cached prepared statement on
   * SQLite, rowsAsArray on MySQL. Building no object per row halves the time of a large read.
   */
  private async rows(kind: string, build: () => string, params: unknown[]): Promise<unknown[][]> {
    const conn: unknown = await this.knex.client.acquireConnection();
    try {
      if (this.dialect === 'sqlite') {
        const db = conn as SqliteDatabase;
        const stmts = this.statements(db);
        let st = stmts.get(kind);
        if (st === undefined) {
          st = db.prepare(build()).raw(true);
          stmts.set(kind, st);
        }
        return st.all(params) as unknown[][];
      }
      return await mysqlRows(conn as MysqlConnection, this.sql(kind, 0, build), params);
    } finally {
      await this.knex.client.releaseConnection(conn);
    }
  }

  /** Like rows(), one row at a time: SQLite iterates the statement; MySQL reads all, then hands them on. */
  private async eachRow(kind: string, build: () => string, params: unknown[], each: (row: unknown[]) => void): Promise<void> {
    if (this.dialect !== 'sqlite') {
      for (const row of await this.rows(kind, build, params)) each(row);
      return;
    }
    const db = (await this.knex.client.acquireConnection()) as SqliteDatabase;
    try {
      const stmts = this.statements(db);
      const key = `iterate:${kind}`;
      let st = stmts.get(key);
      if (st === undefined) {
        st = db.prepare(build()).raw(true);
        stmts.set(key, st);
      }
      for (const row of st.iterate(params)) each(row as unknown[]);
    } finally {
      await this.knex.client.releaseConnection(db);
    }
  }

  private statements(db: SqliteDatabase): Prepared {
    let m = this.prepared.get(db);
    if (m === undefined) {
      m = new Map();
      this.prepared.set(db, m);
    }
    return m;
  }

  /** SQL text of a multi-row statement, built once per (kind, rows). */
  private sql(kind: string, rows: number, build: () => string): string {
    const key = `${kind}:${rows}`;
    let s = this.sqlText.get(key);
    if (s === undefined) {
      s = build();
      if (this.sqlText.size >= SQL_TEXT_CACHE) this.sqlText.clear(); // batch sizes vary: stay bounded
      this.sqlText.set(key, s);
    }
    return s;
  }

}

// ---- opening --------------------------------------------------------------------------------------

function knexConfig(target: SqlTarget, o: Required<Omit<SqlStoreOptions, 'onError' | 'url'>>, report: (err: Error) => void): Knex.Config {
  const log = {
    warn() {}, // acquire errors and the like also reject the call that met them
    deprecate() {},
    debug() {},
    error(message: unknown) {
      report(message instanceof Error ? message : new Error(String(message)));
    },
  };
  if (target.dialect === 'sqlite') {
    const busy = Math.max(0, Math.round(o.lockTimeoutMs));
    return {
      client: 'better-sqlite3',
      connection: { filename: target.filename },
      useNullAsDefault: true,
      acquireConnectionTimeout: o.connectTimeoutMs,
      log,
      pool: {
        min: 1,
        max: 1,
        afterCreate(db: SqliteDatabase, done: (err: Error | null, db: SqliteDatabase) => void) {
          try {
            db.pragma(`busy_timeout = ${busy}`);
            const mode = db.pragma('journal_mode = WAL', { simple: true });
            if (mode !== 'wal' && target.filename !== ':memory:' && target.filename !== '') {
              throw new Error(`SQLite refused WAL mode (journal_mode is ${String(mode)})`);
            }
            // FULL in WAL mode: the WAL is synced at every commit, so a resolved append survives a power
            // cut. (NORMAL would only survive a process crash.)
            db.pragma('synchronous = FULL');
            // Each batch dirties a page per touched auction in the (auction_id, seq) index: a bigger page
            // cache and rarer checkpoints (each copies those pages back into the database file and syncs
            // it) roughly double append throughput. The WAL is truncated back after a checkpoint.
            db.pragma('cache_size = -65536');
            // Checkpoints run on the checkpointer thread (sqlite-writer-client.ts); never here, on the event loop.
            db.pragma(`wal_autocheckpoint = ${o.writerThread ? 0 : 10_000}`);
            db.pragma('journal_size_limit = 67108864');
            done(null, db);
          } catch (err) {
            done(err as Error, db);
          }
        },
      },
    };
  }
  const lockWaitSec = Math.max(1, Math.ceil(o.lockTimeoutMs / 1000));
  return {
    client: 'mysql2',
    connection: {
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database,
      charset: 'utf8mb4',
      connectTimeout: o.connectTimeoutMs,
      supportBigNumbers: true,
      bigNumberStrings: false,
      enableKeepAlive: true,
    },
    acquireConnectionTimeout: o.connectTimeoutMs,
    log,
    pool: {
      min: 0,
      max: o.poolSize,
      idleTimeoutMillis: 30_000,
      afterCreate(conn: MysqlConnection, done: (err: Error | null, conn: MysqlConnection) => void) {
        // knex marks a connection that emits 'error' as disposed; we also report it. Without a listener
        // an 'error' event would crash the process.
        conn.on('error', (err: Error) => report(err));
        conn.query(`SET SESSION innodb_lock_wait_timeout = ${lockWaitSec}`, (err: Error | null) => done(err, conn));
      },
    },
  };
}

/** The slice of a mysql2 (callback API) connection used here. */
interface MysqlConnection {
  on(event: 'error', listener: (err: Error) => void): unknown;
  query(sql: string, cb: (err: Error | null) => void): unknown;
  query(sql: string, values: unknown[], cb: (err: Error | null) => void): unknown;
  query(options: { sql: string; values: unknown[]; rowsAsArray: true }, cb: (err: Error | null, rows?: unknown) => void): unknown;
}

function mysqlRows(conn: MysqlConnection, sql: string, values: unknown[]): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    conn.query({ sql, values, rowsAsArray: true }, (err: Error | null, rows?: unknown) =>
      err ? reject(err) : resolve(rows as unknown[][]));
  });
}

function mysqlRun(conn: MysqlConnection, sql: string, values?: unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null): void => (err ? reject(err) : resolve());
    if (values === undefined) conn.query(sql, done);
    else conn.query(sql, values, done);
  });
}

/** Open the store named by `url`, creating the SQLite file's directory, and migrate it to the latest schema. */
export async function openSqlStore(options: SqlStoreOptions): Promise<SqlStore> {
  const target = parseSqlUrl(options.url);
  const o = {
    lockTimeoutMs: options.lockTimeoutMs ?? 5000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    poolSize: options.poolSize ?? 10,
  };
  for (const [name, v] of Object.entries(o)) {
    if (!Number.isFinite(v) || v < (name === 'poolSize' ? 1 : 0)) {
      throw new TypeError(`SQL store: option "${name}" must be a ${name === 'poolSize' ? 'positive' : 'non-negative'} number, got ${v}`);
    }
  }
  const threaded = options.writerThread ?? true;
  const report = (err: Error): void => {
    try {
      options.onError?.(err);
    } catch {
      // a faulty reporter must not take the store down
    }
  };
  if (target.dialect === 'sqlite' && target.filename !== ':memory:' && !target.filename.startsWith('file:')) {
    mkdirSync(path.dirname(path.resolve(target.filename)), { recursive: true });
  }
  const label = target.dialect === 'sqlite' ? `sqlite:${target.filename}` : redact(options.url);
  const knex = knexFactory(knexConfig(target, { ...o, writerThread: threaded }, report));
  try {
    await migrateLatest(knex);
  } catch (err) {
    await knex.destroy().catch(() => {});
    throw unavailable(`opening ${label}`, err);
  }
  const onDisk = target.dialect === 'sqlite' && target.filename !== ':memory:' && target.filename !== '';
  const writer = onDisk && threaded
    ? new SqliteWriter({ filename: target.filename, busyMs: Math.max(0, Math.round(o.lockTimeoutMs)) })
    : null;
  try {
    // Booting the thread (and TypeScript in it) takes a second or more: pay it now, not on the first bid.
    await writer?.warm();
  } catch (err) {
    await writer?.close().catch(() => {});
    await knex.destroy().catch(() => {});
    throw unavailable(`starting the writer thread of ${label}`, err);
  }
  let last: number;
  try {
    const [row] = (await knex.raw(lastPositionSql()).then((r: unknown) => (target.dialect === 'sqlite' ? r : (r as unknown[])[0]))) as Record<string, unknown>[];
    last = num(Object.values(row)[0]);
  } catch (err) {
    await writer?.close().catch(() => {});
    await knex.destroy().catch(() => {});
    throw unavailable(`reading the last journal position of ${label}`, err);
  }
  return new SqlStore(knex, target.dialect, label, new JournalPositions(last), writer);
}

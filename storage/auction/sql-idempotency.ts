// IdempotencyStore on SQL, over the shared database handle. Three places hold first replies:
//   command_replies   replies kept apart from their events (refusals), keyed (by_user, rid);
//   auction_events    accepted replies are their journal rows (no (by_user, rid) index on the journal:
//                     it would cost every append a random index insert), found through their auction;
//   spilled_replies   accepted replies the in-memory table evicted early, by the 64-bit fingerprint of
//                     (by_user, rid), whatever auction a repeat names.
// Lookups take the earliest of what they find. Reads fetch rows as arrays.
import { replyFingerprint, type AuctionStatus, type Millis, type Reply } from '../../engine/index.ts';
import type { SqlDatabase, SqlWrite } from '../sql/database.ts';
import { unavailable } from '../sql/errors.ts';
import { TABLES } from '../sql/tables.ts';
import { SqlTexts } from '../sql/texts.ts';
import type { IdempotencyStore, ReplyKey, SpilledReply, StoredReply } from './ports.ts';
import { compareReplies, replyKeyOf, replyOfEvent } from './replies.ts';
import { EVENT_SELECT, eventFromRow, num, REPLY_FROM_EVENT_COLUMNS, replyFromEventRow, replyFromRow } from './sql-rows.ts';
import { CHUNK_ROWS, insertSpilledSql, REPLY_COLUMNS, slice, SPILL_COLUMNS } from './sql-statements.ts';

/** Keys per lookup query. */
const KEY_CHUNK = 500;
/** Spilled rows per write: on SQLite's writer thread each rides one append, so it stays small. */
const SPILL_WRITE_ROWS = 2048;
/** Rows a MySQL purge deletes per statement: a large purge never holds many row locks or one long transaction. */
const PURGE_SLICE = 10_000;

const SINCE_SQL = `SELECT ${REPLY_COLUMNS.join(', ')} FROM ${TABLES.replies} WHERE at >= ? ORDER BY at, by_user, rid`;
/** The accepted replies carried by journal rows since a time (closes have no rid), in index order: recovery reads a day of them. */
const REPLIES_FROM_EVENTS_SQL = `SELECT ${REPLY_FROM_EVENT_COLUMNS} FROM ${TABLES.events}
    WHERE at >= ? AND rid IS NOT NULL AND by_user IS NOT NULL ORDER BY at`;

const list = (n: number, item = '?') => new Array(n).fill(item).join(', ');

export class SqlIdempotency implements IdempotencyStore {
  private readonly texts = new SqlTexts();

  constructor(private readonly db: SqlDatabase) {}

  async find(key: ReplyKey, since: Millis): Promise<Reply | null> {
    return (await this.findMany([key], since))[0]?.reply ?? null;
  }

  /** Replies kept apart by (by_user, rid); accepted ones from their auction's journal rows or by fingerprint; the earliest wins. */
  async findMany(keys: readonly ReplyKey[], since: Millis): Promise<StoredReply[]> {
    const first = new Map<string, StoredReply>();
    const keep = (r: StoredReply) => {
      const k = replyKeyOf(r.by, r.rid);
      const had = first.get(k);
      if (had === undefined || r.at < had.at) first.set(k, r);
    };
    try {
      for (let off = 0; off < keys.length; off += KEY_CHUNK) {
        const part = keys.slice(off, off + KEY_CHUNK);
        const params: unknown[] = [];
        for (const k of part) params.push(k.by, k.rid);
        params.push(since);
        const sql = this.texts.get(`replies:${part.length}`,
          () => `SELECT ${REPLY_COLUMNS.join(', ')} FROM ${TABLES.replies} WHERE (by_user, rid) IN (${list(part.length, '(?, ?)')}) AND at >= ?`);
        for (const r of await this.db.rows(sql, params)) keep(replyFromRow(r));
      }
      const wanted = new Set<string>();
      const withAuction = keys.filter((k) => k.auction !== null);
      for (const k of withAuction) wanted.add(`${k.auction}\u0000${replyKeyOf(k.by, k.rid)}`);
      for (let off = 0; off < withAuction.length; off += KEY_CHUNK / 2) {
        const part = withAuction.slice(off, off + KEY_CHUNK / 2);
        const auctions = [...new Set(part.map((k) => k.auction as string))];
        const rids = [...new Set(part.map((k) => k.rid))];
        // A primary-key range per auction, filtered.
        const sql = this.texts.get(`eventsByRid:${auctions.length}:${rids.length}`,
          () => `SELECT ${EVENT_SELECT} FROM ${TABLES.events} e WHERE e.auction_id IN (${list(auctions.length)}) AND e.rid IN (${list(rids.length)}) AND e.at >= ?`);
        for (const row of await this.db.rows(sql, [...auctions, ...rids, since])) {
          const r = replyOfEvent(eventFromRow(row));
          if (r !== null && wanted.has(`${r.auction}\u0000${replyKeyOf(r.by, r.rid)}`)) keep(r);
        }
      }
      for (let off = 0; off < keys.length; off += KEY_CHUNK) await this.findSpilled(keys.slice(off, off + KEY_CHUNK), since, keep);
    } catch (err) {
      throw unavailable('SQL idempotency store', 'findMany', err);
    }
    return [...first.values()];
  }

  /** Spilled replies by fingerprint, whichever auction the key names (returned with the key's rid and a null auction). */
  private async findSpilled(part: readonly ReplyKey[], since: Millis, keep: (r: StoredReply) => void): Promise<void> {
    const byFp = new Map<string, ReplyKey[]>();
    const params: unknown[] = [];
    for (const k of part) {
      const fp = replyFingerprint(k.by, k.rid);
      const id = `${fp[0]}:${fp[1]}`;
      if (!byFp.has(id)) params.push(fp[0], fp[1]);
      byFp.set(id, [...(byFp.get(id) ?? []), k]);
    }
    params.push(since);
    const sql = this.texts.get(`spilled:${byFp.size}`,
      () => `SELECT ${SPILL_COLUMNS.join(', ')} FROM ${TABLES.spilled} WHERE (fp_a, fp_b) IN (${list(byFp.size, '(?, ?)')}) AND at >= ?`);
    for (const r of await this.db.rows(sql, params)) {
      for (const k of byFp.get(`${num(r[0])}:${num(r[1])}`) ?? []) {
        const reply: Reply = {
          ok: true, rid: k.rid, seq: num(r[2]), price: num(r[3]), leading: num(r[4]) !== 0, endsAt: num(r[5]), status: r[6] as AuctionStatus,
        };
        keep({ by: k.by, rid: k.rid, auction: null, reply, at: num(r[7]) });
      }
    }
  }

  async spill(replies: readonly SpilledReply[]): Promise<void> {
    const params: unknown[] = [];
    let rows = 0;
    for (const { fp, reply, at } of replies) {
      if (!reply.ok) continue;
      params.push(fp[0], fp[1], reply.seq, reply.price, reply.leading ? 1 : 0, reply.endsAt, reply.status, at);
      rows++;
    }
    const size = CHUNK_ROWS[this.db.dialect].spilled;
    try {
      // Write by write, not one transaction: a spill is large, each row is keyed, and a retry after a
      // failure half-way stores nothing twice.
      for (let off = 0; off < rows; off += SPILL_WRITE_ROWS) {
        const end = Math.min(rows, off + SPILL_WRITE_ROWS);
        const statements: SqlWrite[] = [];
        for (let o = off; o < end; o += size) {
          const n = Math.min(size, end - o);
          statements.push({ sql: this.texts.get(`spill:${n}`, () => insertSpilledSql(this.db.dialect, n)), params: slice(params, o, n, SPILL_COLUMNS.length) });
        }
        await this.db.write(statements);
      }
    } catch (err) {
      throw unavailable('SQL idempotency store', 'spill', err);
    }
  }

  async since(since: Millis): Promise<StoredReply[]> {
    const out: StoredReply[] = [];
    await this.replay(since, (r) => out.push(r));
    // Two runs already in time order: the sort merges them and orders ties.
    return out.sort(compareReplies);
  }

  async replay(since: Millis, each: (r: StoredReply) => void): Promise<number> {
    let n = 0;
    try {
      for (const row of await this.db.rows(SINCE_SQL, [since])) {
        each(replyFromRow(row));
        n++;
      }
      // Row by row from the driver: a day of replies never sits in memory at once.
      await this.db.eachRow(REPLIES_FROM_EVENTS_SQL, [since], (row) => {
        each(replyFromEventRow(row));
        n++;
      });
      return n;
    } catch (err) {
      throw unavailable('SQL idempotency store', 'replay', err);
    }
  }

  async purge(before: Millis): Promise<number> {
    try {
      return (await this.purgeTable(TABLES.replies, before)) + (await this.purgeTable(TABLES.spilled, before));
    } catch (err) {
      throw unavailable('SQL idempotency store', 'purge', err);
    }
  }

  private async purgeTable(table: string, before: Millis): Promise<number> {
    if (this.db.dialect === 'sqlite') return (await this.db.write([{ sql: `DELETE FROM ${table} WHERE at < ?`, params: [before] }]))[0];
    let total = 0;
    for (;;) {
      const [n] = await this.db.write([{ sql: `DELETE FROM ${table} WHERE at < ? LIMIT ${PURGE_SLICE}`, params: [before] }]);
      total += n;
      if (n < PURGE_SLICE) return total;
    }
  }
}

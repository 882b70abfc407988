// Chat on SQL (SQLite or MySQL/MariaDB) over the one database handle. A batch of messages is one
// insert-if-absent per chunk, each expected to store every row: a (room, seq) or (from, rid) already
// stored makes the whole write roll back (WriteConflictError), which the port reports as
// ChatConflictError, so the service can answer repeats with their first ack and number the rest again.
import type { UserId } from '../../engine/kernel.ts';
import { otherMember, pairOf } from '../../engine/chat/rules.ts';
import { WriteConflictError } from '../errors.ts';
import type { SqlDatabase, SqlWrite } from '../sql/database.ts';
import { unavailable } from '../sql/errors.ts';
import { CHAT_TABLES as T } from '../sql/tables.ts';
import { ChatConflictError, type ChatMessage, type ChatReport, type ChatStore, type HistoryQuery, type Room, type RoomId, type RoomSummary } from './ports.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
/** Rows per multi-row insert: 7 parameters each, well under both dialects' placeholder limits. */
const CHUNK = 150;
/** Ids per IN (...) list. */
const ID_CHUNK = 500;

async function guarded<R>(what: string, f: () => Promise<R>): Promise<R> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof ChatConflictError) throw err;
    throw unavailable('SQL chat store', what, err);
  }
}

const roomOf = (r: Row): Room => ({
  id: r.id as string, members: [r.member_a as string, r.member_b as string], auctionId: (r.auction_id as string | null) ?? null,
  openedBy: r.opened_by as string, createdAt: num(r.created_at),
});
function messageOf(r: Row): ChatMessage {
  const m: ChatMessage = { room: r.room_id as string, seq: num(r.seq), from: r.from_user as string, rid: r.rid as string, text: r.body as string, at: num(r.at) };
  if (r.auction_id !== null && r.auction_id !== undefined) m.auction = r.auction_id as string;
  return m;
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export class SqlChat implements ChatStore {
  private readonly insertIgnore: string;

  constructor(private readonly db: SqlDatabase) {
    this.insertIgnore = db.dialect === 'mysql' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
  }

  openRoom(room: Room): Promise<{ room: Room; created: boolean }> {
    return guarded('openRoom', async () => {
      const [n] = await this.db.write([{
        sql: `${this.insertIgnore} ${T.rooms} (id, member_a, member_b, auction_id, opened_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
        params: [room.id, room.members[0], room.members[1], room.auctionId, room.openedBy, room.createdAt],
      }]);
      const [a, b] = pairOf(room.members[0], room.members[1]);
      const rows = await this.db.read<Row>(`SELECT * FROM ${T.rooms} WHERE member_a = ? AND member_b = ?`, [a, b]);
      if (rows.length === 0) throw new Error(`room of ${a} and ${b} was neither stored nor found`);
      return { room: roomOf(rows[0]), created: n > 0 };
    });
  }

  room(id: RoomId): Promise<Room | null> {
    return guarded('room', async () => {
      const rows = await this.db.read<Row>(`SELECT * FROM ${T.rooms} WHERE id = ?`, [id]);
      return rows.length === 0 ? null : roomOf(rows[0]);
    });
  }

  roomsOpenedBy(user: UserId): Promise<number> {
    return guarded('roomsOpenedBy', async () => num((await this.db.read<Row>(`SELECT COUNT(*) AS n FROM ${T.rooms} WHERE opened_by = ?`, [user]))[0].n));
  }

  roomsOf(user: UserId, limit: number): Promise<RoomSummary[]> {
    return guarded('roomsOf', async () => {
      const rooms = (await this.db.read<Row>(`SELECT * FROM ${T.rooms} WHERE member_a = ? UNION ALL SELECT * FROM ${T.rooms} WHERE member_b = ?`, [user, user])).map(roomOf);
      if (rooms.length === 0) return [];
      const ids = rooms.map((r) => r.id);
      const last = new Map<RoomId, ChatMessage>();
      const reads = new Map<RoomId, number>();
      for (const part of chunks(ids, ID_CHUNK)) {
        const marks = part.map(() => '?').join(', ');
        const rows = await this.db.read<Row>(
          `SELECT m.* FROM ${T.messages} m JOIN (SELECT room_id, MAX(seq) AS seq FROM ${T.messages} WHERE room_id IN (${marks}) GROUP BY room_id) l ON l.room_id = m.room_id AND l.seq = m.seq`,
          part,
        );
        for (const r of rows) last.set(r.room_id as string, messageOf(r));
        for (const r of await this.db.read<Row>(`SELECT room_id, seq FROM ${T.reads} WHERE user_id = ? AND room_id IN (${marks})`, [user, ...part])) {
          reads.set(r.room_id as string, num(r.seq));
        }
      }
      const blocking = new Set((await this.db.read<Row>(`SELECT blocked FROM ${T.blocks} WHERE blocker = ?`, [user])).map((r) => r.blocked as string));
      const out = rooms.map((room): RoomSummary => {
        const m = last.get(room.id) ?? null;
        const readSeq = reads.get(room.id) ?? 0;
        const other = otherMember(room, user);
        return { room, other, last: m, readSeq, unread: Math.max(0, (m?.seq ?? 0) - readSeq), blocking: blocking.has(other) };
      });
      const activity = (s: RoomSummary) => s.last?.at ?? s.room.createdAt;
      out.sort((a, b) => activity(b) - activity(a) || (a.room.id < b.room.id ? -1 : 1));
      return out.slice(0, limit);
    });
  }

  append(messages: readonly ChatMessage[]): Promise<void> {
    return guarded('append', async () => {
      if (messages.length === 0) return;
      const writes: SqlWrite[] = chunks(messages, CHUNK).map((part) => ({
        sql: `${this.insertIgnore} ${T.messages} (room_id, seq, from_user, rid, body, at, auction_id) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        params: part.flatMap((m) => [m.room, m.seq, m.from, m.rid, m.text, m.at, m.auction ?? null]),
        expect: { exactly: part.length },
      }));
      try {
        await this.db.write(writes);
      } catch (err) {
        if (err instanceof WriteConflictError) throw new ChatConflictError();
        throw err;
      }
    });
  }

  byRids(keys: readonly { from: UserId; rid: string }[]): Promise<ChatMessage[]> {
    return guarded('byRids', async () => {
      const out: ChatMessage[] = [];
      for (const part of chunks(keys, ID_CHUNK / 2)) {
        const where = part.map(() => '(from_user = ? AND rid = ?)').join(' OR ');
        const rows = await this.db.read<Row>(`SELECT * FROM ${T.messages} WHERE ${where}`, part.flatMap((k) => [k.from, k.rid]));
        for (const r of rows) out.push(messageOf(r));
      }
      return out;
    });
  }

  lastSeqs(rooms: readonly RoomId[]): Promise<Map<RoomId, number>> {
    return guarded('lastSeqs', async () => {
      const out = new Map<RoomId, number>(rooms.map((r) => [r, 0]));
      for (const part of chunks(rooms, ID_CHUNK)) {
        const rows = await this.db.read<Row>(`SELECT room_id, MAX(seq) AS seq FROM ${T.messages} WHERE room_id IN (${part.map(() => '?').join(', ')}) GROUP BY room_id`, part);
        for (const r of rows) out.set(r.room_id as string, num(r.seq));
      }
      return out;
    });
  }

  history(room: RoomId, q: HistoryQuery): Promise<ChatMessage[]> {
    return guarded('history', async () => {
      const where = ['room_id = ?'];
      const params: unknown[] = [room];
      if (q.before !== undefined) where.push('seq < ?'), params.push(q.before);
      if (q.after !== undefined) where.push('seq > ?'), params.push(q.after);
      const order = q.after !== undefined ? 'ASC' : 'DESC';
      const rows = await this.db.read<Row>(`SELECT * FROM ${T.messages} WHERE ${where.join(' AND ')} ORDER BY seq ${order} LIMIT ?`, [...params, q.limit]);
      const out = rows.map(messageOf);
      return order === 'DESC' ? out.reverse() : out;
    });
  }

  message(room: RoomId, seq: number): Promise<ChatMessage | null> {
    return guarded('message', async () => {
      const rows = await this.db.read<Row>(`SELECT * FROM ${T.messages} WHERE room_id = ? AND seq = ?`, [room, seq]);
      return rows.length === 0 ? null : messageOf(rows[0]);
    });
  }

  setRead(room: RoomId, user: UserId, seq: number): Promise<number> {
    return guarded('setRead', async () => {
      const sql = this.db.dialect === 'mysql'
        ? `INSERT INTO ${T.reads} (room_id, user_id, seq) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE seq = GREATEST(seq, VALUES(seq))`
        : `INSERT INTO ${T.reads} (room_id, user_id, seq) VALUES (?, ?, ?) ON CONFLICT (room_id, user_id) DO UPDATE SET seq = MAX(seq, excluded.seq)`;
      await this.db.write([{ sql, params: [room, user, seq] }]);
      const rows = await this.db.read<Row>(`SELECT seq FROM ${T.reads} WHERE room_id = ? AND user_id = ?`, [room, user]);
      return num(rows[0].seq);
    });
  }

  reads(room: RoomId): Promise<Map<UserId, number>> {
    return guarded('reads', async () => {
      const r = await this.room(room);
      const out = new Map<UserId, number>();
      if (r === null) return out;
      for (const u of r.members) out.set(u, 0);
      for (const row of await this.db.read<Row>(`SELECT user_id, seq FROM ${T.reads} WHERE room_id = ?`, [room])) out.set(row.user_id as string, num(row.seq));
      return out;
    });
  }

  block(blocker: UserId, blocked: UserId, at: number): Promise<void> {
    return guarded('block', async () => {
      await this.db.write([{ sql: `${this.insertIgnore} ${T.blocks} (blocker, blocked, at) VALUES (?, ?, ?)`, params: [blocker, blocked, at] }]);
    });
  }

  unblock(blocker: UserId, blocked: UserId): Promise<void> {
    return guarded('unblock', async () => {
      await this.db.write([{ sql: `DELETE FROM ${T.blocks} WHERE blocker = ? AND blocked = ?`, params: [blocker, blocked] }]);
    });
  }

  blocks(blocker: UserId, blocked: UserId): Promise<boolean> {
    return guarded('blocks', async () => (await this.db.read<Row>(`SELECT 1 AS x FROM ${T.blocks} WHERE blocker = ? AND blocked = ?`, [blocker, blocked])).length > 0);
  }

  report(r: ChatReport): Promise<string> {
    return guarded('report', async () => {
      await this.db.write([{
        sql: `${this.insertIgnore} ${T.reports} (id, room_id, seq, by_user, reason, at) VALUES (?, ?, ?, ?, ?, ?)`,
        params: [r.id, r.room, r.seq, r.by, r.reason, r.at],
      }]);
      const rows = await this.db.read<Row>(`SELECT id FROM ${T.reports} WHERE by_user = ? AND room_id = ? AND seq = ?`, [r.by, r.room, r.seq]);
      return rows[0].id as string;
    });
  }

  reports(limit: number): Promise<ChatReport[]> {
    return guarded('reports', async () => {
      const rows = await this.db.read<Row>(`SELECT * FROM ${T.reports} ORDER BY at DESC, id DESC LIMIT ?`, [limit]);
      return rows.map((r) => ({ id: r.id as string, room: r.room_id as string, seq: num(r.seq), by: r.by_user as string, reason: r.reason as string, at: num(r.at) }));
    });
  }
}

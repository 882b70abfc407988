// Chat in memory: tests, and the reference the SQL adapter's contract suite agrees with.
import type { UserId } from '../../engine/kernel.ts';
import { otherMember } from '../../engine/chat/rules.ts';
import { MemoryLifecycle } from '../lifecycle.ts';
import { ChatConflictError, type ChatMessage, type ChatReport, type ChatStore, type HistoryQuery, type Room, type RoomId, type RoomSummary } from './ports.ts';

export class MemoryChat extends MemoryLifecycle implements ChatStore {
  constructor() {
    super('the memory chat store');
  }

  private readonly roomsById = new Map<RoomId, Room>();
  private readonly byPair = new Map<string, RoomId>();
  private readonly messages = new Map<RoomId, ChatMessage[]>();
  private readonly rids = new Map<string, ChatMessage>();
  private readonly readPos = new Map<string, number>();
  private readonly blocked = new Set<string>();
  private readonly reportRows = new Map<string, ChatReport>();

  async openRoom(room: Room): Promise<{ room: Room; created: boolean }> {
    this.assertOpen();
    const pair = room.members.join('\0');
    const had = this.byPair.get(pair);
    if (had !== undefined) return { room: { ...this.roomsById.get(had)! }, created: false };
    this.roomsById.set(room.id, { ...room });
    this.byPair.set(pair, room.id);
    return { room: { ...room }, created: true };
  }

  async room(id: RoomId): Promise<Room | null> {
    this.assertOpen();
    const r = this.roomsById.get(id);
    return r === undefined ? null : { ...r };
  }

  async roomsOpenedBy(user: UserId): Promise<number> {
    this.assertOpen();
    let n = 0;
    for (const r of this.roomsById.values()) if (r.openedBy === user) n++;
    return n;
  }

  async roomsOf(user: UserId, limit: number): Promise<RoomSummary[]> {
    this.assertOpen();
    const out: RoomSummary[] = [];
    for (const room of this.roomsById.values()) {
      if (room.members[0] !== user && room.members[1] !== user) continue;
      const list = this.messages.get(room.id) ?? [];
      const last = list.at(-1) ?? null;
      const readSeq = this.readPos.get(`${room.id}\0${user}`) ?? 0;
      const other = otherMember(room, user);
      out.push({ room: { ...room }, other, last: last === null ? null : { ...last }, readSeq, unread: Math.max(0, (last?.seq ?? 0) - readSeq), blocking: this.blocked.has(`${user}\0${other}`) });
    }
    const activity = (s: RoomSummary) => s.last?.at ?? s.room.createdAt;
    out.sort((a, b) => activity(b) - activity(a) || (a.room.id < b.room.id ? -1 : 1));
    return out.slice(0, limit);
  }

  async append(batch: readonly ChatMessage[]): Promise<void> {
    this.assertOpen();
    const seen = new Set<string>();
    for (const m of batch) {
      const key = `${m.from}\0${m.rid}`;
      const list = this.messages.get(m.room) ?? [];
      if (this.rids.has(key) || seen.has(key) || list.some((x) => x.seq === m.seq) || batch.some((x) => x !== m && x.room === m.room && x.seq === m.seq)) {
        throw new ChatConflictError();
      }
      seen.add(key);
    }
    for (const m of batch) {
      const list = this.messages.get(m.room) ?? [];
      if (list.length === 0) this.messages.set(m.room, list);
      list.push({ ...m });
      list.sort((a, b) => a.seq - b.seq);
      this.rids.set(`${m.from}\0${m.rid}`, { ...m });
    }
  }

  async byRids(keys: readonly { from: UserId; rid: string }[]): Promise<ChatMessage[]> {
    this.assertOpen();
    const out: ChatMessage[] = [];
    for (const k of keys) {
      const m = this.rids.get(`${k.from}\0${k.rid}`);
      if (m !== undefined) out.push({ ...m });
    }
    return out;
  }

  async lastSeqs(rooms: readonly RoomId[]): Promise<Map<RoomId, number>> {
    this.assertOpen();
    return new Map(rooms.map((r) => [r, this.messages.get(r)?.at(-1)?.seq ?? 0]));
  }

  async history(room: RoomId, q: HistoryQuery): Promise<ChatMessage[]> {
    this.assertOpen();
    let list = (this.messages.get(room) ?? []).filter((m) => (q.before === undefined || m.seq < q.before) && (q.after === undefined || m.seq > q.after));
    list = q.after !== undefined ? list.slice(0, q.limit) : list.slice(Math.max(0, list.length - q.limit));
    return list.map((m) => ({ ...m }));
  }

  async message(room: RoomId, seq: number): Promise<ChatMessage | null> {
    this.assertOpen();
    const m = this.messages.get(room)?.find((x) => x.seq === seq);
    return m === undefined ? null : { ...m };
  }

  async setRead(room: RoomId, user: UserId, seq: number): Promise<number> {
    this.assertOpen();
    const key = `${room}\0${user}`;
    const next = Math.max(this.readPos.get(key) ?? 0, seq);
    this.readPos.set(key, next);
    return next;
  }

  async reads(room: RoomId): Promise<Map<UserId, number>> {
    this.assertOpen();
    const r = this.roomsById.get(room);
    const out = new Map<UserId, number>();
    for (const u of r?.members ?? []) out.set(u, this.readPos.get(`${room}\0${u}`) ?? 0);
    return out;
  }

  async block(blocker: UserId, blocked: UserId, _at: number): Promise<void> {
    this.assertOpen();
    this.blocked.add(`${blocker}\0${blocked}`);
  }

  async unblock(blocker: UserId, blocked: UserId): Promise<void> {
    this.assertOpen();
    this.blocked.delete(`${blocker}\0${blocked}`);
  }

  async blocks(blocker: UserId, blocked: UserId): Promise<boolean> {
    this.assertOpen();
    return this.blocked.has(`${blocker}\0${blocked}`);
  }

  async report(r: ChatReport): Promise<string> {
    this.assertOpen();
    const key = `${r.by}\0${r.room}\0${r.seq}`;
    const had = this.reportRows.get(key);
    if (had !== undefined) return had.id;
    this.reportRows.set(key, { ...r });
    return r.id;
  }

  async reports(limit: number): Promise<ChatReport[]> {
    this.assertOpen();
    return [...this.reportRows.values()].sort((a, b) => b.at - a.at).slice(0, limit).map((r) => ({ ...r }));
  }
}

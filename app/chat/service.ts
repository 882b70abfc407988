// The chat service (SPEC §7), implementing engine/chat/api.ts over the ChatStore port. Sends are checked
// (text, rate, membership, blocks), deduplicated by (user, rid), group-committed (./committer.ts) and
// acknowledged once durable; then published, in seq order, to whoever listens (the gateway).
//
// Rooms in use are cached with their last durable seq, read positions and blocks. One process owns a
// room's numbering (the committer seals one batch at a time); a seq taken by another writer shows as a
// conflict, after which the room's last seq is read again from the store.
import { randomUUID } from 'node:crypto';
import type { ChatApi, ChatPresence, ReportedMessage } from '../../engine/chat/api.ts';
import type { ChatAck, ChatEvent, ChatMessage, HistoryQuery, Room, RoomId, RoomSummary } from '../../engine/chat/model.ts';
import { fullBucket, isMember, otherMember, pageLimit, pairOf, take, textProblem, type Bucket } from '../../engine/chat/rules.ts';
import type { AuctionQueries } from '../../engine/auction/api.ts';
import { OkjError, type AuctionId, type Clock, type ErrorCode, type UserId } from '../../engine/index.ts';
import type { Logger } from '../../engine/logger.ts';
import type { ChatStore } from '../../storage/chat/ports.ts';
import type { InboxItem } from '../../engine/market/model.ts';
import type { Inbox } from '../../storage/market/ports.ts';
import { ChatCommitter, type Outgoing } from './committer.ts';
import type { ChatConfig } from './config.ts';

interface RoomState {
  readonly id: RoomId;
  readonly room: Room;
  lastSeq: number;
  reads: Map<UserId, number>;
  /** Members who block the other. */
  blockers: Set<UserId>;
  /** Messages of the room not answered yet: a room with any is never evicted (its seq is in use). */
  pending: number;
}

export interface ChatServiceOptions {
  store: ChatStore;
  /** The seller of the auction a room is opened from. */
  auctions: Pick<AuctionQueries, 'spec'>;
  config: ChatConfig;
  clock: Clock;
  log: Logger;
  /** The marketplace's inbox: a member not following a room live gets one item per room until they read. */
  inbox?: Pick<Inbox, 'addInbox' | 'deleteInbox'>;
  /** Rooms held in memory; past it the least recently used idle ones are let go (read again on use). Default 100,000. */
  maxRooms?: number;
}

/** The inbox item of a room for a user: one id, so an unread one is never repeated. */
export const chatInboxId = (room: RoomId, user: UserId): string => `chat:${room}:${user}`;

/** What the metrics read (app/chat/metrics.ts). */
export interface ChatStats {
  accepted: number;
  refused: Map<ErrorCode, number>;
  /** Ack latencies in seconds since the last scrape. */
  ackSeconds: number[];
}

/** Acks remembered for repeated rids; older ones are found in the store. */
const RECENT_ACKS = 100_000;

export class ChatService implements ChatApi {
  private readonly held = new Map<RoomId, RoomState>();
  private readonly loading = new Map<RoomId, Promise<RoomState | null>>();
  private readonly acks = new Map<string, ChatAck>();
  private readonly inFlight = new Map<string, Promise<ChatAck>>();
  private readonly buckets = new Map<UserId, Bucket>();
  private readonly typed = new Map<string, number>();
  private readonly listeners = new Set<(e: ChatEvent) => void>();
  private readonly committer: ChatCommitter;
  private stopped = false;
  private presence: ChatPresence | null = null;
  /** Inbox items raised and not read yet (so a busy room costs one insert, not one per message). */
  private readonly noticed = new Set<string>();
  readonly stats: ChatStats = { accepted: 0, refused: new Map(), ackSeconds: [] };

  constructor(private readonly o: ChatServiceOptions) {
    this.committer = new ChatCommitter(o.store, {
      committed: (messages) => {
        this.emit({ t: 'msgs', messages });
        this.notice(messages);
      },
      repeated: (first, out) => out.done({ rid: out.rid, ok: true, room: first.room, seq: first.seq, at: first.at }),
      failed: (err, count) => o.log.error({ err, count }, 'chat messages could not be stored'),
    });
  }

  get pageSize(): number {
    return this.o.config.pageSize;
  }

  get pending(): number {
    return this.committer.pending;
  }

  get commits(): ChatCommitter['stats'] {
    return this.committer.stats;
  }

  /** Messages after each member's read position, over the rooms this process holds. */
  get unreadBacklog(): number {
    let n = 0;
    for (const r of this.held.values()) for (const u of r.room.members) n += Math.max(0, r.lastSeq - (r.reads.get(u) ?? 0));
    return n;
  }

  attachPresence(p: ChatPresence): void {
    this.presence = p;
  }

  /** An inbox item for each recipient not following the room live, once per room until read. */
  private notice(messages: readonly ChatMessage[]): void {
    const inbox = this.o.inbox;
    if (inbox === undefined) return;
    const items: InboxItem[] = [];
    for (const m of messages) {
      const state = this.held.get(m.room);
      if (state === undefined) continue;
      const to = otherMember(state.room, m.from);
      const id = chatInboxId(m.room, to);
      if (this.noticed.has(id) || this.presence?.online(m.room, to) === true) continue;
      this.noticed.add(id);
      items.push({ id, userId: to, auctionId: state.room.auctionId ?? '', kind: 'chat', price: 0, orderId: null, createdAt: m.at, readAt: null });
    }
    if (items.length === 0) return;
    inbox.addInbox(items).catch((err: unknown) => {
      for (const i of items) this.noticed.delete(i.id); // the next message tries again
      this.o.log.error({ err, count: items.length }, 'chat inbox items could not be stored');
    });
  }

  onEvent(listener: (e: ChatEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stop taking messages and wait for those accepted to be durable and answered. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.committer.drain();
  }

  // ---- messages -----------------------------------------------------------------------------------

  send(user: UserId, roomId: RoomId, rid: string, text: unknown, auction?: AuctionId): Promise<ChatAck> {
    const started = performance.now();
    const key = `${user}\0${rid}`;
    const known = this.acks.get(key);
    if (known !== undefined) return Promise.resolve(known);
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending;
    const p = this.decide(user, roomId, rid, text, auction).then((ack) => {
      this.inFlight.delete(key);
      if (ack.ok) {
        this.stats.accepted++;
        this.stats.ackSeconds.push((performance.now() - started) / 1000);
        if (this.stats.ackSeconds.length > 100_000) this.stats.ackSeconds.splice(0, 50_000);
        this.remember(key, ack);
      } else {
        this.stats.refused.set(ack.code, (this.stats.refused.get(ack.code) ?? 0) + 1);
      }
      return ack;
    });
    this.inFlight.set(key, p);
    return p;
  }

  private async decide(user: UserId, roomId: RoomId, rid: string, text: unknown, auction: AuctionId | undefined): Promise<ChatAck> {
    const no = (code: ErrorCode, message: string): ChatAck => ({ rid, ok: false, code, message });
    if (this.stopped) return no('STORE_UNAVAILABLE', 'the server is stopping; retry with the same rid');
    const problem = textProblem(text, this.o.config.maxTextChars);
    if (problem !== null) return no('CHAT_TEXT_INVALID', problem);
    if (this.committer.pending >= this.o.config.maxPending) return no('OVERLOADED', 'too many messages waiting to be stored; retry with the same rid');
    let state: RoomState | null;
    try {
      state = await this.load(roomId);
    } catch {
      return no('STORE_UNAVAILABLE', 'the room could not be read; retry with the same rid');
    }
    if (state === null || !isMember(state.room, user)) return no('NOT_FOUND', 'no such room');
    if (state.blockers.has(otherMember(state.room, user))) return no('BLOCKED', 'the other member has blocked you');
    const now = this.o.clock.now();
    let bucket = this.buckets.get(user);
    if (bucket === undefined) {
      // Bounded: past 100,000 senders the buckets start afresh (at worst one extra burst each).
      if (this.buckets.size >= 100_000) this.buckets.clear();
      this.buckets.set(user, (bucket = fullBucket(this.o.config.messagesPerSecond, now)));
    }
    if (!take(bucket, this.o.config.messagesPerSecond, now)) return no('CHAT_RATE_LIMITED', `at most ${this.o.config.messagesPerSecond} messages per second`);
    state.pending++;
    return new Promise<ChatAck>((resolve) => {
      const done = (ack: ChatAck) => {
        state.pending--;
        resolve(ack);
      };
      this.committer.add({ room: state, from: user, rid, text: text as string, at: now, done, ...(auction !== undefined ? { auction } : {}) });
    });
  }

  private remember(key: string, ack: ChatAck): void {
    this.acks.set(key, ack);
    if (this.acks.size > RECENT_ACKS) {
      // Map keeps insertion order: drop the oldest tenth at once.
      let drop = RECENT_ACKS / 10;
      for (const k of this.acks.keys()) {
        this.acks.delete(k);
        if (--drop === 0) break;
      }
    }
  }

  // ---- rooms ------------------------------------------------------------------------------------

  private load(id: RoomId): Promise<RoomState | null> {
    const had = this.held.get(id);
    if (had !== undefined) {
      // Most recently used last: eviction takes from the front.
      this.held.delete(id);
      this.held.set(id, had);
      return Promise.resolve(had);
    }
    let p = this.loading.get(id);
    if (p === undefined) {
      p = this.fetch(id).finally(() => this.loading.delete(id));
      this.loading.set(id, p);
    }
    return p;
  }

  private async fetch(id: RoomId): Promise<RoomState | null> {
    const { store } = this.o;
    const room = await store.room(id);
    if (room === null) return null;
    const [a, b] = room.members;
    const [last, reads, aBlocks, bBlocks] = await Promise.all([store.lastSeqs([id]), store.reads(id), store.blocks(a, b), store.blocks(b, a)]);
    const state: RoomState = { id, room, lastSeq: last.get(id) ?? 0, reads, blockers: new Set([...(aBlocks ? [a] : []), ...(bBlocks ? [b] : [])]), pending: 0 };
    // A concurrent load may have won; keep the first, whose lastSeq the committer may already advance.
    const had = this.held.get(id);
    if (had !== undefined) return had;
    this.held.set(id, state);
    if (this.held.size > this.maxRooms) this.evict();
    return state;
  }

  /** Let the least recently used idle rooms go, down to nine tenths of the bound. */
  private evict(): void {
    const target = Math.floor(this.maxRooms * 0.9);
    for (const [id, s] of this.held) {
      if (this.held.size <= target) break;
      if (s.pending === 0) this.held.delete(id);
    }
  }

  private get maxRooms(): number {
    return this.o.maxRooms ?? 100_000;
  }

  private async memberState(user: UserId, id: RoomId): Promise<RoomState> {
    const state = await this.guard(() => this.load(id));
    if (state === null || !isMember(state.room, user)) throw new OkjError('NOT_FOUND', 'no such room');
    return state;
  }

  async member(user: UserId, id: RoomId): Promise<Room> {
    return (await this.memberState(user, id)).room;
  }

  async history(user: UserId, id: RoomId, q: Partial<HistoryQuery>): Promise<ChatMessage[]> {
    await this.memberState(user, id);
    const limit = pageLimit(q.limit, this.o.config.pageSize);
    return this.guard(() => this.o.store.history(id, { ...(q.before !== undefined ? { before: q.before } : {}), ...(q.after !== undefined ? { after: q.after } : {}), limit }));
  }

  async read(user: UserId, id: RoomId, seq: number): Promise<number> {
    const state = await this.memberState(user, id);
    const to = Math.min(Math.max(0, Math.floor(seq)), state.lastSeq);
    const now = await this.guard(() => this.o.store.setRead(id, user, to));
    const before = state.reads.get(user) ?? 0;
    state.reads.set(user, Math.max(before, now));
    if (now > before) this.emit({ t: 'read', room: id, members: state.room.members, user, seq: now });
    if (now >= state.lastSeq && this.o.inbox !== undefined) {
      // Read to the end: the room's inbox item goes, and the next message raises a new one.
      const item = chatInboxId(id, user);
      await this.o.inbox.deleteInbox(user, item).catch((err: unknown) => this.o.log.error({ err }, 'chat inbox item could not be deleted'));
      this.noticed.delete(item);
    }
    return now;
  }

  async typing(user: UserId, id: RoomId): Promise<void> {
    const state = await this.memberState(user, id);
    const key = `${id}\0${user}`;
    const now = this.o.clock.now();
    const last = this.typed.get(key);
    if (last !== undefined && now - last < this.o.config.typingIntervalMs) return;
    this.typed.set(key, now);
    if (this.typed.size > 100_000) this.typed.clear(); // at worst one extra signal each
    this.emit({ t: 'typing', room: id, members: state.room.members, user });
  }

  async openRoom(user: UserId, auction: AuctionId): Promise<{ room: Room; created: boolean }> {
    const spec = await this.guard(() => this.o.auctions.spec(auction));
    if (spec === null) throw new OkjError('NOT_FOUND', 'no such auction');
    if (spec.sellerId === user) throw new OkjError('CHAT_OWN_AUCTION');
    const { store, clock, config } = this.o;
    const room: Room = { id: randomUUID(), members: pairOf(user, spec.sellerId), auctionId: auction, openedBy: user, createdAt: clock.now() };
    const existing = (await this.guard(() => store.roomsOf(user, 1_000_000))).find((s) => s.other === spec.sellerId);
    if (existing !== undefined) return { room: existing.room, created: false };
    if ((await this.guard(() => store.roomsOpenedBy(user))) >= config.maxRoomsPerUser) throw new OkjError('CHAT_TOO_MANY_ROOMS', `at most ${config.maxRoomsPerUser} rooms per user`);
    return this.guard(() => store.openRoom(room));
  }

  rooms(user: UserId): Promise<RoomSummary[]> {
    return this.guard(async () => {
      const list = await this.o.store.roomsOf(user, this.o.config.maxRoomsPerUser * 10);
      // Numbers this process holds are at least as new as the store's.
      return list.map((s) => {
        const held = this.held.get(s.room.id);
        if (held === undefined) return s;
        const readSeq = Math.max(s.readSeq, held.reads.get(user) ?? 0);
        return { ...s, readSeq, unread: Math.max(0, Math.max(held.lastSeq, s.last?.seq ?? 0) - readSeq) };
      });
    });
  }

  async block(user: UserId, id: RoomId): Promise<void> {
    const state = await this.memberState(user, id);
    await this.guard(() => this.o.store.block(user, otherMember(state.room, user), this.o.clock.now()));
    state.blockers.add(user);
  }

  async unblock(user: UserId, id: RoomId): Promise<void> {
    const state = await this.memberState(user, id);
    await this.guard(() => this.o.store.unblock(user, otherMember(state.room, user)));
    state.blockers.delete(user);
  }

  async report(user: UserId, id: RoomId, seq: number, reason: string): Promise<{ id: string }> {
    await this.memberState(user, id);
    const m = await this.guard(() => this.o.store.message(id, seq));
    if (m === null) throw new OkjError('NOT_FOUND', 'no such message');
    const reportId = await this.guard(() => this.o.store.report({ id: randomUUID(), room: id, seq, by: user, reason, at: this.o.clock.now() }));
    this.o.log.warn({ room: id, seq, by: user, report: reportId }, 'chat message reported');
    return { id: reportId };
  }

  async reports(actor: { userId: UserId; role: 'user' | 'admin' }, limit: number): Promise<ReportedMessage[]> {
    if (actor.role !== 'admin') throw new OkjError('FORBIDDEN', 'only admins read reports');
    const reports = await this.guard(() => this.o.store.reports(limit));
    return Promise.all(reports.map(async (r) => ({ ...r, message: await this.guard(() => this.o.store.message(r.room, r.seq)).catch(() => null) })));
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private emit(e: ChatEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.o.log.error({ err }, 'chat listener failed');
      }
    }
  }

  /** Store failures as STORE_UNAVAILABLE; registry errors pass through. */
  private async guard<R>(f: () => Promise<R>): Promise<R> {
    try {
      return await f();
    } catch (err) {
      if (err instanceof OkjError) throw err;
      throw new OkjError('STORE_UNAVAILABLE', 'chat is unavailable; retry');
    }
  }
}

// Chat's ports, in chat terms: rooms, messages appended in batches, read positions, blocks, reports.
// Adapters: memory (./memory.ts) and SQL (./sql.ts); one contract suite (test/chat/store.contract.test.ts).
import type { UserId } from '../../engine/kernel.ts';
import type { ChatMessage, ChatReport, HistoryQuery, Room, RoomId, RoomSummary } from '../../engine/chat/model.ts';

export type { ChatMessage, ChatReport, HistoryQuery, Room, RoomId, RoomSummary };

/** An append refused whole: a (room, seq) or a (from, rid) it holds is stored already. Nothing was stored. */
export class ChatConflictError extends Error {
  constructor(message = 'a message of the batch is stored already (same room and seq, or same sender and rid)') {
    super(message);
    this.name = 'ChatConflictError';
  }
}

export interface ChatStore {
  /** Store the room unless its pair has one; either way the pair's room. */
  openRoom(room: Room): Promise<{ room: Room; created: boolean }>;
  room(id: RoomId): Promise<Room | null>;
  /** Rooms the user opened (their auction's seller's rooms do not count). */
  roomsOpenedBy(user: UserId): Promise<number>;
  /** The user's rooms with their last message, my read position and unread count, latest activity first. */
  roomsOf(user: UserId, limit: number): Promise<RoomSummary[]>;
  /** Every message in one transaction, or none (ChatConflictError, or StoreUnavailableError). */
  append(messages: readonly ChatMessage[]): Promise<void>;
  /** The messages stored under these (from, rid) pairs. */
  byRids(keys: readonly { from: UserId; rid: string }[]): Promise<ChatMessage[]>;
  /** The highest seq of each room (0 when it has none). */
  lastSeqs(rooms: readonly RoomId[]): Promise<Map<RoomId, number>>;
  /** Messages in seq order; `before`/`after` exclusive; without `after`, the latest `limit` before `before`. */
  history(room: RoomId, q: HistoryQuery): Promise<ChatMessage[]>;
  message(room: RoomId, seq: number): Promise<ChatMessage | null>;
  /** Move a read position forward; a smaller seq never moves it back. Returns the position after. */
  setRead(room: RoomId, user: UserId, seq: number): Promise<number>;
  /** Read positions of the room's members (0 for one who never read). */
  reads(room: RoomId): Promise<Map<UserId, number>>;
  /** Idempotent. */
  block(blocker: UserId, blocked: UserId, at: number): Promise<void>;
  unblock(blocker: UserId, blocked: UserId): Promise<void>;
  blocks(blocker: UserId, blocked: UserId): Promise<boolean>;
  /** The first report of a message by a user stays; returns its id. */
  report(r: ChatReport): Promise<string>;
  reports(limit: number): Promise<ChatReport[]>;
}

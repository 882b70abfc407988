// Chat between a buyer and a seller (SPEC §7): plain data. A room joins two users (one room per pair);
// its messages are numbered 1, 2, 3 ... with no gaps; each member has a read position; a member may
// block the other.
import type { ErrorCode } from '../errors.ts';
import type { AuctionId } from '../auction/model.ts';
import type { Millis, UserId } from '../kernel.ts';

export type RoomId = string;

export interface Room {
  id: RoomId;
  /** The two members, sorted, so a pair has one spelling (and one room). */
  members: readonly [UserId, UserId];
  /** The auction the room was opened from. */
  auctionId: AuctionId | null;
  /** The member who opened it (rooms per user count these). */
  openedBy: UserId;
  createdAt: Millis;
}

/** A durable message. */
export interface ChatMessage {
  room: RoomId;
  /** 1, 2, 3 ... per room, no gaps. */
  seq: number;
  from: UserId;
  /** The sender's request id: the same (from, rid) is stored once. */
  rid: string;
  /** Stored as given, never interpreted. */
  text: string;
  at: Millis;
  /** The auction the message is about, when the sender names one (a room spans the pair's auctions). */
  auction?: AuctionId;
}

/** What a send is answered with once durable, or refused with. */
export type ChatAck =
  | { rid: string; ok: true; room: RoomId; seq: number; at: Millis }
  | { rid: string; ok: false; code: ErrorCode; message: string };

/** A page of history: `before` and `after` are seqs (exclusive); messages come in seq order. */
export interface HistoryQuery {
  before?: number;
  after?: number;
  limit: number;
}

/** One of a user's rooms, as a list shows it. */
export interface RoomSummary {
  room: Room;
  /** The other member. */
  other: UserId;
  last: ChatMessage | null;
  /** Messages after my read position. */
  unread: number;
  /** My read position (0 before I read anything). */
  readSeq: number;
  /** Whether I block the other member. */
  blocking: boolean;
}

export interface ChatReport {
  id: string;
  room: RoomId;
  seq: number;
  by: UserId;
  reason: string;
  at: Millis;
}

/** What the service publishes once durable (messages) or at once (receipts, typing), for transports. */
export type ChatEvent =
  | { t: 'msgs'; messages: readonly ChatMessage[] }
  | { t: 'read'; room: RoomId; members: readonly [UserId, UserId]; user: UserId; seq: number }
  | { t: 'typing'; room: RoomId; members: readonly [UserId, UserId]; user: UserId };

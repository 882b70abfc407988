// What transports (the socket, HTTP) may call of chat. Implemented by app/chat/service.ts. Refusals are
// thrown as OkjError with a registry code (NOT_FOUND for anyone not a member), except send's, which are
// answered in its ack.
import type { AuctionId } from '../auction/model.ts';
import type { UserId } from '../kernel.ts';
import type { ChatAck, ChatEvent, ChatMessage, HistoryQuery, Room, RoomId, RoomSummary, ChatReport } from './model.ts';

/** Whether a user has a socket following a room (the gateway knows); others get an inbox entry. */
export interface ChatPresence {
  online(room: RoomId, user: UserId): boolean;
}

/** A report as admins read it: the message it names (null if it could not be read). */
export interface ReportedMessage extends ChatReport {
  message: ChatMessage | null;
}

export interface ChatApi {
  /** Resolves once the message is durable (or refused); the same (user, rid) gets the first ack. */
  send(user: UserId, room: RoomId, rid: string, text: unknown, auction?: AuctionId): Promise<ChatAck>;
  /** The room, when the user is a member (NOT_FOUND otherwise). */
  member(user: UserId, room: RoomId): Promise<Room>;
  /** Messages of the room in seq order (before/after exclusive); the latest page without a cursor. */
  history(user: UserId, room: RoomId, q: Partial<HistoryQuery>): Promise<ChatMessage[]>;
  /** Move my read position forward (never back); the other member is told. */
  read(user: UserId, room: RoomId, seq: number): Promise<number>;
  /** The other member is told I am typing (not stored; rate-limited: extra calls are dropped). */
  typing(user: UserId, room: RoomId): Promise<void>;
  /** Open, or find, the room between the user and the seller of the auction. */
  openRoom(user: UserId, auction: AuctionId): Promise<{ room: Room; created: boolean }>;
  rooms(user: UserId): Promise<RoomSummary[]>;
  block(user: UserId, room: RoomId): Promise<void>;
  unblock(user: UserId, room: RoomId): Promise<void>;
  /** Report a message of the room to the admins; reporting it again is a no-op. */
  report(user: UserId, room: RoomId, seq: number, reason: string): Promise<{ id: string }>;
  /** Admins only (else FORBIDDEN): the latest reports, newest first, each with the message it names. */
  reports(actor: { userId: UserId; role: 'user' | 'admin' }, limit: number): Promise<ReportedMessage[]>;
  /** Durable messages, receipts and typing, in order; returns the unsubscribe. */
  onEvent(listener: (e: ChatEvent) => void): () => void;
  /** The transport that can tell who follows a room live (the socket gateway). */
  attachPresence(p: ChatPresence): void;
  /** The largest page, for transports that replay history. */
  readonly pageSize: number;
}

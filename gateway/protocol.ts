// The WebSocket protocol of SPEC §2, shared by the server and its clients (tests, SDKs): message type
// names, close codes and the shapes of server frames. Constants are `const` objects with derived unions,
// so a client imports the same names the server sends.
import type { AuctionId, AuctionStatus, ErrorCode, Millis, NoticeKind, UserId, Won } from '../engine/index.ts';
import type { OrderNoticeKind } from '../engine/payments/model.ts';

export type { OrderNoticeKind };

/** Path of the socket endpoint on the public port. */
export const WS_PATH = '/ws';
/** Query parameter that may carry the access token on the upgrade request. */
export const TOKEN_QUERY = 'access_token';

/** What a client sends (`t`). */
export const CLIENT = {
  AUTH: 'auth', SUB: 'sub', UNSUB: 'unsub', BID: 'bid', BUY: 'buy',
  // Chat (SPEC §7), on the same socket.
  CHAT_SUB: 'chat.sub', CHAT_SEND: 'chat.send', CHAT_READ: 'chat.read', CHAT_TYPING: 'chat.typing',
} as const;
export type ClientType = (typeof CLIENT)[keyof typeof CLIENT];

/** What the server sends (`t`). */
export const SERVER = {
  AUTHED: 'authed',
  UNSUBBED: 'unsubbed',
  ACK: 'ack',
  SNAP: 'snap',
  PX: 'px',
  END: 'end',
  NOTICE: 'notice',
  ERROR: 'error',
  CHAT_ACK: 'chat.ack',
  CHAT_MSG: 'chat.msg',
  CHAT_READ: 'chat.read',
  CHAT_TYPING: 'chat.typing',
} as const;
export type ServerType = (typeof SERVER)[keyof typeof SERVER];

/**
 * Close codes the server uses. Standard codes where one fits (RFC 6455 §7.4.1), 4000-4999 otherwise.
 * - SERVER_SHUTDOWN 1001 "going away": the server is stopping; reconnect (elsewhere) and resume with `since`.
 * - PAYLOAD_TOO_LARGE 1009: a frame over WS_MAX_PAYLOAD_BYTES. Frames over twice that limit are cut by
 *   uWebSockets.js itself before they are buffered, without a close frame: the client then sees DROPPED.
 * - SLOW_CONSUMER 4008: a reply (ack, snap) could not be queued because the client stopped reading
 *   while its send buffer was full. Broadcasts alone never close a socket: a lagging reader is taken off
 *   its topics and sent fresh snaps once it drains.
 * - RATE_LIMITED 4029: the client kept sending after RATE_LIMITED errors (more than one second's worth
 *   of frames over WS_COMMANDS_PER_SECOND within one second).
 */
export const CLOSE = {
  NORMAL: 1000,
  SERVER_SHUTDOWN: 1001,
  PAYLOAD_TOO_LARGE: 1009,
  SLOW_CONSUMER: 4008,
  RATE_LIMITED: 4029,
} as const;
export type CloseName = keyof typeof CLOSE;
export type CloseCode = (typeof CLOSE)[CloseName];

/**
 * The code a client's close event reports when uWebSockets.js drops the connection inside its frame
 * parser, before any handler runs and without a close frame (1006 is never sent; RFC 6455 §7.1.5 gives
 * it to a connection closed that way): a text frame that is not UTF-8 (whole or reassembled from
 * fragments), a frame over twice WS_MAX_PAYLOAD_BYTES. The server cannot answer bad UTF-8 with 1007:
 * uWebSockets.js fails the connection itself (RFC 6455 §8.1 allows it without a close frame), and no
 * callback of ours runs before the socket is gone.
 */
export const DROPPED = 1006;

/** The two encodings: text frames carry JSON, binary frames carry MessagePack. */
export type Encoding = 'json' | 'msgpack';

// ---- server frames ------------------------------------------------------------------------------------

export interface AuthedFrame { t: 'authed'; userId: UserId }
export interface UnsubbedFrame { t: 'unsubbed'; auctions: AuctionId[] }

export type AckFrame =
  | { t: 'ack'; rid: string; ok: true; seq: number; price: Won; leading: boolean; endsAt: Millis; status: AuctionStatus }
  | { t: 'ack'; rid: string; ok: false; code: ErrorCode; message: string; minNext?: Won; price?: Won };

/** The whole public state of an auction. Never a ceiling, never the reserve price. */
export interface SnapFrame {
  t: 'snap';
  auction: AuctionId;
  seq: number;
  status: AuctionStatus;
  price: Won;
  bidCount: number;
  /** Masked name of the leader. */
  leader: string | null;
  minNext: Won;
  endsAt: Millis;
  buyNowPrice: Won | null;
  reserveMet: boolean;
  /** The server's clock when the snap was made, so a client can correct its countdown. */
  now: Millis;
}

/** A price update; under load it stands for every event up to `seq` (coalesced). */
export interface PxFrame {
  t: 'px';
  auction: AuctionId;
  seq: number;
  price: Won;
  bidCount: number;
  leader: string | null;
  minNext: Won;
  endsAt: Millis;
}

export interface EndFrame {
  t: 'end';
  auction: AuctionId;
  seq: number;
  status: AuctionStatus;
  price: Won;
  /** Masked winner, null when UNSOLD or CANCELED. */
  winner: string | null;
}

/**
 * Personal: sent on every socket of the user it concerns. An order's notice (kind `order_*` or
 * `offer_*`) names the order; its `seq` is the order's event seq, `price` the order's amount, and
 * `endsAt` the order's payBy (for an offer: the offer's amount and expiry).
 */
export interface NoticeFrame {
  t: 'notice';
  kind: NoticeKind | OrderNoticeKind;
  auction: AuctionId;
  seq: number;
  price: Won;
  endsAt: Millis;
  minNext?: Won;
  /** The order an order notice is about (for `offer_made`, the order that expired). */
  order?: string;
}

export interface ErrorFrame {
  t: 'error';
  code: ErrorCode;
  message: string;
  /** Echoed when the failing frame carried a readable rid, so the client can match it to its command. */
  rid?: string;
  /** Set when the error concerns one auction of a `sub`. */
  auction?: AuctionId;
  /** Set when the error concerns one chat room (`chat.sub`, `chat.read`, `chat.typing`). */
  room?: string;
}

// ---- chat (SPEC §7) ------------------------------------------------------------------------------------

/** The answer to `chat.send`, once the message is durable (or refused); a repeated rid gets the first one. */
export type ChatAckFrame =
  | { t: 'chat.ack'; rid: string; ok: true; room: string; seq: number; at: Millis }
  | { t: 'chat.ack'; rid: string; ok: false; code: ErrorCode; message: string };

/** A durable message; every socket subscribed to the room gets them in seq order, each once. */
export interface ChatMsgFrame {
  t: 'chat.msg';
  room: string;
  seq: number;
  /** `{room}.{seq}`. */
  id: string;
  from: UserId;
  text: string;
  at: Millis;
  /** The auction the message is about, when its sender named one. */
  auction?: AuctionId;
}

/** The other member read up to `seq`. */
export interface ChatReadFrame { t: 'chat.read'; room: string; user: UserId; seq: number }

/** The other member is typing (not stored). */
export interface ChatTypingFrame { t: 'chat.typing'; room: string; user: UserId }

export type ChatFrame = ChatAckFrame | ChatMsgFrame | ChatReadFrame | ChatTypingFrame;

/** Public frames of one auction: what the per-auction topics carry and what a resume replays. */
export type PublicFrame = SnapFrame | PxFrame | EndFrame;

export type ServerFrame = AuthedFrame | UnsubbedFrame | AckFrame | PublicFrame | NoticeFrame | ErrorFrame | ChatFrame;

// The socket protocol as the SDK speaks it. Shapes and names come from gateway/protocol.ts by type-only
// imports, so no server code reaches a browser bundle. The few runtime values the SDK needs (path, close
// codes) are written here but typed against the server's constants with `satisfies`: tsc fails the
// moment the server changes one, so they cannot drift.
import type {
  CLIENT as ServerClient, CLOSE as ServerClose, TOKEN_QUERY as ServerTokenQuery, WS_PATH as ServerWsPath,
} from '../../gateway/protocol.ts';
import type { AuctionId, Won } from '../../engine/index.ts';

export type {
  AckFrame, AuthedFrame, CloseCode, Encoding, EndFrame, ErrorFrame, NoticeFrame, OrderNoticeKind, PublicFrame, PxFrame, ServerFrame, SnapFrame,
  UnsubbedFrame,
} from '../../gateway/protocol.ts';
export type { AuctionId, AuctionStatus, ErrorCode, Millis, NoticeKind, UserId, Won } from '../../engine/index.ts';

export const WS_PATH: typeof ServerWsPath = '/ws';
export const TOKEN_QUERY: typeof ServerTokenQuery = 'access_token';

export const CLOSE = {
  NORMAL: 1000,
  SERVER_SHUTDOWN: 1001,
  PAYLOAD_TOO_LARGE: 1009,
  SLOW_CONSUMER: 4008,
  RATE_LIMITED: 4029,
} as const satisfies typeof ServerClose; // a code missing, added or changed on either side fails tsc

type T = typeof ServerClient;

// ---- frames the SDK sends ------------------------------------------------------------------------------

export interface AuthMessage { t: T['AUTH']; token: string }
export interface SubMessage { t: T['SUB']; auctions: AuctionId[]; since?: Record<AuctionId, number> }
export interface UnsubMessage { t: T['UNSUB']; auctions: AuctionId[] }
export interface BidMessage { t: T['BID']; rid: string; auction: AuctionId; amount: Won; max?: Won }
export interface BuyMessage { t: T['BUY']; rid: string; auction: AuctionId }

/** A frame the client sends; `t` may be a type this SDK does not know yet (chat, SPEC §7). */
export interface OutFrame { readonly t: string }
/** A frame that carries a request id and waits for a reply (`ack`, later `chat.ack`). */
export interface CommandFrame extends OutFrame { readonly rid: string }
/** Any frame from the server; known ones narrow through ServerFrame. */
export interface InFrame { t: string; [field: string]: unknown }

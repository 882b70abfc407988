// okjangpan client SDK: the socket (live auctions, bids that are placed exactly once) and the HTTP API,
// for browsers and Node. See client/README.md.
export { createOkj, type OkjOptions } from './okj.ts';
export { OkjSocket, socketUrl, type ConnectionState, type SocketEvents, type SocketOptions } from './socket/client.ts';
export type { AuctionEvents, AuctionView } from './socket/auctions.ts';
export { ServerClock } from './socket/clock.ts';
export { Backoff, type BackoffOptions } from './socket/backoff.ts';
export { ChatStream, type ChatEvents, type ChatSocketHost, type ChatAckFrame, type ChatMsgFrame, type ChatReadFrame, type ChatTypingFrame } from './socket/chat.ts';
export { Cursors, IDS_PER_FRAME, type Cursor, type Stream, type StreamHost } from './socket/streams.ts';
export type { Timers, WebSocketFactory, WebSocketLike } from './socket/transport.ts';
export * from './socket/wire.ts';
export { OkjApi, type ApiOptions } from './http/api.ts';
export { HttpCore, type Answer, type Args, type FetchLike, type FetchResponse, type TokenSource } from './http/core.ts';
export { ApiError, type ProblemCode } from './http/errors.ts';
export { COOKIE_MODE_HEADERS, Session, type RefreshMode, type SessionEvents, type SessionOptions } from './auth/session.ts';
export { SocketError, CommandAbandoned } from './errors.ts';
export { Emitter } from './emitter.ts';
export { newRid } from './rid.ts';
export type * as Api from './api-types.ts';

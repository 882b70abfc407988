// The socket endpoint of SPEC §2 on uWebSockets.js. Every frame is rate-limited, decoded and validated
// before a handler runs; handlers only talk to the AuctionService and the hub. Limits (all from config):
// - WS_MAX_PAYLOAD_BYTES: larger frames close the socket with 1009 (PAYLOAD_TOO_LARGE). uWS is given
//   twice the limit so that it can deliver such a frame for us to close politely; beyond that, uWS cuts
//   the connection itself without reading the frame.
// - WS_MAX_SUBSCRIPTIONS per socket: a `sub` that would pass it is refused whole with TOO_MANY_SUBS.
// - WS_COMMANDS_PER_SECOND per socket (every frame counts): token bucket with a one-second burst; over it,
//   RATE_LIMITED errors, and close 4029 for a client that keeps going (see protocol.ts).
// - WS_MAX_BACKPRESSURE_BYTES: the send buffer bound (see hub.ts for the slow-consumer policy).
// - WS_IDLE_TIMEOUT_SECONDS: uWS pings automatically; a peer silent for that long is dropped.
import uWS, { type HttpRequest, type HttpResponse, type TemplatedApp, type us_socket_context_t, type WebSocket } from 'uWebSockets.js';
import { ERRORS, OkjError, type AuctionId, type Clock, type Command, type ErrorCode, type Reply, type UserId } from '../engine/index.ts';
import type { AuctionFeed, ReplyCallback } from '../engine/auction/api.ts';
import type { AuctionView } from '../engine/auction/views.ts';
import type { ChatApi } from '../engine/chat/api.ts';
import { refusal, type Authenticator, type Identity } from '../engine/accounts/identity.ts';
import type { Logger } from '../engine/logger.ts';
import { writeSecurityHeaders } from '../http/security-headers.ts';
import { decodeFrame } from './codec.ts';
import { newConn, type Conn } from './conn.ts';
import { ChatGateway, type ChatGatewayStats } from './chat/handlers.ts';
import { Feeds } from './feeds.ts';
import { ackOf, resent, snapOf } from './frames.ts';
import { Hub, type HubStats } from './hub.ts';
import type { BidMessage, BuyMessage, ClientMessage, SubMessage, UnsubMessage } from './messages.ts';
import { CLOSE, TOKEN_QUERY, WS_PATH, type ErrorFrame, type NoticeFrame } from './protocol.ts';

/** What the gateway needs of the auctions: commands, their durable views, and the feed of commits. */
export interface AuctionFront extends AuctionFeed {
  submit(cmd: Command, cb: ReplyCallback): void;
  /** The last durable view this process holds, synchronously (a snap right after a sub), or null. */
  view(id: AuctionId): AuctionView | null;
  lookup(id: AuctionId): Promise<AuctionView | null>;
}

/** The socket's limits (SPEC §2), from configuration (WS_* variables). */
export interface GatewayLimits {
  maxPayloadBytes: number;
  maxSubscriptions: number;
  commandsPerSecond: number;
  maxBackpressureBytes: number;
  idleTimeoutSeconds: number;
  /** Public frames kept per auction for `sub` with `since`; older gaps get a fresh snap. */
  resumeFrames: number;
  /** How long an ended auction's frames stay resumable. */
  keepEndedSeconds: number;
}

export interface GatewayOptions {
  app: TemplatedApp;
  service: AuctionFront;
  /** Verifies the access tokens of `auth` frames and upgrades. */
  auth: Authenticator;
  limits: GatewayLimits;
  clock: Clock;
  log: Logger;
  /** Chat on the same socket (SPEC §7); without it chat frames get UNKNOWN_TYPE. */
  chat?: ChatApi;
}

export interface Gateway {
  readonly stats: HubStats;
  /** Chat's fan-out and subscriptions; null without chat. */
  readonly chatStats: ChatGatewayStats | null;
  readonly connections: number;
  /** Auction subscriptions over every open socket (counted when asked). */
  readonly subscriptions: number;
  /** Send a personal notice (another domain's: an order's) to every socket of the user. */
  tell(to: UserId, frame: NoticeFrame): void;
  /** Refuse new upgrades and close every socket with SERVER_SHUTDOWN. */
  close(): void;
}

/** Headroom of uWS's backpressure limit over the configured one. */
const BACKSTOP_BYTES = 4096;

/** Frames queued behind an `auth` being verified; past this the client is flooding. */
const MAX_WAITING = 64;

export function attachGateway(o: GatewayOptions): Gateway {
  const { app, service, limits, clock, log } = o;
  const authenticator = o.auth;
  const feeds = new Feeds(limits.resumeFrames, limits.keepEndedSeconds * 1000);
  const hub = new Hub(app, feeds, clock, limits.maxBackpressureBytes, (id) => service.view(id));
  const conns = new Set<Conn>();
  let closing = false;
  service.onCommit(({ events, notices, views }) => hub.committed(events, notices, views));

  const fail = (c: Conn, code: ErrorCode, message?: string, extra?: { rid?: string; auction?: AuctionId; room?: string }) => {
    const f: ErrorFrame = { t: 'error', code, message: message ?? ERRORS[code].message, ...extra };
    hub.send(c, f);
  };
  const chat = o.chat === undefined ? null : new ChatGateway(o.chat, { send: (c, f) => hub.send(c, f), sendSoon: (c, f) => hub.sendSoon(c, f), fail }, limits.maxSubscriptions, log);

  // ---- handlers -----------------------------------------------------------------------------------

  function dispatch(c: Conn, m: ClientMessage): void {
    if (c.waiting !== null) {
      if (c.waiting.length >= MAX_WAITING) return fail(c, 'RATE_LIMITED', 'too many frames while authenticating');
      c.waiting.push(m);
      return;
    }
    switch (m.t) {
      case 'auth': return auth(c, m.token);
      case 'sub': return sub(c, m);
      case 'unsub': return unsub(c, m);
      case 'bid':
      case 'buy': return command(c, m);
      case 'chat.sub':
      case 'chat.send':
      case 'chat.read':
      case 'chat.typing': return chatFrame(c, m);
    }
  }

  function chatFrame(c: Conn, m: Extract<ClientMessage, { t: `chat.${string}` }>): void {
    if (chat === null) return fail(c, 'UNKNOWN_TYPE', 'chat is not enabled on this server');
    switch (m.t) {
      case 'chat.sub': return chat.sub(c, m);
      case 'chat.send': return chat.send(c, m);
      case 'chat.read': return chat.read(c, m);
      case 'chat.typing': return chat.typing(c, m);
    }
  }

  function auth(c: Conn, token: string): void {
    c.waiting = [];
    const settle = (identity: Identity | null, err?: unknown) => {
      if (c.closed) return;
      hub.bindUser(c, identity?.userId ?? null);
      c.identity = identity;
      if (identity !== null) hub.send(c, { t: 'authed', userId: identity.userId });
      else if (err instanceof OkjError) fail(c, err.code, err.message);
      else fail(c, 'UNAUTHENTICATED');
      const queued = c.waiting ?? [];
      c.waiting = null;
      // Run what arrived meanwhile, in order; a second `auth` among them queues the rest again.
      for (let i = 0; i < queued.length; i++) {
        if (c.waiting !== null) (c.waiting as ClientMessage[]).push(queued[i]);
        else dispatch(c, queued[i]);
      }
    };
    authenticator.verify(token).then((id) => settle(id), (err: unknown) => settle(null, err));
  }

  function sub(c: Conn, m: SubMessage): void {
    const ids = [...new Set(m.auctions)];
    const fresh = ids.filter((id) => !c.subs.has(id));
    if (c.subs.size + fresh.length > limits.maxSubscriptions) {
      return fail(c, 'TOO_MANY_SUBS', `at most ${limits.maxSubscriptions} subscriptions per connection`);
    }
    for (const id of fresh) c.subs.set(id, 'pending');
    for (const id of ids) {
      const since = m.since?.[id];
      const view = hub.latest(id);
      if (view !== null) {
        attach(c, id, since);
        continue;
      }
      service.lookup(id).then(
        (found) => {
          if (c.closed || !c.subs.has(id)) return;
          if (found === null) {
            c.subs.delete(id);
            return fail(c, 'NOT_FOUND', 'no such auction', { auction: id });
          }
          attach(c, id, since, found);
        },
        () => {
          if (c.closed || !c.subs.has(id)) return;
          c.subs.delete(id);
          fail(c, 'STORE_UNAVAILABLE', undefined, { auction: id });
        },
      );
    }
  }

  /** Join the auction's topic and send what the client lacks: the missed frames, or a snap. */
  function attach(c: Conn, id: AuctionId, since: number | undefined, loaded?: AuctionView): void {
    const view = hub.latest(id) ?? loaded;
    if (view === undefined || view === null) return;
    hub.watch(c, id);
    if (since !== undefined) {
      const missed = feeds.get(id)?.since(since) ?? (since === view.seq ? [] : null);
      if (missed !== null) {
        for (const f of missed) if (!hub.send(c, resent(f, clock.now()))) return;
        return;
      }
    }
    hub.send(c, snapOf(view, clock.now()));
  }

  function unsub(c: Conn, m: UnsubMessage): void {
    for (const id of m.auctions) if (c.subs.has(id)) hub.unwatch(c, id);
    hub.send(c, { t: 'unsubbed', auctions: m.auctions });
  }

  function command(c: Conn, m: BidMessage | BuyMessage): void {
    const who = c.identity;
    if (who === null) return fail(c, 'UNAUTHENTICATED', 'send auth before bidding', { rid: m.rid });
    const refused = refusal(who);
    if (refused !== null) return fail(c, refused.code, refused.message, { rid: m.rid });
    const cmd: Command = m.t === 'bid'
      ? { t: 'bid', auction: m.auction, rid: m.rid, by: who.userId, amount: m.amount, ...(m.max !== undefined ? { max: m.max } : {}) }
      : { t: 'buy', auction: m.auction, rid: m.rid, by: who.userId };
    service.submit(cmd, (reply: Reply) => {
      if (!c.closed) hub.sendSoon(c, ackOf(reply));
    });
  }

  // ---- uWS behaviour ------------------------------------------------------------------------------

  function upgrade(res: HttpResponse, req: HttpRequest, context: us_socket_context_t): void {
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    if (closing) {
      writeSecurityHeaders(res.writeStatus('503 Service Unavailable')).end();
      return;
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(req.getHeader('authorization'))?.[1];
    const c = newConn(null, limits.commandsPerSecond);
    // The token is verified after open, like an `auth` frame, so the upgrade itself stays synchronous:
    // this uWS build can shut a socket upgraded later from an async callback (uWebSockets #1928).
    c.upgradeToken = req.getQuery(TOKEN_QUERY) || bearer || null;
    res.upgrade(c, key, protocol, extensions, context);
  }

  function message(ws: WebSocket<Conn>, data: ArrayBuffer, binary: boolean): void {
    const c = ws.getUserData();
    if (c.closed) return;
    try {
      if (data.byteLength > limits.maxPayloadBytes) {
        fail(c, 'PAYLOAD_TOO_LARGE', `frames are limited to ${limits.maxPayloadBytes} bytes`);
        c.closed = true;
        ws.end(CLOSE.PAYLOAD_TOO_LARGE, 'payload too large');
        return;
      }
      hub.setEncoding(c, binary ? 'msgpack' : 'json');
      if (!c.bucket.take()) {
        if (c.strikes.hit()) {
          c.closed = true;
          ws.end(CLOSE.RATE_LIMITED, 'rate limited');
          return;
        }
        return fail(c, 'RATE_LIMITED', `at most ${limits.commandsPerSecond} frames per second`);
      }
      const checked = decodeFrame(data, binary);
      if (!checked.ok) return fail(c, checked.code, checked.message, checked.rid !== undefined ? { rid: checked.rid } : undefined);
      dispatch(c, checked.msg);
    } catch (err) {
      log.error({ err, userId: c.identity?.userId }, 'socket handler failed');
      fail(c, 'INTERNAL');
    }
  }

  function guard(f: (ws: WebSocket<Conn>) => void) {
    return (ws: WebSocket<Conn>) => {
      try {
        f(ws);
      } catch (err) {
        log.error({ err }, 'socket handler failed');
      }
    };
  }

  app.ws<Conn>(WS_PATH, {
    maxPayloadLength: limits.maxPayloadBytes * 2,
    // The hub enforces the configured limit itself; uWS's limit is a backstop above it, leaving room for
    // the SLOW_CONSUMER close frame (uWS drops any frame, a close included, once past its limit).
    maxBackpressure: limits.maxBackpressureBytes + BACKSTOP_BYTES,
    closeOnBackpressureLimit: 0,
    idleTimeout: limits.idleTimeoutSeconds,
    sendPingsAutomatically: true,
    compression: uWS.DISABLED,
    maxLifetime: 0,
    upgrade,
    // An exception must never unwind into uWS: every handler is guarded.
    open: guard((ws: WebSocket<Conn>) => {
      const c = ws.getUserData();
      c.ws = ws;
      conns.add(c);
      if (c.upgradeToken !== null) {
        const token = c.upgradeToken;
        c.upgradeToken = null;
        auth(c, token); // frames that arrive meanwhile wait for it, in order
      }
    }),
    message,
    drain: guard((ws: WebSocket<Conn>) => hub.drained(ws.getUserData())),
    close: guard((ws: WebSocket<Conn>) => {
      const c = ws.getUserData();
      c.closed = true;
      conns.delete(c);
      hub.detach(c);
      chat?.detach(c);
      c.ws = null;
    }),
  });

  return {
    stats: hub.stats,
    chatStats: chat?.stats ?? null,
    tell: (to, frame) => hub.tell(to, frame),
    get connections() {
      return conns.size;
    },
    get subscriptions() {
      let n = 0;
      for (const c of conns) n += c.subs.size;
      return n;
    },
    close() {
      closing = true;
      for (const c of [...conns]) {
        if (c.ws === null) continue;
        c.closed = true;
        c.ws.end(CLOSE.SERVER_SHUTDOWN, 'server shutting down');
      }
      feeds.clear();
      chat?.close();
    },
  };
}

// The SDK's socket: one connection to /ws that stays up by itself. It authenticates with an access token
// (renewed before it expires, and when the server refuses it), reconnects with capped exponential
// backoff and full jitter, resumes every stream it watches from the last seq it holds, and sends every
// command not yet answered again with the same rid, so each is applied at most once and answered once.
//
//   idle --connect()--> connecting --open--> open --close--> waiting --delay--> connecting ...
//                                                 \--close() by the caller--> closed
//
// Close codes (gateway/protocol.ts): SERVER_SHUTDOWN and everything unexpected reconnect with backoff;
// SLOW_CONSUMER reconnects and resumes (the server dropped us for not reading); RATE_LIMITED reconnects
// no sooner than half the backoff cap and at half the send rate; NORMAL from our own close() stays closed.
import { CommandAbandoned, SocketError } from '../errors.ts';
import { Emitter } from '../emitter.ts';
import type { TokenSource } from '../http/core.ts';
import { newRid } from '../rid.ts';
import { AuctionStream, type AuctionEvents, type AuctionView } from './auctions.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { ServerClock } from './clock.ts';
import { encode, decode } from './codec.ts';
import { Commands, type PendingCommand } from './commands.ts';
import { SendQueue } from './limiter.ts';
import { TimerSet } from './timer-set.ts';
import { SocketTokens } from './tokens.ts';
import { retryable } from './retry.ts';
import type { Stream, StreamHost } from './streams.ts';
import { OPEN, realTimers, webSocketFrom, type Timers, type WebSocketFactory, type WebSocketLike } from './transport.ts';
import {
  CLOSE, type AckFrame, type AuctionId, type AuthMessage, type BidMessage, type BuyMessage, type CommandFrame, type Encoding,
  type ErrorFrame, type InFrame, type NoticeFrame, type OutFrame, type Won,
} from './wire.ts';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

export interface SocketEvents extends AuctionEvents {
  /** The connection moved; `delayMs` is the wait before the next attempt ('waiting'). */
  state: { state: ConnectionState; code?: number; reason?: string; delayMs?: number };
  authed: { userId: string };
  notice: NoticeFrame;
  /** An error frame not answered through a command's promise, or a token that could not be renewed. */
  error: ErrorFrame | SocketError;
  /** Every decoded frame, before it is handled: for logging and for frame types added later. */
  frame: InFrame;
}

export interface SocketOptions {
  /** ws:// or wss:// URL of the endpoint (see socketUrl()). */
  url: string;
  /** The WebSocket constructor; the environment's by default (Node 20 has none: pass `ws`'s). */
  WebSocket?: WebSocketFactory;
  /** Where access tokens come from (a Session), or one fixed token; none to watch anonymously. */
  auth?: TokenSource | string | null;
  /** 'msgpack' (default) or 'json'. */
  encoding?: Encoding;
  backoff?: BackoffOptions;
  /** Frames per second sent at most (the server's limit is WS_COMMANDS_PER_SECOND, 50 by default). */
  framesPerSecond?: number;
  /** Times a command answered STORE_UNAVAILABLE or OVERLOADED is sent again before its reply is given. */
  commandRetries?: number;
  /** Injected for tests: random in [0, 1), local clock, timers, rid maker. */
  random?: () => number;
  now?: () => number;
  timers?: Timers;
  newRid?: () => string;
}

/** A connection is trusted to work (backoff starts over) once it answered, or after this long open. */
const STABLE_MS = 5_000;

export class OkjSocket extends Emitter<SocketEvents> {
  readonly clock: ServerClock;
  readonly auctions: AuctionStream;
  private readonly o: SocketOptions;
  private readonly WS: WebSocketFactory;
  private readonly encoding: Encoding;
  private readonly tokens: SocketTokens;
  private readonly timers: TimerSet;
  private readonly now: () => number;
  private readonly backoff: Backoff;
  private readonly queue: SendQueue<OutFrame>;
  private readonly commands = new Commands();
  private readonly streams: Stream[] = [];
  private readonly routes = new Map<string, Stream>();
  private readonly ackTypes = new Set<string>(['ack']);
  private ws: WebSocketLike | null = null;
  private generation = 0;
  private current: ConnectionState = 'idle';
  private user: string | null = null;
  private answered = false;
  private authRefused = false;
  private resync: unknown = null;
  private retry: unknown = null;

  constructor(o: SocketOptions) {
    super();
    this.o = o;
    this.WS = webSocketFrom(o.WebSocket);
    this.encoding = o.encoding ?? 'msgpack';
    const timers: Timers = o.timers ?? realTimers;
    this.timers = new TimerSet(timers);
    this.now = o.now ?? Date.now;
    this.backoff = new Backoff(o.backoff, o.random);
    this.clock = new ServerClock(this.now);
    this.queue = new SendQueue<OutFrame>(o.framesPerSecond ?? 40, (f) => this.write(f), this.now, timers);
    const source = typeof o.auth === 'string' ? fixedToken(o.auth) : (o.auth ?? null);
    this.tokens = new SocketTokens(source, this.timers, this.clock, this.now, (token) => {
      if (this.current === 'open') this.sendAuth(token);
    }, (err) => this.emit('error', err));
    this.auctions = new AuctionStream(this.host, this.clock, (name, e) => this.emit(name, e as SocketEvents[typeof name]));
    this.addStream(this.auctions);
  }

  // ---- public surface -----------------------------------------------------------------------------

  get state(): ConnectionState {
    return this.current;
  }

  /** The user the socket is authenticated as, once `authed`. */
  get userId(): string | null {
    return this.user;
  }

  /** Commands sent and not answered yet. */
  get pending(): CommandFrame[] {
    return this.commands.all().map((c) => c.frame);
  }

  /** The server's clock now (epoch ms), for countdowns: `view.endsAt - socket.serverNow()`. */
  serverNow(): number {
    return this.clock.now();
  }

  connect(): void {
    if (this.current === 'idle' || this.current === 'closed') void this.open();
  }

  /** Stop for good: no reconnect. Commands still waiting are rejected with CommandAbandoned. */
  close(): void {
    this.setState('closed');
    this.timers.clearAll();
    this.queue.clear();
    const ws = this.ws;
    this.ws = null;
    this.generation++;
    ws?.close(CLOSE.NORMAL, 'client closed');
    this.commands.rejectAll((f) => new CommandAbandoned(f));
  }

  /** Skip the backoff wait (the page came back online, say). */
  reconnectNow(): void {
    if (this.current === 'waiting') void this.open();
  }

  watch(auctions: AuctionId | readonly AuctionId[]): void {
    this.auctions.watch(typeof auctions === 'string' ? [auctions] : auctions);
  }

  unwatch(auctions: AuctionId | readonly AuctionId[]): void {
    this.auctions.unwatch(typeof auctions === 'string' ? [auctions] : auctions);
  }

  view(auction: AuctionId): AuctionView | undefined {
    return this.auctions.view(auction);
  }

  /** Bid; resolves with the ack, accepted or refused by a rule (ok:false with its code). */
  bid(auction: AuctionId, amount: Won, max?: Won | null, o: { rid?: string } = {}): Promise<AckFrame> {
    const f: BidMessage = { t: 'bid', rid: o.rid ?? this.rid(), auction, amount };
    if (max !== undefined && max !== null) f.max = max;
    return this.command(f) as Promise<AckFrame>;
  }

  buy(auction: AuctionId, o: { rid?: string } = {}): Promise<AckFrame> {
    const f: BuyMessage = { t: 'buy', rid: o.rid ?? this.rid(), auction };
    return this.command(f) as Promise<AckFrame>;
  }

  /**
   * Send any command with a rid and wait for its reply (a frame of a type given to addAckType, or an
   * error frame echoing the rid, which rejects). Kept and sent again after reconnects until answered.
   */
  command(frame: CommandFrame): Promise<InFrame> {
    if (this.commands.get(frame.rid) !== undefined) return Promise.reject(new Error(`a command with rid ${frame.rid} is already waiting`));
    const { reply } = this.commands.add(frame);
    if (this.current === 'open') this.queue.push(frame);
    return reply;
  }

  /** Plug in another resumable stream (chat rooms, SPEC §7): its frame types are routed to it. */
  addStream(stream: Stream): void {
    this.streams.push(stream);
    for (const t of stream.types) this.routes.set(t, stream);
    if (this.current === 'open') for (const f of stream.resume()) this.queue.push(f);
  }

  /** A reply type that settles commands by rid (`chat.ack`, later). */
  addAckType(t: string): void {
    this.ackTypes.add(t);
  }

  /** A host for a stream added later: sends go out only while connected. */
  get host(): StreamHost {
    return {
      send: (f) => {
        if (this.current === 'open') this.queue.push(f);
      },
      now: this.now,
      later: (fn, ms) => void this.timers.after(ms, fn),
    };
  }

  // ---- connection ---------------------------------------------------------------------------------

  private async open(): Promise<void> {
    const gen = ++this.generation;
    this.timers.cancel(this.retry);
    this.retry = null;
    this.ws?.close(CLOSE.NORMAL, 'reconnecting');
    this.ws = null;
    this.setState('connecting');
    let token: string | null = null;
    try {
      token = await this.tokens.forConnection();
    } catch (err) {
      // The refresh route did not answer: the server is likely down as well. Try again later.
      if (gen === this.generation) this.lost(0, `token renewal failed: ${String(err)}`);
      return;
    }
    if (gen !== this.generation) return;
    let ws: WebSocketLike;
    try {
      ws = new this.WS(this.o.url);
    } catch (err) {
      this.lost(0, String(err));
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => gen === this.generation && this.opened(token);
    ws.onmessage = (ev: { data: unknown }) => gen === this.generation && this.received(ev.data);
    ws.onclose = (ev: { code: number; reason: string }) => gen === this.generation && this.lost(ev.code, String(ev.reason ?? ''));
    ws.onerror = () => {}; // a close event follows with the code
  }

  private opened(token: string | null): void {
    this.setState('open');
    this.answered = false;
    this.authRefused = false;
    this.timers.after(STABLE_MS, () => this.backoff.reset(), true);
    // In order: who we are, what we watch, what we still wait for. The server runs frames that arrive
    // during an auth after it, in order, so the resent commands are judged as the authenticated user.
    if (token !== null) this.sendAuth(token);
    for (const s of this.streams) for (const f of s.resume()) this.queue.push(f);
    for (const c of this.commands.all()) this.queue.push(c.frame);
  }

  private lost(code: number, reason: string): void {
    this.ws = null;
    this.generation++;
    this.user = null;
    this.queue.clear();
    this.timers.clearScoped();
    this.resync = null;
    for (const s of this.streams) s.disconnected();
    if (this.current === 'closed') return;
    let delayMs: number;
    if (code === CLOSE.RATE_LIMITED) {
      this.queue.slowDown();
      this.backoff.saturate();
      delayMs = this.backoff.next(this.backoff.capMs / 2);
    } else {
      delayMs = this.backoff.next();
    }
    this.setState('waiting', { code, reason, delayMs });
    this.retry = this.timers.after(delayMs, () => {
      this.retry = null;
      void this.open();
    });
  }

  private write(frame: OutFrame): void {
    const ws = this.ws;
    if (ws === null || ws.readyState !== OPEN) return; // lost meanwhile: the next open sends it again
    ws.send(encode(frame, this.encoding));
  }

  private sendAuth(token: string): void {
    this.queue.push({ t: 'auth', token } satisfies AuthMessage as OutFrame);
    this.tokens.sent(token);
  }

  // ---- frames -------------------------------------------------------------------------------------

  private received(data: unknown): void {
    const at = this.now();
    const frame = decode(data);
    if (frame === null) return; // not ours to judge; the server never sends one
    if (!this.answered) {
      this.answered = true;
      this.backoff.reset();
    }
    this.emit('frame', frame);
    const t = frame.t;
    if (this.ackTypes.has(t) && typeof frame.rid === 'string') return this.replied(frame.rid, frame);
    switch (t) {
      case 'authed':
        this.user = String(frame.userId);
        return this.emit('authed', { userId: this.user });
      case 'error':
        return this.refused(frame as unknown as ErrorFrame);
      case 'notice':
        return this.emit('notice', frame as unknown as NoticeFrame);
      case 'unsubbed':
        return;
    }
    this.routes.get(t)?.receive(frame, at);
  }

  private replied(rid: string, frame: InFrame): void {
    const entry = this.commands.get(rid);
    if (entry === undefined) return; // a second reply to a command sent twice
    const code = frame.ok === false ? frame.code : undefined;
    if (retryable(code) && entry.retries < (this.o.commandRetries ?? 5)) {
      entry.retries++;
      const delay = Math.floor((this.o.random ?? Math.random)() * 200 * 2 ** entry.retries);
      this.timers.after(delay, () => this.resend(entry));
      return;
    }
    this.commands.resolve(rid, frame);
  }

  private resend(entry: PendingCommand): void {
    if (this.commands.get(entry.frame.rid) === entry && this.current === 'open') this.queue.push(entry.frame);
  }

  private refused(e: ErrorFrame): void {
    const entry = e.rid === undefined ? undefined : this.commands.get(e.rid);
    if (entry !== undefined) {
      if (e.code === 'UNAUTHENTICATED' && entry.reauths < 1 && !this.authRefused) {
        // Refused before it ran (the token expired): renew, authenticate again, send it again.
        entry.reauths++;
        void this.tokens.renew().then((ok) => (ok ? this.resend(entry) : this.commands.reject(entry.frame.rid, new SocketError(e.code, e.message, e.rid))));
        return;
      }
      if (e.code === 'RATE_LIMITED') return this.slowDown();
      this.commands.reject(entry.frame.rid, new SocketError(e.code, e.message, e.rid));
      return;
    }
    if (this.streams.some((s) => s.refused?.(e as unknown as InFrame) === true)) return;
    if (e.code === 'RATE_LIMITED') return this.slowDown();
    if (e.code === 'UNAUTHENTICATED' && e.rid === undefined) {
      // Our `auth` was refused: one renewal, then give up and stay anonymous (watching still works).
      if (!this.authRefused) {
        this.authRefused = true;
        void this.tokens.renew().then((ok) => {
          if (ok) this.authRefused = false;
          else this.emit('error', new SocketError('UNAUTHENTICATED', 'the access token was refused and could not be renewed'));
        });
      }
      return;
    }
    this.emit('error', e);
  }

  /**
   * The server refused frames for the rate (it does not say which): send slower, and after a pause send
   * again what may have been dropped: the subscriptions and the commands still waiting. Repeats are
   * harmless (a repeated rid gets its first reply; a repeated sub, frames already held).
   */
  private slowDown(): void {
    this.queue.slowDown();
    if (this.resync !== null) return;
    this.resync = this.timers.after(1_000, () => {
      this.resync = null;
      if (this.current !== 'open') return;
      for (const s of this.streams) for (const f of s.resume()) this.queue.push(f);
      for (const c of this.commands.all()) this.queue.push(c.frame);
    }, true);
  }

  // ---- plumbing -----------------------------------------------------------------------------------

  private setState(state: ConnectionState, extra: Omit<SocketEvents['state'], 'state'> = {}): void {
    this.current = state;
    this.emit('state', { state, ...extra });
  }

  private rid(): string {
    return (this.o.newRid ?? newRid)();
  }
}

function fixedToken(token: string): TokenSource {
  return { accessToken: async () => token, refreshAccessToken: async () => null };
}

/** The socket URL of a server given its HTTP base ('' or a path: the page's own origin). */
export function socketUrl(httpBase: string, origin?: string): string {
  const base = new URL(httpBase === '' ? '/' : httpBase, origin ?? (globalThis as { location?: { href: string } }).location?.href);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/ws`;
  return base.toString();
}

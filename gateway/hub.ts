// Fan-out. One uWS topic per auction and per user, each in both encodings (`a/{id}/j`, `a/{id}/m`,
// `u/{id}/j`, `u/{id}/m`): a frame is encoded once per encoding and published once per topic.
//
// Slow consumers: before a publish, every subscriber in that encoding whose send buffer (plus what uWS
// still queues for it, see queued.ts) would pass WS_MAX_BACKPRESSURE_BYTES is taken off all its topics
// ("lagging"), so its buffer never holds more than the limit plus one frame and no backlog builds. When it drains below half the limit it joins its
// topics again and gets one fresh `snap` per auction (and the notices held meanwhile). A direct reply
// (ack, snap, error) that would pass the limit closes the socket with SLOW_CONSUMER instead: a client
// that cannot take its acks must reconnect and retry with the same rid. uWS's own maxBackpressure is
// set above the limit (see gateway/server.ts), so it never drops a frame we let through, nor the close.
// The check reads each subscriber's buffered amount (a cheap native call) once per public frame,
// which is at most one per auction per group commit.
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { AuctionEvent, AuctionId, Clock, Notice, UserId } from '../engine/index.ts';
import type { AuctionView } from '../storage/auction/ports.ts';
import { Broadcast, encodedLength, encodeFrame } from './codec.ts';
import { MAX_HELD_NOTICES, type Conn } from './conn.ts';
import { QueuedBytes } from './queued.ts';
import type { Feeds } from './feeds.ts';
import { noticeOf, publicFrame, snapOf } from './frames.ts';
import { CLOSE, type Encoding, type NoticeFrame, type ServerFrame } from './protocol.ts';

const ENCODINGS: readonly Encoding[] = ['json', 'msgpack'];
/** A server frame's WebSocket header: 2 bytes, 4 past 125 bytes of payload, 10 past 64 KiB. */
const FRAME_HEADER = 10;
const suffix = (enc: Encoding) => (enc === 'json' ? 'j' : 'm');
export const auctionTopic = (id: AuctionId, enc: Encoding) => `a/${id}/${suffix(enc)}`;
export const userTopic = (id: UserId, enc: Encoding) => `u/${id}/${suffix(enc)}`;

export interface HubStats {
  /** Frames published to a topic (one per topic, whatever the number of subscribers). */
  published: number;
  /** Messages those publishes fanned out (one per subscriber of the topic). */
  delivered: number;
  /** Times a socket was taken off its topics for a full send buffer. */
  lagged: number;
  /** Times a lagging socket drained and was sent fresh snaps. */
  recovered: number;
  /** Sockets closed with SLOW_CONSUMER. */
  closedSlow: number;
  /** Largest send buffer seen on any socket, in bytes. */
  maxBuffered: number;
}

export class Hub {
  private readonly watchers = new Map<AuctionId, Set<Conn>>();
  private readonly users = new Map<UserId, Set<Conn>>();
  readonly stats: HubStats = { published: 0, delivered: 0, lagged: 0, recovered: 0, closedSlow: 0, maxBuffered: 0 };
  private readonly queued = new QueuedBytes();
  /** Frames for sendSoon, per socket, until the microtask that sends them. */
  private outbox = new Map<Conn, ServerFrame[]>();

  constructor(
    private readonly app: TemplatedApp,
    private readonly feeds: Feeds,
    private readonly clock: Clock,
    private readonly maxBuffered: number,
    /** The latest public view when no commit has been seen for the auction since start. */
    private readonly viewOf: (id: AuctionId) => AuctionView | null,
  ) {}

  /** The view a new subscriber's snap shows: the last committed one. */
  latest(id: AuctionId): AuctionView | null {
    return this.feeds.get(id)?.view ?? this.viewOf(id);
  }

  // ---- membership ---------------------------------------------------------------------------------

  watch(c: Conn, id: AuctionId): void {
    c.subs.set(id, 'live');
    this.feeds.watch(id);
    let set = this.watchers.get(id);
    if (set === undefined) this.watchers.set(id, (set = new Set()));
    set.add(c);
    if (!c.lagging) c.ws?.subscribe(auctionTopic(id, c.enc));
  }

  unwatch(c: Conn, id: AuctionId): void {
    if (c.subs.get(id) === 'live') c.ws?.unsubscribe(auctionTopic(id, c.enc));
    c.subs.delete(id);
    const set = this.watchers.get(id);
    if (set === undefined) return;
    set.delete(c);
    if (set.size === 0) this.watchers.delete(id);
  }

  /** Bind the socket to a user (or to nobody): it then receives that user's notices. */
  bindUser(c: Conn, userId: UserId | null): void {
    const before = c.identity?.userId ?? null;
    if (before !== null && before !== userId) {
      if (!c.lagging) c.ws?.unsubscribe(userTopic(before, c.enc));
      const set = this.users.get(before);
      set?.delete(c);
      if (set?.size === 0) this.users.delete(before);
    }
    if (userId === null || before === userId && this.users.get(userId)?.has(c)) return;
    let set = this.users.get(userId);
    if (set === undefined) this.users.set(userId, (set = new Set()));
    set.add(c);
    if (!c.lagging) c.ws?.subscribe(userTopic(userId, c.enc));
  }

  /**
   * The client switched encodings: move its topics over, so it is answered in the one it used last.
   * Join the new topics before leaving the old ones. uWS hands published frames to a socket only when
   * its loop drains (after the poll phase) or before a direct send, and a socket that leaves its last
   * topic has what is still queued for it thrown away (this uWS build frees its subscriber). A commit
   * published earlier in the same poll phase would be lost. Kept in the queue, those frames leave in
   * the encoding they were published in, before anything sent after the switch.
   */
  setEncoding(c: Conn, enc: Encoding): void {
    if (c.enc === enc) return;
    if (!c.lagging) {
      this.join(c, enc);
      this.leave(c, c.enc);
    }
    c.enc = enc;
  }

  /** Subscribe the socket to every topic it follows, in one encoding. */
  private join(c: Conn, enc: Encoding): void {
    this.eachTopic(c, enc, (ws, topic) => ws.subscribe(topic));
  }

  /** Unsubscribe the socket from every topic it follows, in one encoding. */
  private leave(c: Conn, enc: Encoding): void {
    this.eachTopic(c, enc, (ws, topic) => ws.unsubscribe(topic));
  }

  private eachTopic(c: Conn, enc: Encoding, f: (ws: WebSocket<Conn>, topic: string) => void): void {
    const ws = c.ws;
    if (ws === null) return;
    for (const [id, state] of c.subs) if (state === 'live') f(ws, auctionTopic(id, enc));
    const user = c.identity?.userId;
    if (user !== undefined) f(ws, userTopic(user, enc));
  }

  /** Forget a closed socket (uWS has already dropped its topics). */
  detach(c: Conn): void {
    for (const id of c.subs.keys()) {
      const set = this.watchers.get(id);
      set?.delete(c);
      if (set?.size === 0) this.watchers.delete(id);
    }
    const user = c.identity?.userId;
    if (user !== undefined) {
      const set = this.users.get(user);
      set?.delete(c);
      if (set?.size === 0) this.users.delete(user);
    }
  }

  // ---- direct sends -------------------------------------------------------------------------------

  /**
   * Send one frame to one socket; false (and the socket closed with SLOW_CONSUMER) when it does not fit
   * in the send buffer. The check is ours, below uWS's own limit, so the close frame still fits.
   */
  send(c: Conn, frame: ServerFrame): boolean {
    // Behind replies still waiting to leave: keep the order the socket was told things.
    const waiting = this.outbox.get(c);
    if (waiting !== undefined) {
      waiting.push(frame);
      return !c.closed;
    }
    return this.sendNow(c, frame);
  }

  /**
   * Send a reply released outside a uWS handler (a group commit's acks): queued until the releasing code
   * is done, then each socket's frames leave corked, one write per socket instead of one per frame.
   */
  sendSoon(c: Conn, frame: ServerFrame): void {
    let list = this.outbox.get(c);
    if (list === undefined) {
      if (this.outbox.size === 0) queueMicrotask(this.flushOutbox);
      this.outbox.set(c, (list = []));
    }
    list.push(frame);
  }

  private readonly flushOutbox = (): void => {
    const box = this.outbox;
    this.outbox = new Map();
    for (const [c, frames] of box) {
      const ws = c.ws;
      if (ws === null || c.closed) continue;
      ws.cork(() => {
        for (const f of frames) if (!this.sendNow(c, f)) return;
      });
    }
  };

  private sendNow(c: Conn, frame: ServerFrame): boolean {
    const ws = c.ws;
    if (ws === null || c.closed) return false;
    const data = encodeFrame(frame, c.enc);
    const buffered = ws.getBufferedAmount();
    this.sample(buffered);
    if (buffered + this.queued.get(c.queued) + encodedLength(data) + FRAME_HEADER <= this.maxBuffered) {
      // A direct send first delivers what uWS queued for the socket: nothing is queued after it.
      this.queued.delivered(c.queued);
      if (ws.send(data, c.enc === 'msgpack') !== 2) return true;
    }
    this.stats.closedSlow++;
    c.closed = true;
    ws.end(CLOSE.SLOW_CONSUMER, 'slow consumer');
    return false;
  }

  // ---- fan-out of a group commit ------------------------------------------------------------------

  /** The service's commit observer: one public frame per touched auction, then the personal notices. */
  committed(events: readonly AuctionEvent[], notices: readonly Notice[], views: ReadonlyMap<AuctionId, AuctionView>): void {
    const groups = new Map<AuctionId, { from: number; types: Set<AuctionEvent['type']> }>();
    for (const e of events) {
      let g = groups.get(e.auction);
      if (g === undefined) groups.set(e.auction, (g = { from: e.seq - 1, types: new Set() }));
      g.types.add(e.type);
    }
    const now = this.clock.now();
    for (const [id, view] of views) {
      const g = groups.get(id);
      if (g === undefined) continue;
      const frame = publicFrame(g.types, view, now);
      this.feeds.record(id, g.from, frame, view);
      const watchers = this.watchers.get(id);
      if (watchers !== undefined) this.publish((enc) => auctionTopic(id, enc), watchers, new Broadcast(frame));
    }
    for (const n of notices) this.tell(n.to, noticeOf(n));
  }

  /** A personal notice on every socket of the user (held for a lagging one); nothing when none is open. */
  tell(to: UserId, frame: NoticeFrame): void {
    const conns = this.users.get(to);
    if (conns === undefined) return;
    const b = new Broadcast(frame);
    for (const c of conns) if (c.lagging) this.hold(c, b);
    this.publish((enc) => userTopic(to, enc), conns, b, b);
  }

  private publish(topic: (enc: Encoding) => string, members: ReadonlySet<Conn>, b: Broadcast, held?: Broadcast): void {
    for (const enc of ENCODINGS) {
      const name = topic(enc);
      const subscribers = this.app.numSubscribers(name);
      if (subscribers === 0) continue;
      const data = b.get(enc);
      const len = encodedLength(data) + FRAME_HEADER;
      for (const c of members) {
        if (c.enc !== enc || c.lagging || c.ws === null) continue;
        const buffered = c.ws.getBufferedAmount();
        this.sample(buffered);
        if (buffered + this.queued.get(c.queued) + len > this.maxBuffered) {
          this.lag(c);
          if (held !== undefined) this.hold(c, held);
        } else this.queued.add(c.queued, len);
      }
      this.app.publish(name, data, enc === 'msgpack');
      this.stats.published++;
      this.stats.delivered += subscribers;
    }
  }

  private hold(c: Conn, b: Broadcast): void {
    if (b.frame.t !== 'notice') return;
    if (c.held.length >= MAX_HELD_NOTICES) c.held.shift();
    c.held.push(b.frame);
  }

  private lag(c: Conn): void {
    // Leaving its last topic throws away what uWS still queued for the socket (see setEncoding), so
    // nothing stays queued. The snap on recovery makes up for a px lost that way, not for a notice.
    this.leave(c, c.enc);
    this.queued.delivered(c.queued);
    c.lagging = true;
    this.stats.lagged++;
    // uWS calls `drain` only for a socket with backpressure; one lagged on the queued estimate alone
    // may have none, so look again once this turn is over.
    const ws = c.ws;
    if (ws !== null && ws.getBufferedAmount() <= this.maxBuffered / 2) setImmediate(() => this.drained(c));
  }

  /** uWS `drain`: a lagging socket that has caught up gets its topics back and the latest state. */
  drained(c: Conn): void {
    const ws = c.ws;
    if (ws === null || c.closed) return;
    const buffered = ws.getBufferedAmount();
    this.sample(buffered);
    if (!c.lagging || buffered + this.queued.get(c.queued) > this.maxBuffered / 2) return;
    c.lagging = false;
    this.stats.recovered++;
    const held = c.held;
    c.held = [];
    ws.cork(() => {
      this.join(c, c.enc);
      const now = this.clock.now();
      for (const [id, state] of c.subs) {
        if (state !== 'live') continue;
        const view = this.latest(id);
        if (view !== null && !this.send(c, snapOf(view, now))) return;
      }
      for (const n of held) if (!this.send(c, n)) return;
    });
  }

  private sample(buffered: number): void {
    if (buffered > this.stats.maxBuffered) this.stats.maxBuffered = buffered;
  }
}

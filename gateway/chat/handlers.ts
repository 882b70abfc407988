// Chat on the socket (SPEC §7): `chat.sub` (with `since` per room), `chat.send` -> `chat.ack`,
// `chat.read`, `chat.typing`, and the live `chat.msg`, `chat.read`, `chat.typing` to subscribers.
//
// Ordering: a subscription is registered before its history is read, so a message committed meanwhile
// is held for it; the replay is sent, then what was held, each message only if its seq is above the last
// one the socket was sent. Every socket subscribed to a room therefore gets each message once, in seq
// order, with nothing missed between the replay and the live stream. Membership is checked when a room
// is subscribed and again on every delivery (a socket re-authenticated as someone else stops receiving).
import type { ChatApi } from '../../engine/chat/api.ts';
import type { ChatEvent, ChatMessage, RoomId } from '../../engine/chat/model.ts';
import { OkjError, type ErrorCode, type UserId } from '../../engine/index.ts';
import type { Logger } from '../../engine/logger.ts';
import type { Conn } from '../conn.ts';
import type { ChatReadMessage, ChatSendMessage, ChatSubMessage, ChatTypingMessage } from '../messages.ts';
import type { ServerFrame } from '../protocol.ts';
import { chatAckOf, chatMsgOf } from './frames.ts';

interface Subscription {
  user: UserId;
  /** The last seq sent to this socket. */
  sent: number;
  /** Messages committed while the replay is read; null once live. */
  held: ChatMessage[] | null;
}

/** What the chat handlers need of the gateway. */
export interface ChatSockets {
  send(c: Conn, frame: ServerFrame): boolean;
  sendSoon(c: Conn, frame: ServerFrame): void;
  fail(c: Conn, code: ErrorCode, message?: string, extra?: { rid?: string; room?: RoomId }): void;
}

export interface ChatGatewayStats {
  /** chat.msg frames sent to sockets (the fan-out). */
  delivered: number;
  subscriptions: number;
}

export class ChatGateway {
  private readonly subs = new WeakMap<Conn, Map<RoomId, Subscription>>();
  private readonly watchers = new Map<RoomId, Set<Conn>>();
  readonly stats: ChatGatewayStats = { delivered: 0, subscriptions: 0 };
  private readonly stop: () => void;

  constructor(
    private readonly chat: ChatApi,
    private readonly io: ChatSockets,
    private readonly maxSubscriptions: number,
    private readonly log: Logger,
  ) {
    this.stop = chat.onEvent((e) => this.event(e));
    chat.attachPresence({ online: (room, user) => this.online(room, user) });
  }

  /** A socket of the user follows the room live. */
  private online(room: RoomId, user: UserId): boolean {
    for (const c of this.watchers.get(room) ?? []) if (!c.closed && this.subs.get(c)?.get(room)?.user === user) return true;
    return false;
  }

  close(): void {
    this.stop();
  }

  sub(c: Conn, m: ChatSubMessage): void {
    const user = c.identity?.userId;
    if (user === undefined) return this.io.fail(c, 'UNAUTHENTICATED', 'send auth before chat');
    const mine = this.subsOf(c);
    const rooms = [...new Set(m.rooms)];
    const fresh = rooms.filter((r) => !mine.has(r));
    if (mine.size + fresh.length > this.maxSubscriptions) return this.io.fail(c, 'TOO_MANY_SUBS', `at most ${this.maxSubscriptions} chat rooms per connection`);
    for (const room of rooms) {
      const since = m.since?.[room];
      // A room subscribed again is replayed again from its `since`: the socket asked for it.
      const s: Subscription = { user, sent: since ?? 0, held: [] };
      if (!mine.has(room)) this.stats.subscriptions++;
      mine.set(room, s);
      let set = this.watchers.get(room);
      if (set === undefined) this.watchers.set(room, (set = new Set()));
      set.add(c);
      this.replay(c, room, s, since).catch((err: unknown) => {
        this.drop(c, room);
        if (c.closed) return;
        if (err instanceof OkjError) this.io.fail(c, err.code, err.message, { room });
        else {
          this.log.error({ err, room }, 'chat replay failed');
          this.io.fail(c, 'STORE_UNAVAILABLE', undefined, { room });
        }
      });
    }
  }

  private async replay(c: Conn, room: RoomId, s: Subscription, since: number | undefined): Promise<void> {
    const page = this.chat.pageSize;
    const send = (list: readonly ChatMessage[]): boolean => {
      for (const msg of list) {
        if (msg.seq <= s.sent) continue;
        if (!this.io.send(c, chatMsgOf(msg))) return false;
        this.stats.delivered++;
        s.sent = msg.seq;
      }
      return true;
    };
    if (since === undefined) {
      const latest = await this.chat.history(s.user, room, { limit: page });
      if (this.current(c, room, s) && !send(latest)) return;
    } else {
      // A `since` past the room's last seq (a client's mistake, or a store restored from a backup) would
      // hold back every live message up to it: start from the room's last seq instead.
      const [last] = await this.chat.history(s.user, room, { limit: 1 });
      if (!this.current(c, room, s)) return;
      // What was held came after the subscription: never counted as seen.
      const before = Math.min(last?.seq ?? 0, (s.held?.[0]?.seq ?? Infinity) - 1);
      if (before < s.sent) s.sent = before;
      // Exactly the missed messages, page by page.
      for (;;) {
        const list = await this.chat.history(s.user, room, { after: s.sent, limit: page });
        if (!this.current(c, room, s) || !send(list)) return;
        if (list.length < page) break;
      }
    }
    if (!this.current(c, room, s)) return;
    const held = s.held ?? [];
    s.held = null;
    send(held);
  }

  /** Still the socket's subscription (not closed, not replaced by a later chat.sub of the room). */
  private current(c: Conn, room: RoomId, s: Subscription): boolean {
    return !c.closed && this.subs.get(c)?.get(room) === s;
  }

  send(c: Conn, m: ChatSendMessage): void {
    const user = c.identity?.userId;
    if (user === undefined) return this.io.fail(c, 'UNAUTHENTICATED', 'send auth before chat', { rid: m.rid });
    this.chat.send(user, m.room, m.rid, m.text, m.auction).then(
      (ack) => {
        if (!c.closed) this.io.sendSoon(c, chatAckOf(ack));
      },
      (err: unknown) => {
        this.log.error({ err }, 'chat send failed');
        if (!c.closed) this.io.sendSoon(c, { t: 'chat.ack', rid: m.rid, ok: false, code: 'STORE_UNAVAILABLE', message: 'retry with the same rid' });
      },
    );
  }

  read(c: Conn, m: ChatReadMessage): void {
    this.signal(c, m.room, (user) => this.chat.read(user, m.room, m.seq));
  }

  typing(c: Conn, m: ChatTypingMessage): void {
    this.signal(c, m.room, (user) => this.chat.typing(user, m.room));
  }

  private signal(c: Conn, room: RoomId, f: (user: UserId) => Promise<unknown>): void {
    const user = c.identity?.userId;
    if (user === undefined) return this.io.fail(c, 'UNAUTHENTICATED', 'send auth before chat', { room });
    f(user).catch((err: unknown) => {
      if (c.closed) return;
      if (err instanceof OkjError) this.io.fail(c, err.code, err.message, { room });
      else this.io.fail(c, 'STORE_UNAVAILABLE', undefined, { room });
    });
  }

  /** A closed socket. */
  detach(c: Conn): void {
    const mine = this.subs.get(c);
    if (mine === undefined) return;
    for (const room of [...mine.keys()]) this.drop(c, room);
  }

  private drop(c: Conn, room: RoomId): void {
    const mine = this.subs.get(c);
    if (mine?.delete(room)) this.stats.subscriptions--;
    const set = this.watchers.get(room);
    set?.delete(c);
    if (set?.size === 0) this.watchers.delete(room);
  }

  private subsOf(c: Conn): Map<RoomId, Subscription> {
    let mine = this.subs.get(c);
    if (mine === undefined) this.subs.set(c, (mine = new Map()));
    return mine;
  }

  // ---- live -------------------------------------------------------------------------------------

  private event(e: ChatEvent): void {
    if (e.t === 'msgs') {
      for (const msg of e.messages) this.deliver(msg);
      return;
    }
    const set = this.watchers.get(e.room);
    if (set === undefined) return;
    const frame: ServerFrame = e.t === 'read' ? { t: 'chat.read', room: e.room, user: e.user, seq: e.seq } : { t: 'chat.typing', room: e.room, user: e.user };
    for (const c of [...set]) {
      const s = this.subs.get(c)?.get(e.room);
      if (s === undefined || !this.stillMember(c, e.room, s, e.members)) continue;
      if (s.user !== e.user) this.io.send(c, frame);
    }
  }

  private deliver(msg: ChatMessage): void {
    const set = this.watchers.get(msg.room);
    if (set === undefined) return;
    let frame: ServerFrame | null = null;
    for (const c of [...set]) {
      const s = this.subs.get(c)?.get(msg.room);
      if (s === undefined || c.closed) continue;
      if (c.identity?.userId !== s.user) {
        this.drop(c, msg.room);
        continue;
      }
      if (s.held !== null) {
        s.held.push(msg);
        continue;
      }
      if (msg.seq <= s.sent) continue;
      frame ??= chatMsgOf(msg);
      if (!this.io.send(c, frame)) continue;
      this.stats.delivered++;
      s.sent = msg.seq;
    }
  }

  private stillMember(c: Conn, room: RoomId, s: Subscription, members: readonly UserId[]): boolean {
    if (c.closed || c.identity?.userId !== s.user || !members.includes(s.user)) {
      this.drop(c, room);
      return false;
    }
    return true;
  }
}

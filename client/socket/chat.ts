// Chat rooms (SPEC §7) on the SDK's socket: a resumable stream. Each joined room remembers the last seq
// it holds; every (re)connect sends `chat.sub` with `since` for it, so the server replays exactly what
// was missed. A `chat.msg` at or below the held seq is a repeat and dropped. `send` is a socket command:
// kept until its `chat.ack` and sent again with the same rid after a reconnect (the server answers a
// repeated rid with its first ack, so a message is stored once).
import { Emitter } from '../emitter.ts';
import type { ChatAckFrame, ChatMsgFrame, ChatReadFrame, ChatTypingFrame, ErrorFrame } from '../../gateway/protocol.ts';
import { Cursors, type Stream, type StreamHost } from './streams.ts';
import type { InFrame, OutFrame } from './wire.ts';

export type { ChatAckFrame, ChatMsgFrame, ChatReadFrame, ChatTypingFrame };

export interface ChatEvents {
  /** A message, once, in seq order per room. */
  msg: ChatMsgFrame;
  /** The other member read up to a seq. */
  read: ChatReadFrame;
  typing: ChatTypingFrame;
  /** A room the server refused (not a member: NOT_FOUND); it is no longer joined. */
  refused: { room: string; code: string; message: string };
}

/** What the chat stream needs of the socket (OkjSocket fits it). */
export interface ChatSocketHost {
  readonly host: StreamHost;
  addStream(s: Stream): void;
  addAckType(t: string): void;
  command(frame: { t: string; rid: string } & Record<string, unknown>): Promise<InFrame>;
}

/** A chat frame to send (the SDK's OutFrame names only `t`). */
const out = (f: { t: string } & Record<string, unknown>): OutFrame => f;

export class ChatStream extends Emitter<ChatEvents> implements Stream {
  readonly types = ['chat.msg', 'chat.read', 'chat.typing'] as const;
  private readonly cursors = new Cursors();
  private readonly host: StreamHost;

  constructor(private readonly socket: ChatSocketHost, private readonly newRid: () => string) {
    super();
    this.host = socket.host;
    socket.addAckType('chat.ack');
    socket.addStream(this);
  }

  /** Follow rooms: the latest page first, then live messages; after a reconnect, what was missed. */
  join(rooms: readonly string[]): void {
    const added = this.cursors.add(rooms, this.host.now());
    if (added.length > 0) this.host.send(out({ t: 'chat.sub', rooms: added }));
  }

  /** The last seq held in a room, or null. */
  seq(room: string): number | null {
    return this.cursors.get(room)?.seq ?? null;
  }

  /** Resolves with the `chat.ack` once the message is durable (or refused, ok:false). */
  send(room: string, text: string, o: { rid?: string; auction?: string } = {}): Promise<ChatAckFrame> {
    const f = { t: 'chat.send', rid: o.rid ?? this.newRid(), room, text, ...(o.auction !== undefined ? { auction: o.auction } : {}) };
    return this.socket.command(f) as unknown as Promise<ChatAckFrame>;
  }

  read(room: string, seq: number): void {
    this.host.send(out({ t: 'chat.read', room, seq }));
  }

  typing(room: string): void {
    this.host.send(out({ t: 'chat.typing', room }));
  }

  resume(): OutFrame[] {
    return this.cursors.split(this.host.now()).map(({ ids, since }) => out(Object.keys(since).length > 0 ? { t: 'chat.sub', rooms: ids, since } : { t: 'chat.sub', rooms: ids }));
  }

  receive(frame: InFrame): void {
    const f = frame as unknown as ChatMsgFrame | ChatReadFrame | ChatTypingFrame;
    const c = this.cursors.get(f.room);
    if (c === undefined) return;
    if (f.t === 'chat.msg') {
      if (c.seq !== null && f.seq <= c.seq) return;
      c.seq = f.seq;
      c.fresh = false;
      c.askedAt = null;
      this.emit('msg', f);
      return;
    }
    this.emit(f.t === 'chat.read' ? 'read' : 'typing', f as never);
  }

  refused(frame: InFrame): boolean {
    const e = frame as unknown as ErrorFrame;
    if (typeof e.room !== 'string' || this.cursors.get(e.room) === undefined) return false;
    this.cursors.remove([e.room]);
    this.emit('refused', { room: e.room, code: e.code, message: e.message });
    return true;
  }

  disconnected(): void {
    this.cursors.unask();
  }
}

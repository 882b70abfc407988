// Chat's group commit, as the journal's for bids (app/auction/committer.ts): every message sent within
// one turn of the event loop is written in one transaction; while it is in flight the next batch fills.
// Seqs are given when a batch is sealed, from each room's last durable seq, so a batch that fails or
// conflicts leaves no gap: its messages are numbered again. A conflict (a (from, rid) stored by an
// earlier run, or a seq another writer took) is resolved from the store: repeats get their first ack,
// the rooms' last seqs are read again, and the rest go out in the next batch.
//
//   send --> [open] --seal: seq = room.lastSeq + n--> [in flight] --ok--> room.lastSeq, acks, published
//                                                                 \--conflict--> resolve, requeue
//                                                                 \--failure--> STORE_UNAVAILABLE acks
import type { ChatAck, ChatMessage, RoomId } from '../../engine/chat/model.ts';
import type { UserId } from '../../engine/kernel.ts';
import { ChatConflictError, type ChatStore } from '../../storage/chat/ports.ts';

/** What the committer needs of a room: its last durable seq, owned by the service's room cache. */
export interface SeqCursor {
  readonly id: RoomId;
  lastSeq: number;
}

export interface Outgoing {
  room: SeqCursor;
  from: UserId;
  rid: string;
  text: string;
  at: number;
  auction?: string;
  done(ack: ChatAck): void;
}

export interface CommitHooks {
  /** A batch is durable: called before its acks are released. Must not throw. */
  committed(messages: readonly ChatMessage[]): void;
  /** How a repeat found in the store is answered. */
  repeated(first: ChatMessage, o: Outgoing): void;
  /** A failure that is not a conflict. */
  failed(err: unknown, count: number): void;
}

/** Attempts at one message before a run of conflicts is answered STORE_UNAVAILABLE. */
const MAX_ATTEMPTS = 3;

export class ChatCommitter {
  private open: { o: Outgoing; attempts: number }[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];
  readonly stats = { batches: 0, messages: 0, lastBatchSize: 0, conflicts: 0 };

  constructor(private readonly store: ChatStore, private readonly hooks: CommitHooks) {}

  get pending(): number {
    return this.open.length + this.inFlight;
  }

  add(o: Outgoing): void {
    this.open.push({ o, attempts: 0 });
    this.kick();
  }

  /** Resolves once nothing is pending. */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private settled(): void {
    this.inFlight = 0;
    if (this.open.length > 0) return this.kick();
    const idle = this.idle;
    this.idle = [];
    for (const f of idle) f();
  }

  private kick(): void {
    if (this.scheduled || this.inFlight > 0) return;
    this.scheduled = true;
    // setImmediate: let every frame already read this turn join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight > 0 || this.open.length === 0) return;
    const batch = this.open;
    this.open = [];
    this.inFlight = batch.length;
    const next = new Map<SeqCursor, number>();
    const messages = batch.map(({ o }) => {
      const seq = (next.get(o.room) ?? o.room.lastSeq) + 1;
      next.set(o.room, seq);
      const m: ChatMessage = { room: o.room.id, seq, from: o.from, rid: o.rid, text: o.text, at: o.at };
      if (o.auction !== undefined) m.auction = o.auction;
      return m;
    });
    try {
      await this.store.append(messages);
      for (const [room, seq] of next) if (seq > room.lastSeq) room.lastSeq = seq;
      this.stats.batches++;
      this.stats.messages += messages.length;
      this.stats.lastBatchSize = messages.length;
      this.settled(); // the next batch goes out before these acks are released
      this.hooks.committed(messages);
      for (let i = 0; i < batch.length; i++) batch[i].o.done({ rid: batch[i].o.rid, ok: true, room: messages[i].room, seq: messages[i].seq, at: messages[i].at });
    } catch (err) {
      if (err instanceof ChatConflictError) await this.resolve(batch, [...next.keys()]);
      else this.fail(batch, err);
      this.settled();
    }
  }

  private async resolve(batch: { o: Outgoing; attempts: number }[], rooms: SeqCursor[]): Promise<void> {
    this.stats.conflicts++;
    try {
      const [found, last] = await Promise.all([
        this.store.byRids(batch.map(({ o }) => ({ from: o.from, rid: o.rid }))),
        this.store.lastSeqs(rooms.map((r) => r.id)),
      ]);
      for (const r of rooms) r.lastSeq = last.get(r.id) ?? r.lastSeq;
      const stored = new Map(found.map((m) => [`${m.from}\0${m.rid}`, m]));
      const again: { o: Outgoing; attempts: number }[] = [];
      const seen = new Set<string>();
      for (const b of batch) {
        const key = `${b.o.from}\0${b.o.rid}`;
        const first = stored.get(key);
        if (first !== undefined) this.hooks.repeated(first, b.o);
        else if (seen.has(key)) again.push({ o: b.o, attempts: b.attempts }); // a repeat within the batch: after its first
        else if (b.attempts + 1 >= MAX_ATTEMPTS) this.fail([b], new Error('conflicts kept coming'));
        else again.push({ o: b.o, attempts: b.attempts + 1 });
        seen.add(key);
      }
      this.open = [...again, ...this.open];
    } catch (err) {
      this.fail(batch, err);
    }
  }

  private fail(batch: { o: Outgoing }[], err: unknown): void {
    this.hooks.failed(err, batch.length);
    for (const { o } of batch) o.done({ rid: o.rid, ok: false, code: 'STORE_UNAVAILABLE', message: 'the message could not be stored; retry with the same rid' });
  }
}

// The journal and idempotency records in memory: for tests and for a single process that may lose its
// history. Same rules as the SQL adapter (unique auction+seq, first reply wins, summary rows), and every
// object is copied on the way in and out so no caller can change what is stored.
import { replyFingerprint, type AuctionEvent, type AuctionId, type Millis, type Reply, type ReplyFingerprint } from '../../engine/index.ts';
import { MemoryLifecycle } from '../lifecycle.ts';
import {
  JournalConflictError,
  StoreUnavailableError,
  type AuctionSummary,
  type BidJournal,
  type IdempotencyStore,
  type JournalBatch,
  type PositionedEvent,
  type ReplyKey,
  type SpilledReply,
  type StoredReply,
} from './ports.ts';
import { compareReplies, replyKeyOf, replyOfEvent, repliesKeptApart } from './replies.ts';
import { LIVE_STATUSES, summaryDeltas } from './summary.ts';

/** A reply record; `withEvent` when it is read from its journal row (found only through its auction). */
interface Kept {
  r: StoredReply;
  withEvent: boolean;
}

export class MemoryJournal extends MemoryLifecycle implements BidJournal, IdempotencyStore {
  constructor() {
    super('the memory journal');
  }

  /** Each auction's events, kept sorted by seq. */
  private readonly events = new Map<AuctionId, AuctionEvent[]>();
  private readonly summaries = new Map<AuctionId, AuctionSummary>();
  private readonly replies = new Map<string, Kept>();
  /** Spilled replies by fingerprint. */
  private readonly spilled = new Map<string, { reply: Reply; at: Millis }>();
  /** Every event in append order; its index + 1 is its position (appends here never fail half-way). */
  private readonly log: AuctionEvent[] = [];

  async append(batch: JournalBatch): Promise<void> {
    this.assertOpen();
    // Check the whole batch before storing any of it.
    const seen = new Set<string>();
    for (const e of batch.events) {
      const key = e.auction + '\u0000' + e.seq;
      if (seen.has(key) || this.indexOf(e.auction, e.seq) >= 0) {
        throw new JournalConflictError(`auction ${e.auction} already has an event with seq ${e.seq}`);
      }
      seen.add(key);
    }
    // Copy the whole batch before storing any of it: a copy that fails (a value structuredClone cannot
    // take) fails this batch alone and leaves nothing half-written.
    let copies: { events: AuctionEvent[]; replies: StoredReply[] };
    try {
      copies = structuredClone({ events: batch.events, replies: batch.replies });
    } catch (err) {
      throw new StoreUnavailableError(`the memory journal cannot copy the batch: ${err instanceof Error ? err.message : String(err)}`, err);
    }
    for (const copy of copies.events) {
      this.insert(copy);
      this.log.push(copy);
    }
    const apart = new Set(repliesKeptApart(copies.events, copies.replies));
    for (const r of copies.replies) {
      const key = replyKeyOf(r.by, r.rid);
      if (this.replies.has(key)) continue;
      const list = apart.has(r) ? undefined : this.events.get(r.auction as string);
      const e = list?.[this.indexOf(r.auction as string, (r.reply as { seq: number }).seq)];
      const fromEvent = e === undefined ? null : replyOfEvent(e);
      this.replies.set(key, fromEvent !== null ? { r: fromEvent, withEvent: true } : { r, withEvent: false });
    }
    for (const d of summaryDeltas(copies.events)) {
      const old = this.summaries.get(d.id);
      this.summaries.set(d.id, {
        id: d.id,
        sellerId: d.spec?.sellerId ?? old?.sellerId ?? '',
        productId: d.spec?.productId ?? old?.productId ?? '',
        status: d.last.status,
        seq: d.last.seq,
        price: d.last.price,
        endsAt: d.last.endsAt,
        updatedAt: d.last.at,
      });
    }
  }

  async read(auction: AuctionId, afterSeq = 0, limit = Infinity): Promise<AuctionEvent[]> {
    this.assertOpen();
    return this.eventsOf(auction, afterSeq, limit);
  }

  async after(position: number, limit: number): Promise<PositionedEvent[]> {
    this.assertOpen();
    const out: PositionedEvent[] = [];
    for (let i = Math.max(0, Math.floor(position)); i < this.log.length && out.length < limit; i++) {
      out.push({ pos: i + 1, event: structuredClone(this.log[i]) });
    }
    return out;
  }

  async live(): Promise<AuctionId[]> {
    this.assertOpen();
    const live: readonly string[] = LIVE_STATUSES;
    return [...this.summaries.values()].filter((s) => live.includes(s.status)).map((s) => s.id);
  }

  async tails(after: ReadonlyMap<AuctionId, number>): Promise<Map<AuctionId, AuctionEvent[]>> {
    this.assertOpen();
    const out = new Map<AuctionId, AuctionEvent[]>();
    for (const [id, seq] of after) out.set(id, this.eventsOf(id, seq ?? 0));
    return out;
  }

  async summary(auction: AuctionId): Promise<AuctionSummary | null> {
    this.assertOpen();
    const s = this.summaries.get(auction);
    return s === undefined ? null : { ...s };
  }

  async find(key: ReplyKey, since: Millis): Promise<Reply | null> {
    return (await this.findMany([key], since))[0]?.reply ?? null;
  }

  async findMany(keys: readonly ReplyKey[], since: Millis): Promise<StoredReply[]> {
    this.assertOpen();
    const out: StoredReply[] = [];
    for (const k of keys) {
      const kept = this.replies.get(replyKeyOf(k.by, k.rid));
      if (kept === undefined || kept.r.at < since) continue;
      // Like the SQL journal, which finds a reply kept with its event only among that auction's rows.
      if (kept.withEvent && kept.r.auction !== k.auction) continue;
      out.push(structuredClone(kept.r));
    }
    for (const k of keys) {
      const s = this.spilled.get(fpKey(replyFingerprint(k.by, k.rid)));
      if (s === undefined || s.at < since) continue;
      const earlier = out.find((r) => r.by === k.by && r.rid === k.rid);
      if (earlier === undefined) out.push({ by: k.by, rid: k.rid, auction: null, reply: { ...s.reply, rid: k.rid }, at: s.at });
    }
    return out;
  }

  async spill(replies: readonly SpilledReply[]): Promise<void> {
    this.assertOpen();
    for (const r of replies) {
      const key = fpKey(r.fp);
      if (r.reply.ok && !this.spilled.has(key)) this.spilled.set(key, { reply: structuredClone(r.reply), at: r.at });
    }
  }

  async since(since: Millis): Promise<StoredReply[]> {
    this.assertOpen();
    const out: StoredReply[] = [];
    for (const { r } of this.replies.values()) if (r.at >= since) out.push(structuredClone(r));
    return out.sort(compareReplies);
  }

  async replay(since: Millis, each: (r: StoredReply) => void): Promise<number> {
    const all = await this.since(since);
    for (const r of all) each(r);
    return all.length;
  }

  async purge(before: Millis): Promise<number> {
    this.assertOpen();
    let n = 0;
    for (const [key, { r, withEvent }] of this.replies) {
      if (!withEvent && r.at < before) {
        this.replies.delete(key);
        n++;
      }
    }
    for (const [key, { at }] of this.spilled) {
      if (at < before) {
        this.spilled.delete(key);
        n++;
      }
    }
    return n;
  }

  private eventsOf(auction: AuctionId, afterSeq: number, limit = Infinity): AuctionEvent[] {
    const list = this.events.get(auction);
    if (list === undefined) return [];
    const out: AuctionEvent[] = [];
    for (const e of list) {
      if (out.length >= limit) break;
      if (e.seq > afterSeq) out.push(structuredClone(e));
    }
    return out;
  }

  /** Position of (auction, seq), or -1. */
  private indexOf(auction: AuctionId, seq: number): number {
    const list = this.events.get(auction);
    if (list === undefined) return -1;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid].seq;
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private insert(e: AuctionEvent): void {
    let list = this.events.get(e.auction);
    if (list === undefined) {
      list = [];
      this.events.set(e.auction, list);
    }
    // Events almost always arrive in seq order: append; otherwise keep the list sorted.
    if (list.length === 0 || list[list.length - 1].seq < e.seq) {
      list.push(e);
      return;
    }
    let i = list.length;
    while (i > 0 && list[i - 1].seq > e.seq) i--;
    list.splice(i, 0, e);
  }
}

const fpKey = (fp: ReplyFingerprint): string => `${fp[0]}:${fp[1]}`;

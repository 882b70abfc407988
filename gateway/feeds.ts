// What the gateway remembers per auction: the latest committed public view (what a new subscriber's
// `snap` shows: never ahead of the journal) and a bounded ring of the public frames it broadcast, so a
// client that reconnects with `since` gets exactly what it missed instead of a snap.
//
//   ring: [ f0 | f1 | ... | fN-1 ]  each entry covers the seqs (from, seq]; entry i+1 starts where i ends.
//   A resume from `since` is possible when the oldest entry's `from` <= since <= the latest seq.
// Rings exist only for auctions someone watched since start (nobody else can resume), allocated on
// their first frame: memory is about watched auctions x WS_RESUME_FRAMES x 300 bytes.
import type { AuctionId } from '../engine/index.ts';
import type { AuctionView } from '../storage/auction/ports.ts';
import type { PublicFrame } from './protocol.ts';

interface Entry { from: number; frame: PublicFrame }

export class Feed {
  view: AuctionView;
  private ring: (Entry | undefined)[] | null = null; // allocated on the first frame kept
  private head = 0; // index of the oldest entry
  private size = 0;

  constructor(view: AuctionView, private readonly capacity: number) {
    this.view = view;
  }

  /** Remember a broadcast frame covering the seqs after `from`. */
  push(from: number, frame: PublicFrame, view: AuctionView): void {
    this.view = view;
    const cap = this.capacity;
    if (cap === 0) return;
    this.ring ??= new Array<Entry | undefined>(cap);
    if (this.size < cap) {
      this.ring[(this.head + this.size) % cap] = { from, frame };
      this.size++;
    } else {
      this.ring[this.head] = { from, frame };
      this.head = (this.head + 1) % cap;
    }
  }

  /** Whether this feed keeps frames for resumes. */
  get keeps(): boolean {
    return this.capacity > 0;
  }

  /** Frames after `since`, in order; [] when nothing was missed; null when they are no longer kept. */
  since(since: number): PublicFrame[] | null {
    if (since === this.view.seq) return [];
    if (since > this.view.seq || this.ring === null || this.size === 0) return null;
    const cap = this.capacity;
    const oldest = this.ring[this.head] as Entry;
    if (oldest.from > since) return null;
    const out: PublicFrame[] = [];
    for (let i = 0; i < this.size; i++) {
      const e = (this.ring as Entry[])[(this.head + i) % cap];
      if (e.frame.seq > since) out.push(e.frame);
    }
    return out;
  }
}

export class Feeds {
  private readonly feeds = new Map<AuctionId, Feed>();
  private readonly expiry = new Map<AuctionId, NodeJS.Timeout>();
  /** Auctions someone has watched since start: only their frames are kept (no one else can resume). */
  private readonly watched = new Set<AuctionId>();

  constructor(private readonly capacity: number, private readonly keepEndedMs: number) {}

  get size(): number {
    return this.feeds.size;
  }

  get(id: AuctionId): Feed | undefined {
    return this.feeds.get(id);
  }

  /** Someone subscribed: from now on the auction's frames are kept for resumes. */
  watch(id: AuctionId): void {
    this.watched.add(id);
  }

  record(id: AuctionId, from: number, frame: PublicFrame, view: AuctionView): void {
    let feed = this.feeds.get(id);
    if (feed === undefined) {
      feed = new Feed(view, this.watched.has(id) ? this.capacity : 0);
      this.feeds.set(id, feed);
    } else if (this.watched.has(id) && !feed.keeps) {
      // First watcher of an auction seen before: start a ring (from here on).
      feed = new Feed(feed.view, this.capacity);
      this.feeds.set(id, feed);
    }
    feed.push(from, frame, view);
    // An ended auction's feed is kept a while for late resumes, then forgotten (memory stays bounded
    // by the live auctions plus those ended recently).
    if (frame.t === 'end' && !this.expiry.has(id)) {
      const timer = setTimeout(() => {
        this.feeds.delete(id);
        this.expiry.delete(id);
        this.watched.delete(id);
      }, this.keepEndedMs);
      timer.unref();
      this.expiry.set(id, timer);
    }
  }

  clear(): void {
    for (const t of this.expiry.values()) clearTimeout(t);
    this.expiry.clear();
    this.feeds.clear();
    this.watched.clear();
  }
}

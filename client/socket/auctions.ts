// The auctions a socket watches (SPEC §2): their latest public state, seq continuity and repair.
//
// Continuity. Each accepted event takes the auction's next seq, but the gateway coalesces a commit's
// events into one frame, so a px may skip seqs legitimately (gateway/frames.ts): it then stands for every
// event up to its seq. Only bids produce a px (a commit with any other event gives a snap or an end), and
// each bid adds one to bidCount, so a px continues what we hold exactly when
//   px.seq - held.seq === px.bidCount - held.bidCount.
// Anything else means a frame we never saw (a snap, say the auction being edited or opened) and the state
// may be wrong in fields a px does not carry: that is a gap. An `end` carries no bidCount, so an end that
// is not held.seq + 1 is treated as a gap too. A gap is repaired by `sub` without `since` for that
// auction, which the server answers with a fresh snap even on a socket already subscribed
// (gateway/server.ts attach); frames before that snap are dropped. A frame whose seq is not above the
// one held is a duplicate (a resume overlaps, a coalesced px) and is dropped.
import type { ServerClock } from './clock.ts';
import { Cursors, chunks, type Stream, type StreamHost } from './streams.ts';
import type { AuctionId, EndFrame, ErrorFrame, InFrame, OutFrame, PublicFrame, PxFrame, SnapFrame, SubMessage, UnsubMessage } from './wire.ts';

/** What the client knows of one auction: the last snap with every later px and end applied. */
export interface AuctionView extends Omit<SnapFrame, 't' | 'now'> {
  /** Masked winner once SOLD; null otherwise. */
  winner: EndFrame['winner'];
}

export interface AuctionEvents {
  snap: SnapFrame;
  px: PxFrame;
  end: EndFrame;
  /** A watched auction's view changed (any of the three above, applied). */
  auction: { view: AuctionView; frame: PublicFrame };
  /** A frame did not continue what was held; a fresh snap was asked for. */
  gap: { auction: AuctionId; held: number; frame: PxFrame | EndFrame };
  /** The snap that answers a gap arrived. */
  repaired: { auction: AuctionId; seq: number };
  /** A subscription was refused for good (NOT_FOUND): the auction is no longer watched. */
  refused: ErrorFrame;
}

/** How long to wait before asking again for an auction the store could not load. */
const RETRY_SUB_MS = 1_000;

export class AuctionStream implements Stream {
  readonly types = ['snap', 'px', 'end'] as const;
  private readonly cursors = new Cursors();
  private readonly views = new Map<AuctionId, AuctionView>();
  /** Gaps seen and gaps repaired, for tests and monitoring. */
  readonly gaps = { seen: 0, repaired: 0 };

  constructor(
    private readonly host: StreamHost,
    private readonly clock: ServerClock,
    private readonly emit: <K extends keyof AuctionEvents>(name: K, e: AuctionEvents[K]) => void,
  ) {}

  view(id: AuctionId): AuctionView | undefined {
    return this.views.get(id);
  }

  watched(): AuctionId[] {
    return this.cursors.ids();
  }

  watch(ids: readonly AuctionId[]): void {
    const added = this.cursors.add(ids, this.host.now());
    for (const part of chunks(added)) this.host.send(sub(part));
  }

  unwatch(ids: readonly AuctionId[]): void {
    const removed = this.cursors.remove(ids);
    for (const id of removed) this.views.delete(id);
    for (const part of chunks(removed)) this.host.send(unsub(part));
  }

  resume(): OutFrame[] {
    return this.cursors.split(this.host.now()).map(({ ids, since }) => sub(ids, since));
  }

  disconnected(): void {
    this.cursors.unask();
  }

  receive(frame: InFrame, receivedAt: number): void {
    const f = frame as unknown as PublicFrame;
    const cur = this.cursors.get(f.auction);
    if (f.t === 'snap') {
      // Any snap says what time it is on the server; one that answers our sub also bounds the delay.
      this.clock.add({ serverNow: f.now, receivedAt, ...(cur?.askedAt != null ? { sentAt: cur.askedAt } : {}) });
    }
    if (cur === undefined) return; // unwatched meanwhile
    cur.askedAt = null; // whatever came first answered our sub (a resume may answer with missed frames)
    const held = this.views.get(f.auction);
    if (f.t === 'snap') {
      if (held !== undefined && (f.seq < held.seq || (f.seq === held.seq && !cur.fresh))) return; // nothing new
      const repaired = cur.fresh && held !== undefined;
      cur.fresh = false;
      this.apply(f, fromSnap(f));
      if (repaired) {
        this.gaps.repaired++;
        this.emit('repaired', { auction: f.auction, seq: f.seq });
      }
      return;
    }
    if (held === undefined || cur.fresh) return; // waiting for a snap: it will say everything
    if (f.seq <= held.seq) return; // already held
    if (!continues(held, f)) {
      cur.fresh = true;
      this.gaps.seen++;
      this.emit('gap', { auction: f.auction, held: held.seq, frame: f });
      cur.askedAt = this.host.now();
      this.host.send(sub([f.auction]));
      return;
    }
    if (f.t === 'px') {
      this.apply(f, { ...held, seq: f.seq, price: f.price, bidCount: f.bidCount, leader: f.leader, minNext: f.minNext, endsAt: f.endsAt });
    } else {
      this.apply(f, { ...held, seq: f.seq, status: f.status, price: f.price, winner: f.winner });
    }
  }

  refused(frame: InFrame): boolean {
    const e = frame as unknown as ErrorFrame;
    if (e.auction === undefined || this.cursors.get(e.auction) === undefined) return false;
    if (e.code === 'STORE_UNAVAILABLE') {
      // The server forgot the subscription; ask again while we still watch it.
      this.host.later(() => {
        const cur = e.auction === undefined ? undefined : this.cursors.get(e.auction);
        if (cur === undefined) return;
        cur.askedAt = this.host.now();
        this.host.send(sub([e.auction as string]));
      }, RETRY_SUB_MS);
      return true;
    }
    this.cursors.remove([e.auction]);
    this.views.delete(e.auction);
    this.emit('refused', e);
    return true;
  }

  private apply(frame: PublicFrame, view: AuctionView): void {
    this.views.set(view.auction, view);
    const cur = this.cursors.get(view.auction);
    if (cur !== undefined) cur.seq = view.seq;
    if (frame.t === 'snap') this.emit('snap', frame);
    else if (frame.t === 'px') this.emit('px', frame);
    else this.emit('end', frame);
    this.emit('auction', { view, frame });
  }
}

function sub(auctions: AuctionId[], since: Record<AuctionId, number> = {}): SubMessage {
  return Object.keys(since).length > 0 ? { t: 'sub', auctions, since } : { t: 'sub', auctions };
}

const unsub = (auctions: AuctionId[]): UnsubMessage => ({ t: 'unsub', auctions });

function fromSnap(s: SnapFrame): AuctionView {
  const { t: _t, now: _now, ...rest } = s;
  return { ...rest, winner: s.status === 'SOLD' ? s.leader : null };
}

/** Whether a px or end follows what is held with nothing missed in between (see the top of this file). */
export function continues(held: AuctionView, f: PxFrame | EndFrame): boolean {
  if (f.t === 'end') return f.seq === held.seq + 1;
  return held.status === 'OPEN' && f.seq - held.seq === f.bidCount - held.bidCount;
}

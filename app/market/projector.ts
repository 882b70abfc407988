// The marketplace behind the journal: every committed batch becomes one projection step (listing facts,
// bidders, and for an auction that ended its order and inbox rows). (The outbox needs no step: it is the
// journal itself, read by position; see ./outbox.ts.) A step is written through the database's one write
// path (on SQLite its statements ride the journal's next append on the writer thread). It is safe to
// repeat because everything a step writes is keyed (auction,
// auction + user + kind, one order per auction) and the listing's close is marked recorded last, so re-running a
// step, or the rest of one cut short, changes nothing. Steps queue while one is in flight and go
// together; a failed step is kept and retried. After a crash, catchUp() re-runs the steps of every
// listing whose close is not recorded yet, from the journal.
import { AuctionActor, type AuctionEvent, type AuctionId, viewOf } from '../../engine/index.ts';
import type { AuctionQueries, CommittedBatch } from '../../engine/auction/api.ts';
import type { BidJournal } from '../../storage/auction/ports.ts';
import type { ListingFacts, Market, Projection } from '../../storage/market/ports.ts';
import type { Logger } from '../../engine/logger.ts';
import { endsAuction, factsOf, closeEffectsOf } from './close-effects.ts';

export interface ProjectorOptions {
  market: Market;
  journal: BidJournal;
  /** What the projector reads of auctions beside their commits: the live ones, and their durable views. */
  auctions: Pick<AuctionQueries, 'live' | 'lookup'>;
  paymentMs: number;
  log: Logger;
  retryMs?: number;
  /** Least time between the starts of two steps, so steps coalesce under load (default 250 ms). */
  everyMs?: number;
}

/** (auction, bidder) pairs already projected, at most this many remembered (then forgotten at once). */
const KNOWN_BIDDERS = 1_000_000;

const empty = (): Projection => ({ facts: [], bidders: [], closes: [] });

const ENDING_NOTICES = new Set(['won', 'lost', 'canceled']);

export class Projector {
  private pending = empty();
  private readonly facts = new Map<AuctionId, ListingFacts>();
  private writing: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private paceTimer: NodeJS.Timeout | null = null;
  private lastStart = 0;
  /** Bidders written already: a bidder's row needs writing once, not once per bid. */
  private readonly knownBidders = new Set<string>();
  private stopped = false;

  constructor(private readonly o: ProjectorOptions) {}

  /** The auctions' commit observer: each batch carries the spec of every auction it touched. */
  committed({ events, notices, views, specs }: CommittedBatch): void {
    for (const e of events) {
      const spec = specs.get(e.auction);
      if (spec === undefined) continue; // not held: catchUp() will project it from the journal
      this.addBidder(e);
      if (endsAuction(e)) {
        const involved = notices.filter((n) => n.auction === e.auction && ENDING_NOTICES.has(n.kind)).map((n) => n.to);
        this.pending.closes.push(closeEffectsOf(e, spec, involved, this.o.paymentMs));
      }
    }
    for (const [id, view] of views) {
      const spec = specs.get(id);
      if (spec !== undefined) this.addFacts(factsOf(view, spec));
    }
    this.kick();
  }

  /** A bid's or buy-now's bidder, for "my auctions as bidder" (once per auction and bidder). */
  private addBidder(e: AuctionEvent): void {
    if ((e.type === 'bid' || e.type === 'bought') && e.by !== null) {
      const key = `${e.auction}\u0000${e.by}`;
      if (this.knownBidders.has(key)) return;
      if (this.knownBidders.size >= KNOWN_BIDDERS) this.knownBidders.clear();
      this.knownBidders.add(key);
      this.pending.bidders.push({ auctionId: e.auction, userId: e.by });
    }
  }

  private addFacts(f: ListingFacts): void {
    const old = this.facts.get(f.id);
    if (old === undefined || old.seq < f.seq) this.facts.set(f.id, f);
  }

  /**
   * Re-run the projection of every auction whose listing is behind its journal or whose close is not recorded: live
   * auctions, and any whose close a crash interrupted. Returns how many were projected.
   */
  async catchUp(): Promise<number> {
    const awaiting = await this.o.market.awaitingCloseEffects();
    const seen = new Map<AuctionId, number>(awaiting.map((u) => [u.id, u.seq]));
    for (const id of await this.o.auctions.live()) if (!seen.has(id)) seen.set(id, 0);
    // A live auction whose durable view is at the listing's seq is up to date: no need to read its journal.
    const ids: AuctionId[] = [];
    for (const [id, seq] of seen) if ((await this.o.auctions.lookup(id).catch(() => null))?.seq !== seq) ids.push(id);
    let projected = 0;
    for (let i = 0; i < ids.length; i += 200) {
      const part = ids.slice(i, i + 200);
      const tails = await this.o.journal.tails(new Map(part.map((id) => [id, 0])));
      for (const id of part) {
        const events = tails.get(id) ?? [];
        if (events.length === 0 || events[0].type !== 'created') continue;
        const state = AuctionActor.fromEvents(events).state;
        const after = seen.get(id) ?? 0;
        const ended = state.status !== 'OPEN' && state.status !== 'PENDING';
        if (after >= state.seq && !ended) continue;
        for (const e of events) if (e.seq > after) this.addBidder(e);
        this.addFacts(factsOf(viewOf(state), state.spec));
        if (ended) {
          const last = events[events.length - 1];
          this.pending.closes.push(closeEffectsOf(last, state.spec, [...state.participants, ...(state.winner ? [state.winner] : [])], this.o.paymentMs));
        }
        projected++;
      }
    }
    this.kick();
    await this.drain();
    return projected;
  }

  private kick(): void {
    if (this.writing !== null || this.stopped || this.paceTimer !== null) return;
    // Paced: under load a step every `everyMs` carries many batches (the listing facts of an auction
    // coalesce), instead of a transaction (and an fsync) per group commit beside the journal's.
    const wait = this.lastStart + (this.o.everyMs ?? 250) - Date.now();
    if (wait > 0) {
      this.paceTimer = setTimeout(() => {
        this.paceTimer = null;
        this.kick();
      }, wait);
      this.paceTimer.unref();
      return;
    }
    const step: Projection = { ...this.pending, facts: [...this.facts.values()] };
    if (step.facts.length + step.bidders.length + step.closes.length === 0) return;
    this.pending = empty();
    this.facts.clear();
    this.lastStart = Date.now();
    this.writing = this.o.market.project(step).then(
      () => {
        this.writing = null;
        this.kick();
      },
      (err: unknown) => {
        this.writing = null;
        // Keep it, ahead of what came meanwhile, and try again.
        this.pending = {
          facts: [], bidders: [...step.bidders, ...this.pending.bidders],
          closes: [...step.closes, ...this.pending.closes],
        };
        for (const f of step.facts) this.addFacts(f);
        this.o.log.warn({ err }, 'marketplace projection failed; retrying');
        if (this.retryTimer === null && !this.stopped) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            this.kick();
          }, this.o.retryMs ?? 1000);
          this.retryTimer.unref();
        }
      },
    );
  }

  /** Resolves when everything handed over so far is written (or has failed once). */
  async drain(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      if (this.writing !== null) {
        await this.writing;
        continue;
      }
      // Whatever waits for its pace goes now.
      if (this.paceTimer !== null) clearTimeout(this.paceTimer);
      this.paceTimer = null;
      this.lastStart = 0;
      this.kick();
      if (this.writing === null) return;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.paceTimer !== null) clearTimeout(this.paceTimer);
  }
}

// The auction service: the engine's registry made durable. A command is applied by its actor at once,
// its outcome joins the group commit, and the reply is released only when the journal has it.
// When a commit fails, every auction it touched is set aside (quarantined) and rebuilt from the store
// once the store answers again, so memory never runs ahead of what is durable.
import {
  AuctionActor, AuctionRegistry, initialState, OkjError, RecentReplies, reject, REPLY_TTL_MS, validId, validRid,
  type AuctionEvent, type AuctionId, type AuctionState, type Clock, type Command, type Notice, type Outcome,
  type Reply, type UserId, type CloseTimer, viewOf, silentLogger, bestBidsOf,
  type AuctionCommands, type AuctionFeed, type AuctionQueries, type AuctionSpec, type BidderBest, type CommitObserver,
  type LiveInvolvement, type Logger, type ReplyCallback,
} from '../../engine/index.ts';
import type { AuctionBoard, AuctionView, BidJournal, IdempotencyStore, ReplyKey, SnapshotStore, StoredReply } from '../../storage/auction/ports.ts';
import type { CloseScheduler } from '../../storage/auction/closes/ports.ts';
import type { CommitListener } from './committer.ts';
import { CommitLanes } from './lanes.ts';
import { ReplyPrecheck } from './precheck.ts';
import { ReplySpill } from './spill.ts';
import { ProcessCloseTimers } from './timers.ts';
import { UnknownAuctionBudget, type UnknownBudgetOptions } from './unknown-budget.ts';


export interface ServiceOptions {
  clock: Clock;
  journal: BidJournal;
  idempotency: IdempotencyStore;
  snapshots: SnapshotStore;
  board: AuctionBoard;
  logger?: Logger;
  /** Commands waiting for the journal before new ones get OVERLOADED. */
  maxPending?: number;
  /** Group committers the auctions are split over (app/lanes.ts); 1 unless the store commits in parallel. */
  commitLanes?: number;
  /** A full snapshot is written after this many events of an auction (and at its end). */
  snapshotEvery?: number;
  /** How long a closed auction's actor stays in memory to answer late commands cheaply. */
  retireAfterMs?: number;
  /** How often quarantined auctions are retried against the store. */
  reloadEveryMs?: number;
  replies?: RecentReplies;
  /** Where closes are scheduled; in-process timers when absent. */
  closeScheduler?: CloseScheduler;
  /** How many AUCTION_NOT_FOUND replies are remembered (app/unknown-budget.ts). */
  unknownAuctions?: UnknownBudgetOptions;
}


interface Sealed {
  views: Map<AuctionId, AuctionView>;
  specs: Map<AuctionId, AuctionSpec>;
  snapshots: AuctionState[];
}

export interface RecoveryStats {
  auctions: number;
  events: number;
  replies: number;
  ms: number;
}

const unavailable = (rid: string): Reply => reject(rid, 'STORE_UNAVAILABLE');

/**
 * Evicted reply generations (about 35 MB each at the default bound) held while the store has not taken
 * them: past this, commands are refused OVERLOADED rather than let memory grow (app/spill.ts).
 */
const MAX_EVICTED_WAITING = 4;

export class AuctionService implements AuctionCommands, AuctionQueries, AuctionFeed {
  readonly registry: AuctionRegistry;
  readonly replies: RecentReplies;
  readonly unknownBudget: UnknownAuctionBudget;
  private readonly committer: CommitLanes<Sealed>;
  private readonly spill: ReplySpill;
  private readonly timers: CloseTimer & { stop(): void };
  private readonly observers: CommitObserver[] = [];
  private readonly loading = new Map<AuctionId, Promise<boolean>>();
  private readonly quarantined = new Set<AuctionId>();
  private readonly snapshotSeq = new Map<AuctionId, number>();
  /** The view of each held auction as of its last durable event (set at load and at every commit). */
  private readonly durableViews = new Map<AuctionId, AuctionView>();
  private reloadTimer: NodeJS.Timeout | null = null;
  private readonly purgeTimer: NodeJS.Timeout;
  /** Keys of replies whose commit failed, to check against the store once it answers. */
  private readonly unsure: ReplyKey[] = [];
  /** Idempotency past the in-memory bound (./precheck.ts). */
  private readonly precheck: ReplyPrecheck;
  private readonly log: Logger;
  private readonly snapshotEvery: number;
  private readonly retireAfterMs: number;
  private readonly reloadEveryMs: number;
  private stopped = false;

  constructor(private readonly o: ServiceOptions) {
    this.log = o.logger ?? silentLogger;
    this.snapshotEvery = o.snapshotEvery ?? 256;
    this.retireAfterMs = o.retireAfterMs ?? 60_000;
    this.reloadEveryMs = o.reloadEveryMs ?? 250;
    this.replies = o.replies ?? new RecentReplies();
    this.unknownBudget = new UnknownAuctionBudget(o.unknownAuctions);
    this.timers = o.closeScheduler?.bind((id) => this.closeDue(id)) ?? new ProcessCloseTimers(o.clock, (id) => this.closeDue(id));
    this.registry = new AuctionRegistry({ clock: o.clock, timer: this.timers, replies: this.replies });
    const listener: CommitListener<Sealed> = {
      sealed: (events) => this.seal(events),
      committed: (events, notices, sealed) => this.committed(events, notices, sealed),
      failed: (events, replies, err) => this.failed(events, replies, err),
    };
    this.committer = new CommitLanes(o.journal, listener, { lanes: o.commitLanes ?? 1, maxPending: o.maxPending ?? 100_000 });
    this.spill = new ReplySpill({
      store: o.idempotency, replies: this.replies, settled: (done) => this.committer.afterAll(done), log: this.log, retryMs: this.reloadEveryMs,
    });
    this.precheck = new ReplyPrecheck({
      store: o.idempotency, replies: this.replies, clock: o.clock, log: this.log, beforeAsking: () => this.spill.releaseDurable(),
    });
    // Durable reply records past their 24 hours are deleted hourly; a failure is retried the next hour.
    this.purgeTimer = setInterval(() => {
      this.o.idempotency.purge(this.o.clock.now() - REPLY_TTL_MS).catch((err: unknown) => this.log.warn({ err }, 'reply purge failed'));
    }, 3_600_000);
    this.purgeTimer.unref();
  }

  get commitStats() {
    return this.committer.stats;
  }

  get pending(): number {
    return this.committer.pending;
  }

  get quarantinedCount(): number {
    return this.quarantined.size;
  }

  onCommit(observer: CommitObserver): void {
    this.observers.push(observer);
  }

  /**
   * The last durable public view of an auction this process holds, or null. Never the actor's live
   * state, which may be a batch ahead of the journal.
   */
  view(id: AuctionId): AuctionView | null {
    return this.durableViews.get(id) ?? null;
  }

  /**
   * The public view of an auction, loading it from the store when this process does not hold it (a
   * closed auction retired from memory); null when the store does not know it. Rejects with
   * STORE_UNAVAILABLE when the store cannot answer.
   */
  async lookup(id: AuctionId): Promise<AuctionView | null> {
    const held = this.view(id);
    if (held !== null) return held;
    if (this.quarantined.has(id)) throw new OkjError('STORE_UNAVAILABLE');
    let found: boolean;
    try {
      found = await this.load(id);
    } catch (err) {
      this.log.warn({ err, auction: id }, 'could not load auction');
      throw new OkjError('STORE_UNAVAILABLE');
    }
    return found ? this.view(id) : null;
  }

  async spec(id: AuctionId): Promise<AuctionSpec | null> {
    if (this.registry.get(id) === undefined && (await this.lookup(id)) === null) return null;
    return this.registry.get(id)?.state.spec ?? null;
  }

  live(): Promise<AuctionId[]> {
    return this.o.journal.live();
  }

  /**
   * One process holds every PENDING and OPEN auction (recovery loads them all), so its actors are the
   * whole answer. Several nodes (SPEC §9) would ask each owner; the callers do not change.
   */
  async involving(user: UserId): Promise<LiveInvolvement[]> {
    const out: LiveInvolvement[] = [];
    for (const { state: s } of this.registry.actorsInMemory()) {
      if (s.status !== 'PENDING' && s.status !== 'OPEN') continue;
      if (s.leader !== user && s.spec.sellerId !== user) continue;
      out.push({ id: s.spec.id, status: s.status, sellerId: s.spec.sellerId, leader: s.leader, bidCount: s.bidCount });
    }
    return out;
  }

  history(id: AuctionId, after: number, limit: number): Promise<AuctionEvent[]> {
    return this.o.journal.read(id, after, limit);
  }

  async bestBids(id: AuctionId): Promise<BidderBest[]> {
    return bestBidsOf(await this.o.journal.read(id, 0));
  }

  /** Apply a command; `cb` gets the reply once it is durable (or why it is not). */
  submit(cmd: Command, cb: ReplyCallback): void {
    const rid = typeof cmd.rid === 'string' ? cmd.rid : '';
    if (this.stopped) return cb(unavailable(rid));
    if (cmd.t !== 'close' && this.overloaded()) return cb(reject(rid, 'OVERLOADED'));
    if (cmd.t !== 'close' && this.precheck.needed) return this.precheck.check({ by: cmd.by, rid, auction: cmd.auction }, () => this.route(cmd, cb), cb);
    this.route(cmd, cb);
  }

  private overloaded(): boolean {
    return this.committer.full || this.spill.waiting > MAX_EVICTED_WAITING;
  }

  private route(cmd: Command, cb: ReplyCallback): void {
    if (this.quarantined.has(cmd.auction)) return cb(unavailable(cmd.rid ?? ''));
    if (this.registry.get(cmd.auction) === undefined) return this.loadThen(cmd, cb);
    this.registry.dispatch(cmd, (out) => this.finish(cmd, out, cb));
  }

  submitAsync(cmd: Command): Promise<Reply> {
    return new Promise((resolve) => this.submit(cmd, resolve));
  }

  /** Create a PENDING auction; durable before the reply. */
  create(spec: unknown, by: UserId, rid: string, cb: ReplyCallback): void {
    if (this.stopped) return cb(unavailable(rid));
    if (this.overloaded()) return cb(reject(rid, 'OVERLOADED'));
    const id = (spec as { id?: unknown } | null)?.id;
    const cmd = { t: 'create', auction: typeof id === 'string' ? id : '', by, rid } as const;
    if (typeof id === 'string' && this.quarantined.has(id)) return cb(unavailable(rid));
    const key: ReplyKey = { by, rid, auction: typeof id === 'string' ? id : null };
    const apply = () => this.registry.create(spec, by, rid, (out) => this.finish(cmd, out, cb));
    // An id the store already knows must not be created again: load it first so the engine sees it.
    const route = () => {
      if (typeof id === 'string' && this.registry.get(id) === undefined) {
        this.load(id).then(
          (found) => this.afterLoad(key, () => (found && this.registry.get(id) === undefined ? route() : apply()), cb),
          () => cb(unavailable(rid)),
        );
      } else apply();
    };
    if (this.precheck.needed) this.precheck.check(key, route, cb);
    else route();
  }

  createAsync(spec: unknown, by: UserId, rid: string): Promise<Reply> {
    return new Promise((resolve) => this.create(spec, by, rid, resolve));
  }

  private finish(cmd: Command | { t: 'create'; auction: string; by: UserId; rid: string }, out: Outcome, cb: ReplyCallback): void {
    const reply = out.reply;
    if (out.replayed) {
      // The first reply may sit in a batch that is not durable yet, on any lane (it may have named
      // another auction): answer once every lane has written what it held.
      return this.committer.afterAll((err) => cb(err ? unavailable(reply.rid) : reply));
    }
    if (!reply.ok && reply.code === 'INVALID_RID') return cb(reply);
    const stored: StoredReply | null = cmd.t === 'close'
      ? null
      // An id no auction can have (a long HTTP path segment) is not kept: the column holds 64 characters.
      : { by: cmd.by, rid: cmd.rid, auction: validId(cmd.auction) ? cmd.auction : null, reply, at: this.o.clock.now() };
    if (out.event === null && stored === null) return cb(reply);
    this.committer.add(cmd.auction, out.event, stored, out.notices, (err) => cb(err ? unavailable(reply.rid) : reply));
  }

  // ---- loading, quarantine and recovery -----------------------------------------------------------

  private loadThen(cmd: Command, cb: ReplyCallback): void {
    this.load(cmd.auction).then(
      (found) => {
        const decide = () => {
          if (this.quarantined.has(cmd.auction)) return cb(unavailable(cmd.rid ?? ''));
          if (this.registry.get(cmd.auction) === undefined) {
            if (found) return this.route(cmd, cb); // retired meanwhile: load it again
            if (!this.mayAnswerUnknown(cmd)) return cb(reject(cmd.rid ?? '', 'OVERLOADED'));
          }
          this.registry.dispatch(cmd, (out) => this.finish(cmd, out, cb));
        };
        if (cmd.t === 'close') decide();
        else this.afterLoad({ by: cmd.by, rid: cmd.rid, auction: cmd.auction }, decide, cb);
      },
      (err: unknown) => {
        this.log.warn({ err, auction: cmd.auction }, 'could not load auction');
        cb(unavailable(cmd.rid ?? ''));
      },
    );
  }

  /**
   * Decide a command whose auction had to be loaded. In pre-check mode, only in the turn of a store
   * answer: while the load waited, evicted replies may have been released (app/spill.ts).
   */
  private afterLoad(key: ReplyKey, decide: () => void, cb: ReplyCallback): void {
    if (this.precheck.needed) this.precheck.check(key, decide, cb);
    else decide();
  }

  /**
   * May a command naming an auction the store does not know go to the engine? It answers with the first
   * reply to (by, rid) if there is one, else with AUCTION_NOT_FOUND, which it remembers: that costs
   * the budget, and past it the command is refused without being remembered.
   */
  private mayAnswerUnknown(cmd: Command): boolean {
    if (cmd.t === 'close' || !validRid(cmd.rid) || typeof cmd.by !== 'string') return true; // nothing is remembered
    const now = this.o.clock.now();
    return this.replies.get(cmd.by, cmd.rid, now) !== undefined || this.unknownBudget.take(cmd.by, now);
  }

  /** Bring an auction into memory from its snapshot and journal tail; false when the store has none. */
  private load(id: AuctionId): Promise<boolean> {
    if (this.registry.get(id) !== undefined) return Promise.resolve(true);
    let p = this.loading.get(id);
    if (p === undefined) {
      p = this.rebuild([id]).then((n) => n > 0).finally(() => this.loading.delete(id));
      this.loading.set(id, p);
    }
    return p;
  }

  /** Rebuild actors from snapshots plus journal tails; returns how many were adopted. */
  private async rebuild(ids: readonly AuctionId[]): Promise<number> {
    const snaps = await this.o.snapshots.get(ids);
    const after = new Map<AuctionId, number>();
    for (const id of ids) after.set(id, snaps.get(id)?.seq ?? 0);
    const tails = await this.o.journal.tails(after);
    let adopted = 0;
    for (const id of ids) {
      if (this.registry.get(id) !== undefined) continue; // taken in meanwhile
      const snap = snaps.get(id);
      const tail = tails.get(id) ?? [];
      if (snap === undefined && tail.length === 0) continue;
      const actor = snap !== undefined ? new AuctionActor(snap) : new AuctionActor(initialState(tail[0]));
      for (let i = snap !== undefined ? 0 : 1; i < tail.length; i++) actor.apply(tail[i]);
      this.snapshotSeq.set(id, snap?.seq ?? 0);
      this.durableViews.set(id, viewOf(actor.state)); // rebuilt from the store: durable by definition
      this.registry.adopt(actor);
      if (actor.state.status !== 'OPEN' && actor.state.status !== 'PENDING') this.retireLater(id);
      adopted++;
    }
    return adopted;
  }

  /** At start: rebuild every PENDING or OPEN auction and warm the idempotency cache. */
  async recover(): Promise<RecoveryStats> {
    const started = performance.now();
    const ids = await this.o.journal.live();
    const now = this.o.clock.now();
    // Side by side: on a pooled store (MySQL) the day of replies loads while the actors are rebuilt.
    const [adopted, replies] = await Promise.all([
      this.rebuild(ids),
      this.o.idempotency.replay(now - REPLY_TTL_MS, (r) => {
        this.replies.put(r.by, r.rid, r.reply, r.at);
        if (!r.reply.ok && r.reply.code === 'AUCTION_NOT_FOUND') this.unknownBudget.count(r.by, r.at);
      }),
    ]);
    let events = 0;
    for (const id of ids) events += this.registry.get(id)?.state.seq ?? 0;
    const stats = { auctions: adopted, events, replies, ms: performance.now() - started };
    this.log.info(stats, 'recovered');
    return stats;
  }

  // ---- commit listener ----------------------------------------------------------------------------

  private seal(events: readonly AuctionEvent[]): Sealed {
    const views = new Map<AuctionId, AuctionView>();
    const specs = new Map<AuctionId, AuctionSpec>();
    const snapshots: AuctionState[] = [];
    for (const e of events) {
      if (views.has(e.auction)) continue;
      const actor = this.registry.get(e.auction);
      if (actor === undefined) continue;
      const s = actor.state;
      views.set(e.auction, viewOf(s));
      specs.set(e.auction, s.spec);
      const last = this.snapshotSeq.get(e.auction) ?? 0;
      const ended = s.status !== 'OPEN' && s.status !== 'PENDING';
      if (s.seq - last >= this.snapshotEvery || (ended && s.seq > last)) {
        snapshots.push({ ...s, participants: new Set(s.participants) });
        this.snapshotSeq.set(e.auction, s.seq);
      }
    }
    return { views, specs, snapshots };
  }

  private committed(events: readonly AuctionEvent[], notices: readonly Notice[], sealed: Sealed): void {
    for (const [id, v] of sealed.views) this.durableViews.set(id, v);
    for (const e of events) {
      if (e.type === 'bought' || e.type === 'closed' || e.type === 'canceled') this.retireLater(e.auction);
    }
    // Readers' copies follow the journal; their failures never touch a bid.
    if (sealed.views.size > 0) {
      this.o.board.put([...sealed.views.values()]).catch((err: unknown) => this.log.warn({ err }, 'board write failed'));
    }
    if (sealed.snapshots.length > 0) {
      this.o.snapshots.put(sealed.snapshots).catch((err: unknown) => {
        for (const s of sealed.snapshots) this.snapshotSeq.delete(s.spec.id);
        this.log.warn({ err }, 'snapshot write failed');
      });
    }
    for (const observe of this.observers) {
      try {
        observe({ events, notices, views: sealed.views, specs: sealed.specs });
      } catch (err) {
        this.log.error({ err }, 'commit observer threw');
      }
    }
  }

  private failed(events: readonly AuctionEvent[], replies: readonly StoredReply[], err: Error): void {
    this.log.error({ err: err.message, events: events.length }, 'journal write failed; affected auctions set aside until the store answers');
    for (const r of replies) {
      this.replies.forget(r.by, r.rid);
      // A commit can fail after the database made it durable (a connection lost during COMMIT):
      // the reload asks the store which of these replies it really holds.
      this.unsure.push({ by: r.by, rid: r.rid, auction: r.auction });
    }
    for (const e of events) {
      if (this.quarantined.has(e.auction)) continue;
      this.quarantined.add(e.auction);
      this.registry.drop(e.auction);
      this.snapshotSeq.delete(e.auction);
      this.durableViews.delete(e.auction);
    }
    this.scheduleReload();
  }

  private scheduleReload(): void {
    if (this.reloadTimer !== null || this.stopped) return;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      void this.reloadQuarantined();
    }, this.reloadEveryMs);
    this.reloadTimer.unref();
  }

  private async reloadQuarantined(): Promise<void> {
    const ids = [...this.quarantined];
    const unsure = this.unsure.splice(0);
    try {
      await this.rebuild(ids);
      const durable = await this.o.idempotency.findMany(unsure, this.o.clock.now() - REPLY_TTL_MS);
      for (const r of durable) this.replies.put(r.by, r.rid, r.reply, r.at);
      for (const id of ids) this.quarantined.delete(id);
      this.log.info({ auctions: ids.length }, 'quarantined auctions rebuilt from the store');
    } catch {
      this.unsure.push(...unsure);
      this.scheduleReload();
    }
  }

  // ---- closes and retirement ----------------------------------------------------------------------

  private closeDue(id: AuctionId): void {
    this.submit({ t: 'close', auction: id }, (reply) => {
      if (reply.ok || this.stopped) return;
      const actor = this.registry.get(id);
      if (reply.code === 'AUCTION_NOT_ENDED' && actor !== undefined) this.timers.schedule(id, actor.state.endsAt);
      else if (reply.code === 'STORE_UNAVAILABLE' || reply.code === 'OVERLOADED') {
        // At most a second late: try again until the store takes it.
        setTimeout(() => this.closeDue(id), 1000).unref();
      }
    });
  }

  private retireLater(id: AuctionId): void {
    setTimeout(() => {
      if (this.registry.retire(id)) {
        this.snapshotSeq.delete(id);
        this.durableViews.delete(id);
      }
    }, this.retireAfterMs).unref();
  }

  /** Stop taking commands, wait for the journal to have everything, stop timers. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    this.spill.stop();
    this.timers.stop();
    clearInterval(this.purgeTimer);
    if (this.reloadTimer !== null) clearTimeout(this.reloadTimer);
    await this.committer.drain();
  }
}

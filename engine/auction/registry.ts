// The registry holds one actor per live auction: it creates them on demand, routes commands to them,
// asks the injected timer for closes, and retires closed ones. No I/O: loading an auction that is not
// in memory is the runtime's job (it rebuilds the actor and hands it to `adopt`).
import { AuctionActor, type ActorContext, type Sink } from './actor.ts';
import { RecentReplies } from './replies.ts';
import { acceptedReply, cleanSpec, createdEvent, NO_NOTICES, reject, specProblemAt, validRid } from './rules.ts';
import type { AuctionEvent, AuctionId, AuctionSpec, AuctionState, Clock, CloseTimer, Command, Outcome, UserId } from './model.ts';

export const NO_TIMER: CloseTimer = { schedule() {}, cancel() {} };

export interface RegistryOptions {
  clock: Clock;
  timer?: CloseTimer;
  replies?: RecentReplies;
}

function rejectOutcome(rid: string, code: 'INVALID_RID' | 'AUCTION_NOT_FOUND' | 'AUCTION_EXISTS' | 'INVALID_AUCTION' | 'NOT_SELLER'): Outcome {
  return { reply: reject(rid, code), event: null, notices: NO_NOTICES, replayed: false };
}

export class AuctionRegistry {
  private readonly actors = new Map<AuctionId, AuctionActor>();
  readonly ctx: ActorContext;
  private readonly timer: CloseTimer;

  constructor(opts: RegistryOptions) {
    this.timer = opts.timer ?? NO_TIMER;
    this.ctx = { clock: opts.clock, replies: opts.replies ?? new RecentReplies(), accepted: (e, endsBefore) => this.schedule(e, endsBefore) };
  }

  get size(): number {
    return this.actors.size;
  }

  get(id: AuctionId): AuctionActor | undefined {
    return this.actors.get(id);
  }

  actorsInMemory(): IterableIterator<AuctionActor> {
    return this.actors.values();
  }

  /** Create a PENDING auction (its `created` event is seq 1). Idempotent on (by, rid) like every command. */
  create(spec: unknown, by: UserId, rid: string, sink: Sink): void {
    if (!validRid(rid)) return sink(rejectOutcome(String(rid), 'INVALID_RID'));
    const now = this.ctx.clock.now();
    const first = this.ctx.replies.get(by, rid, now);
    if (first !== undefined) return sink({ reply: first, event: null, notices: NO_NOTICES, replayed: true });
    let out: Outcome;
    if (specProblemAt(spec, now) !== null) out = rejectOutcome(rid, 'INVALID_AUCTION');
    else if ((spec as { sellerId: string }).sellerId !== by) out = rejectOutcome(rid, 'NOT_SELLER');
    else if (this.actors.has((spec as { id: string }).id)) out = rejectOutcome(rid, 'AUCTION_EXISTS');
    else {
      const e = createdEvent(cleanSpec(spec as AuctionSpec), by, rid, now);
      this.actors.set(e.auction, AuctionActor.fromCreated(e));
      out = {
        reply: acceptedReply(rid, e, by),
        event: e, notices: NO_NOTICES, replayed: false,
      };
    }
    this.ctx.replies.put(by, rid, out.reply, now);
    sink(out);
  }

  /** Route a command to its auction's actor; `sink` gets the outcome (synchronously unless re-entrant). */
  dispatch(cmd: Command, sink: Sink): void {
    if (cmd.t !== 'close' && (!validRid(cmd.rid) || typeof cmd.by !== 'string')) {
      return sink(rejectOutcome(typeof cmd.rid === 'string' ? cmd.rid : '', 'INVALID_RID'));
    }
    const actor = this.actors.get(cmd.auction);
    if (actor !== undefined) return actor.tell(cmd, this.ctx, sink);
    if (cmd.t === 'close') return sink(rejectOutcome(cmd.rid ?? '', 'AUCTION_NOT_FOUND'));
    // SPEC §1: the first reply to (by, rid) whichever auction the repeat names, and AUCTION_NOT_FOUND is
    // a first reply like any other. (Bounding how many are kept is the runtime's job: app/unknown-budget.ts.)
    const now = this.ctx.clock.now();
    const first = this.ctx.replies.get(cmd.by, cmd.rid, now);
    if (first !== undefined) return sink({ reply: first, event: null, notices: NO_NOTICES, replayed: true });
    const out = rejectOutcome(cmd.rid, 'AUCTION_NOT_FOUND');
    this.ctx.replies.put(cmd.by, cmd.rid, out.reply, now);
    sink(out);
  }

  /** Take in an actor the runtime rebuilt (from a snapshot and a journal tail), and schedule its close. */
  adopt(actor: AuctionActor): void {
    this.actors.set(actor.id, actor);
    if (actor.state.status === 'OPEN') this.timer.schedule(actor.id, actor.state.endsAt);
  }

  /** Put an actor back to an earlier state (its events were not made durable). */
  restore(state: AuctionState): void {
    const actor = this.actors.get(state.spec.id);
    if (state.seq === 0) return;
    if (actor === undefined) return this.adopt(new AuctionActor(state));
    actor.state = state;
    if (state.status === 'OPEN') this.timer.schedule(actor.id, state.endsAt);
  }

  /** Forget an auction entirely (its creation was never made durable). */
  drop(id: AuctionId): void {
    this.actors.delete(id);
    this.timer.cancel(id);
  }

  /** Retire a closed auction's actor; commands for it then get AUCTION_NOT_FOUND from the engine. */
  retire(id: AuctionId): boolean {
    const actor = this.actors.get(id);
    if (actor === undefined || actor.state.status === 'OPEN' || actor.state.status === 'PENDING') return false;
    this.actors.delete(id);
    return true;
  }

  private schedule(e: AuctionEvent, endsBefore: number): void {
    switch (e.type) {
      case 'opened':
        this.timer.schedule(e.auction, e.endsAt);
        break;
      case 'bid':
        if (e.endsAt !== endsBefore) this.timer.schedule(e.auction, e.endsAt);
        break;
      case 'bought':
      case 'canceled':
      case 'closed':
        this.timer.cancel(e.auction);
        break;
    }
  }
}

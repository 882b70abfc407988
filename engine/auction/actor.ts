// One actor per auction: it owns the state and applies commands one at a time, in arrival order.
// Handling is synchronous, so the mailbox only fills when a command arrives while another is being
// handled (a reply or notice sink that sends a command back); it is drained before `tell` returns.
import { Mailbox } from './mailbox.ts';
import type { RecentReplies } from './replies.ts';
import { decide, evolve, initialState, NO_NOTICES, replay } from './rules.ts';
import type { AuctionEvent, AuctionState, Clock, Command, Outcome } from './model.ts';

export type Sink = (outcome: Outcome) => void;

/** What every actor shares: the clock, and the idempotency cache keyed by (user, rid). */
export interface ActorContext {
  clock: Clock;
  replies: RecentReplies;
  /** Told of every accepted event with the end time before it (the registry schedules closes). */
  accepted?: (e: AuctionEvent, endsBefore: number) => void;
}

interface Envelope { cmd: Command; sink: Sink }

export class AuctionActor {
  state: AuctionState;
  private readonly mailbox = new Mailbox<Envelope>();
  private busy = false;

  constructor(state: AuctionState) {
    this.state = state;
  }

  static fromEvents(events: readonly AuctionEvent[]): AuctionActor {
    return new AuctionActor(replay(events));
  }

  static fromCreated(created: AuctionEvent): AuctionActor {
    return new AuctionActor(initialState(created));
  }

  get id(): string {
    return this.state.spec.id;
  }

  get queued(): number {
    return this.mailbox.size;
  }

  /** Handle a command, now or after the one in progress; `sink` receives its outcome. */
  tell(cmd: Command, ctx: ActorContext, sink: Sink): void {
    if (this.busy) {
      this.mailbox.push({ cmd, sink });
      return;
    }
    this.busy = true;
    try {
      this.handle(cmd, ctx, sink);
      for (let next = this.mailbox.shift(); next !== undefined; next = this.mailbox.shift()) {
        this.handle(next.cmd, ctx, next.sink);
      }
    } finally {
      this.busy = false;
    }
  }

  /** Apply an event decided elsewhere (replay of a journal tail). */
  apply(e: AuctionEvent): void {
    evolve(this.state, e);
  }

  // The idempotency check runs here, not on arrival, so a retry queued behind its original sees its reply.
  private handle(cmd: Command, ctx: ActorContext, sink: Sink): void {
    const now = ctx.clock.now();
    const keyed = cmd.t !== 'close';
    if (keyed) {
      const first = ctx.replies.get(cmd.by, cmd.rid, now);
      if (first !== undefined) {
        sink({ reply: first, event: null, notices: NO_NOTICES, replayed: true });
        return;
      }
    }
    const endsBefore = this.state.endsAt;
    const d = decide(this.state, cmd, now);
    if (d.event !== null) {
      evolve(this.state, d.event);
      ctx.accepted?.(d.event, endsBefore);
    }
    if (keyed) ctx.replies.put(cmd.by, cmd.rid, d.reply, now);
    sink(d);
  }
}

// Shared fixtures for the engine tests: a spec builder with sensible defaults, command builders, a
// recording CloseTimer, and helpers that run a command through the registry synchronously.
// Time is always a ManualClock: no test sleeps or uses real timers.
import type { Test } from 'tap';
import {
  AuctionRegistry, ManualClock, RecentReplies,
  type AuctionId, type AuctionSpec, type AuctionState, type BidCommand, type BuyCommand,
  type CancelCommand, type CloseCommand, type CloseTimer, type Command, type EditCommand, type ErrorCode,
  type Millis, type OpenCommand, type Outcome, type Role, type UserId, type Won,
} from '../../engine/index.ts';

export const T0: Millis = 1_700_000_000_000;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const SELLER: UserId = 'seller';
export const ALICE: UserId = 'alice';
export const BOB: UserId = 'bob';
export const CAROL: UserId = 'carol';
export const OPERATOR: UserId = 'op';
export const AUCTION: AuctionId = 'a1';

/** The seed's soft-close rule of SPEC §1. */
export const SEED_SOFT_CLOSE = { windowMs: 60_000, extendMs: 180_000, maxExtensions: 1 } as const;

/** A valid spec: opens at T0, ends an hour later, start 10,000 won, bid unit 1,000, no buy-now or reserve. */
export function spec(over: Partial<AuctionSpec> = {}): AuctionSpec {
  return {
    id: AUCTION,
    sellerId: SELLER,
    productId: 'p1',
    startPrice: 10_000,
    bidUnit: 1_000,
    buyNowPrice: null,
    reservePrice: null,
    startsAt: T0,
    endsAt: T0 + HOUR,
    softClose: { ...SEED_SOFT_CLOSE },
    ...over,
  };
}

let ridCounter = 0;
/** A fresh request id. */
export function rid(): string {
  return `r${++ridCounter}`;
}

interface CmdOpts { auction?: AuctionId; rid?: string }

export function bid(by: UserId, amount: unknown, max?: unknown, o: CmdOpts = {}): BidCommand {
  const c: BidCommand = { t: 'bid', auction: o.auction ?? AUCTION, rid: o.rid ?? rid(), by, amount };
  if (max !== undefined) c.max = max;
  return c;
}
export function buy(by: UserId, o: CmdOpts = {}): BuyCommand {
  return { t: 'buy', auction: o.auction ?? AUCTION, rid: o.rid ?? rid(), by };
}
export function open(by: UserId = SELLER, role: Role = 'user', o: CmdOpts = {}): OpenCommand {
  return { t: 'open', auction: o.auction ?? AUCTION, rid: o.rid ?? rid(), by, role };
}
export function cancel(by: UserId = SELLER, role: Role = 'user', o: CmdOpts = {}): CancelCommand {
  return { t: 'cancel', auction: o.auction ?? AUCTION, rid: o.rid ?? rid(), by, role };
}
export function edit(s: AuctionSpec, by: UserId = SELLER, o: CmdOpts = {}): EditCommand {
  return { t: 'edit', auction: o.auction ?? AUCTION, rid: o.rid ?? rid(), by, spec: s };
}
export function close(auction: AuctionId = AUCTION): CloseCommand {
  return { t: 'close', auction };
}

export type TimerCall = { op: 'schedule'; auction: AuctionId; at: Millis } | { op: 'cancel'; auction: AuctionId };

/** A CloseTimer that records every call, and knows what is scheduled now. */
export class RecordingTimer implements CloseTimer {
  readonly calls: TimerCall[] = [];
  readonly scheduled = new Map<AuctionId, Millis>();
  schedule(auction: AuctionId, at: Millis): void {
    this.calls.push({ op: 'schedule', auction, at });
    this.scheduled.set(auction, at);
  }
  cancel(auction: AuctionId): void {
    this.calls.push({ op: 'cancel', auction });
    this.scheduled.delete(auction);
  }
  clear(): void {
    this.calls.length = 0;
  }
}

export interface World {
  clock: ManualClock;
  timer: RecordingTimer;
  replies: RecentReplies;
  registry: AuctionRegistry;
}

export function world(opts: { now?: Millis; replies?: RecentReplies } = {}): World {
  const clock = new ManualClock(opts.now ?? T0 - HOUR);
  const timer = new RecordingTimer();
  const replies = opts.replies ?? new RecentReplies();
  const registry = new AuctionRegistry({ clock, timer, replies });
  return { clock, timer, replies, registry };
}

/** Dispatch one command and return its outcome; throws unless the sink was called exactly once, synchronously. */
export function applySync(registry: AuctionRegistry, cmd: Command): Outcome {
  let out: Outcome | undefined;
  let calls = 0;
  registry.dispatch(cmd, (o) => {
    calls++;
    out = o;
  });
  if (calls !== 1 || out === undefined) throw new Error(`sink called ${calls} times for ${cmd.t}`);
  return out;
}

/** registry.create, synchronously. */
export function createSync(registry: AuctionRegistry, s: unknown, by: UserId = SELLER, r: string = rid()): Outcome {
  let out: Outcome | undefined;
  let calls = 0;
  registry.create(s, by, r, (o) => {
    calls++;
    out = o;
  });
  if (calls !== 1 || out === undefined) throw new Error(`create sink called ${calls} times`);
  return out;
}

/** Apply a command that must be accepted; throws with the rejection code otherwise. */
export function must(registry: AuctionRegistry, cmd: Command): Outcome {
  const out = applySync(registry, cmd);
  if (!out.reply.ok) throw new Error(`${cmd.t} was rejected with ${out.reply.code}`);
  return out;
}

/** A PENDING auction (created at the clock's time, an hour before T0 by default). */
export function pendingAuction(over: Partial<AuctionSpec> = {}, opts: { now?: Millis } = {}): World & { spec: AuctionSpec } {
  const w = world(opts);
  const s = spec(over);
  const out = createSync(w.registry, s);
  if (!out.reply.ok) throw new Error(`create was rejected with ${out.reply.code}`);
  return { ...w, spec: s };
}

/** An OPEN auction, with the clock at its startsAt (T0 by default) and the timer's calls cleared. */
export function openAuction(over: Partial<AuctionSpec> = {}): World & { spec: AuctionSpec } {
  const w = pendingAuction(over);
  must(w.registry, open());
  w.clock.set(w.spec.startsAt);
  w.timer.clear();
  return w;
}

/** The live state of an auction (throws if it is not in memory). */
export function stateOf(registry: AuctionRegistry, id: AuctionId = AUCTION): AuctionState {
  const a = registry.get(id);
  if (a === undefined) throw new Error(`no actor for ${id}`);
  return a.state;
}

/** A deep copy of an auction's state, for before/after comparisons. */
export function snapshot(registry: AuctionRegistry, id: AuctionId = AUCTION): AuctionState {
  return structuredClone(stateOf(registry, id));
}

/**
 * Apply a command that must be rejected with `code`: asserts the reply, that no event and no notice was
 * produced, and that the auction's state (seq included) is deep-equal to what it was before.
 */
export function expectRejected(t: Test, registry: AuctionRegistry, cmd: Command, code: ErrorCode, id: AuctionId = AUCTION): Outcome {
  const before = registry.get(id) === undefined ? undefined : snapshot(registry, id);
  const out = applySync(registry, cmd);
  t.equal(out.reply.ok, false, `${cmd.t} is rejected`);
  t.equal(out.reply.ok ? undefined : out.reply.code, code, `with ${code}`);
  t.equal(out.event, null, 'no event');
  t.same(out.notices, [], 'no notices');
  if (before !== undefined) t.strictSame(stateOf(registry, id), before, 'state and seq unchanged');
  return out;
}

/** The price of an accepted reply (throws if rejected). */
export function acceptedPrice(out: Outcome): Won {
  if (!out.reply.ok) throw new Error(`rejected with ${out.reply.code}`);
  return out.reply.price;
}

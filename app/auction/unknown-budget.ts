// How many AUCTION_NOT_FOUND replies the service may remember. SPEC §1 makes such a refusal a first
// reply like any other, kept 24 hours in memory (engine/replies.ts) and in the store (command_replies),
// so a client naming random auction ids would otherwise grow both without bound and, by filling the
// in-memory table, push real replies out of it early. Past the budget a command naming an unknown
// auction is answered OVERLOADED: a refusal that is not remembered and applies nothing, so the same rid
// may be retried later. Honest clients name auctions from listings and almost never meet the budget.
//
// Counts live in two generations: the newer takes admissions until it has spanned the TTL, then becomes
// the older, which is dropped whole at the next turn (or at once if its latest admission is older than
// the TTL). So admissions within any TTL never exceed `total` (nor `perUser` for one user), and a count
// is forgotten one to two TTLs after it was taken.
import { REPLY_TTL_MS, type Millis, type UserId } from '../../engine/index.ts';

export interface UnknownBudgetOptions {
  /** Unknown-auction refusals remembered per TTL, all users together. */
  total?: number;
  /** The same for one user. */
  perUser?: number;
  ttlMs?: number;
}

/** A tenth of the in-memory reply table's default bound (engine DEFAULT_MAX_ENTRIES). */
export const DEFAULT_UNKNOWN_TOTAL = 100_000;
export const DEFAULT_UNKNOWN_PER_USER = 100;

interface Generation {
  from: Millis;
  /** The latest admission in it. */
  to: Millis;
  count: number;
  byUser: Map<UserId, number>;
}

const fresh = (from: Millis): Generation => ({ from, to: from, count: 0, byUser: new Map() });

export class UnknownAuctionBudget {
  readonly total: number;
  readonly perUser: number;
  private readonly ttlMs: number;
  private young = fresh(-Infinity);
  private old = fresh(-Infinity);

  constructor(o: UnknownBudgetOptions = {}) {
    this.total = o.total ?? DEFAULT_UNKNOWN_TOTAL;
    this.perUser = o.perUser ?? DEFAULT_UNKNOWN_PER_USER;
    this.ttlMs = o.ttlMs ?? REPLY_TTL_MS;
  }

  /** Refusals counted now (both generations). */
  get size(): number {
    return this.young.count + this.old.count;
  }

  /** Take one for `by` at `now`; false when that user's or everyone's budget is spent. */
  take(by: UserId, now: Millis): boolean {
    this.turn(now);
    const mine = (this.young.byUser.get(by) ?? 0) + (this.old.byUser.get(by) ?? 0);
    if (this.size >= this.total || mine >= this.perUser) return false;
    this.count(by, now);
    return true;
  }

  /** Count one taken earlier whatever the budget (recovery re-counts the refusals the store holds). */
  count(by: UserId, at: Millis): void {
    this.turn(at);
    this.young.count++;
    if (at > this.young.to) this.young.to = at;
    this.young.byUser.set(by, (this.young.byUser.get(by) ?? 0) + 1);
  }

  private turn(now: Millis): void {
    if (now - this.young.from < this.ttlMs) return;
    // The older generation is kept while its latest admission is within the TTL.
    this.old = now - this.young.to < this.ttlMs ? this.young : fresh(-Infinity);
    this.young = fresh(now);
  }
}

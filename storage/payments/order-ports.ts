// The payments domain's own data, in its terms (re-exported by ./ports.ts): orders with their history,
// the durable jobs (expiry at payBy, auto-confirm, webhook processing) and strikes. One write path for an
// order: transition() stores the new state, its event and every effect that belongs with it at once, so
// a crash leaves all of it or none. Another domain's rows that must move with a transition (the
// settlement ledger's postings) join through TransitionEffects.
import type { Millis, UserId } from '../../engine/kernel.ts';
import type { OrderEvent, OrderOpening, PaymentOrder, SecondChanceOffer } from '../../engine/payments/model.ts';
import type { LedgerTransaction } from '../../engine/settlement/model.ts';

export type JobKind = 'expire' | 'auto_confirm' | 'webhook';

/** Durable work due at a time: done at most once (finish() claims it), retried until then. */
export interface Job {
  /** Deterministic (`expire:<order>`, `webhook:<digest>`), so adding it twice keeps one. */
  id: string;
  kind: JobKind;
  /** The order it is about (webhooks: the payment's order, when known; '' otherwise). */
  ref: string;
  dueAt: Millis;
  attempts: number;
  /** A webhook's body as received; null for timers. */
  payload: string | null;
}

/** Rows that must be stored with a transition, or not at all. */
export interface TransitionEffects {
  /** Jobs this transition creates (kept once by id). */
  schedule?: Job[];
  /** The pending job this transition completes: if it is no longer pending, nothing is stored (WriteConflictError). */
  finish?: string;
  /** Pending jobs this transition makes pointless (marked done). */
  cancel?: string[];
  /** A non-payment strike on the buyer. */
  strike?: { userId: UserId; orderId: string; at: Millis };
  /** Suspend the user's bidding (SPEC §5), unless already suspended. */
  suspend?: { userId: UserId; at: Millis };
  /** The OPEN offer whose acceptance opens this order: marked ACCEPTED, or nothing is stored (WriteConflictError). */
  acceptOffer?: string;
  /**
   * The settlement ledger's transaction for this change (capture, refund, confirmation), posted in the
   * same write. Its key is unique: a key posted before refuses the whole write (WriteConflictError).
   */
  ledger?: LedgerTransaction;
}

/**
 * How the memory adapter joins settlement's memory ledger: prepare() checks a posting (throwing
 * WriteConflictError when its key was posted or a balance would go negative) and returns what applies it,
 * called with the transition's own changes, so both happen or neither.
 */
export interface LedgerJoin {
  prepare(tx: LedgerTransaction): () => void;
}

export interface OrderStore {
  /** Store a new order with its OPENED event; false (nothing written) when the order exists. */
  open(order: PaymentOrder, event: OrderEvent, effects?: TransitionEffects): Promise<boolean>;
  order(id: string): Promise<PaymentOrder | null>;
  /** The order's events by seq. */
  history(id: string): Promise<OrderEvent[]>;
  /** Orders the user buys or sells, newest first. */
  ordersOf(user: UserId, limit: number): Promise<PaymentOrder[]>;
  /**
   * `next` = evolve(stored, event). Stored only while the order is still at `event.seq - 1`, and `finish`
   * still pending; otherwise WriteConflictError and nothing of it is stored.
   */
  transition(next: PaymentOrder, event: OrderEvent, effects?: TransitionEffects): Promise<void>;
  /** Orders with a confirm in flight since before `before` (the reconciler's work), oldest first. */
  confirming(before: Millis, limit: number): Promise<PaymentOrder[]>;
}

export interface JobQueue {
  /** Store a job; false when one with its id exists (done or not): how webhooks are deduplicated. */
  add(job: Job): Promise<boolean>;
  /** Pending jobs due by `now`, earliest first. */
  due(now: Millis, limit: number): Promise<Job[]>;
  /** Complete a job that changes no order; false when it was no longer pending. */
  finish(id: string): Promise<boolean>;
  /** Try again at `dueAt`, counting the attempt. */
  retry(id: string, dueAt: Millis, attempts: number): Promise<void>;
  /** How many jobs of a kind are pending, and since when the oldest is due (null when none). */
  backlog(kind: JobKind): Promise<{ count: number; oldestDueAt: Millis | null }>;
}

export interface Strikes {
  /** When the user's strikes were given, at or after `since`. */
  strikesOf(user: UserId, since: Millis): Promise<Millis[]>;
  suspended(user: UserId): Promise<boolean>;
  /** Every user suspended now (the bid path keeps them in memory). */
  suspendedUsers(): Promise<UserId[]>;
  /** An admin lifts a suspension (strikes stay); false when there was none. */
  lift(user: UserId, at: Millis): Promise<boolean>;
}

export interface Offers {
  /** Store an offer; false (nothing stored) when its order has one already. */
  putOffer(offer: SecondChanceOffer): Promise<boolean>;
  offer(id: string): Promise<SecondChanceOffer | null>;
  /** Offers the user made (seller) or got (bidder), newest first. */
  offersOf(user: UserId, limit: number): Promise<SecondChanceOffer[]>;
}

export type PaymentStores = OrderStore & JobQueue & Strikes & Offers;

/** Where orders come from: the marketplace opens one when an auction closes SOLD (its order rows). */
export interface OrderSource {
  opening(id: string): Promise<OrderOpening | null>;
  /** The ids of the orders the user buys or sells, newest first. */
  idsOf(user: UserId, limit: number): Promise<string[]>;
}

/**
 * The orders the marketplace opened, in the order their closes committed (journal positions), so that
 * every one is adopted even when nobody reads it. The cursor is durable and moves forward only: a
 * restart resumes after the last position adopted, and adopting twice keeps one order.
 */
export interface OpenedOrders {
  /** SOLD closes' orders with a position above `after` among the next `limit` journal events; `next` is where to read on. */
  opened(after: number, limit: number): Promise<{ items: { position: number; orderId: string }[]; next: number }>;
  /** The last position adopted (0 before any). */
  adoptedUpTo(): Promise<number>;
  /** Never moves the cursor back. */
  saveAdoptedUpTo(position: number, at: Millis): Promise<void>;
}

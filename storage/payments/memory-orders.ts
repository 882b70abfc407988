// The payments domain's stores in memory, one object answering every port (a transition writes orders,
// jobs and strikes at once): unit tests, and the reference the SQL adapter's contract suite agrees with.
import type { Millis, UserId } from '../../engine/kernel.ts';
import type { OrderEvent, PaymentOrder, SecondChanceOffer } from '../../engine/payments/model.ts';
import { WriteConflictError } from '../errors.ts';
import { MemoryLifecycle } from '../lifecycle.ts';
import type { Job, JobKind, LedgerJoin, PaymentStores, TransitionEffects } from './order-ports.ts';

interface StoredJob { job: Job; done: boolean }

export class MemoryPaymentStores extends MemoryLifecycle implements PaymentStores {
  private readonly orders = new Map<string, PaymentOrder>();
  private readonly events = new Map<string, OrderEvent[]>();
  private readonly jobs = new Map<string, StoredJob>();
  private readonly strikes = new Map<UserId, Map<string, Millis>>();
  private readonly suspensions = new Map<UserId, { since: Millis; liftedAt: Millis | null }>();
  private readonly offers = new Map<string, SecondChanceOffer>();

  /** `ledger`: settlement's memory ledger, for transitions that post (none: such a transition throws). */
  constructor(private readonly ledger: LedgerJoin | null = null) {
    super('the memory payment stores');
  }

  async open(order: PaymentOrder, event: OrderEvent, effects: TransitionEffects = {}): Promise<boolean> {
    this.assertOpen();
    if (this.orders.has(order.id)) return false;
    const post = this.checkEffects(effects);
    this.orders.set(order.id, structuredClone(order));
    this.events.set(order.id, [structuredClone(event)]);
    this.applyEffects(effects, order.id);
    post();
    return true;
  }

  async order(id: string): Promise<PaymentOrder | null> {
    this.assertOpen();
    const o = this.orders.get(id);
    return o === undefined ? null : structuredClone(o);
  }

  async history(id: string): Promise<OrderEvent[]> {
    this.assertOpen();
    return structuredClone(this.events.get(id) ?? []);
  }

  async ordersOf(user: UserId, limit: number): Promise<PaymentOrder[]> {
    this.assertOpen();
    return [...this.orders.values()].filter((o) => o.buyerId === user || o.sellerId === user)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).slice(0, limit).map((o) => structuredClone(o));
  }

  async transition(next: PaymentOrder, event: OrderEvent, effects: TransitionEffects = {}): Promise<void> {
    this.assertOpen();
    const stored = this.orders.get(next.id);
    if (stored === undefined || stored.seq !== event.seq - 1 || next.seq !== event.seq || event.orderId !== next.id) {
      throw new WriteConflictError(`order ${next.id} is not at seq ${event.seq - 1}`, 0, 0);
    }
    const post = this.checkEffects(effects);
    this.orders.set(next.id, structuredClone(next));
    this.events.get(next.id)!.push(structuredClone(event));
    this.applyEffects(effects);
    post();
  }

  async confirming(before: Millis, limit: number): Promise<PaymentOrder[]> {
    this.assertOpen();
    return [...this.orders.values()].filter((o) => o.confirming !== null && o.confirming.since < before)
      .sort((a, b) => a.confirming!.since - b.confirming!.since).slice(0, limit).map((o) => structuredClone(o));
  }

  async add(job: Job): Promise<boolean> {
    this.assertOpen();
    if (this.jobs.has(job.id)) return false;
    this.jobs.set(job.id, { job: structuredClone(job), done: false });
    return true;
  }

  async due(now: Millis, limit: number): Promise<Job[]> {
    this.assertOpen();
    return [...this.jobs.values()].filter((j) => !j.done && j.job.dueAt <= now)
      .sort((a, b) => a.job.dueAt - b.job.dueAt || (a.job.id < b.job.id ? -1 : 1)).slice(0, limit).map((j) => structuredClone(j.job));
  }

  async finish(id: string): Promise<boolean> {
    this.assertOpen();
    const j = this.jobs.get(id);
    if (j === undefined || j.done) return false;
    j.done = true;
    return true;
  }

  async retry(id: string, dueAt: Millis, attempts: number): Promise<void> {
    this.assertOpen();
    const j = this.jobs.get(id);
    if (j !== undefined && !j.done) j.job = { ...j.job, dueAt, attempts };
  }

  async backlog(kind: JobKind): Promise<{ count: number; oldestDueAt: Millis | null }> {
    this.assertOpen();
    const pending = [...this.jobs.values()].filter((j) => !j.done && j.job.kind === kind).map((j) => j.job.dueAt);
    return { count: pending.length, oldestDueAt: pending.length === 0 ? null : Math.min(...pending) };
  }

  async strikesOf(user: UserId, since: Millis): Promise<Millis[]> {
    this.assertOpen();
    return [...(this.strikes.get(user)?.values() ?? [])].filter((at) => at >= since).sort((a, b) => a - b);
  }

  async suspended(user: UserId): Promise<boolean> {
    this.assertOpen();
    const s = this.suspensions.get(user);
    return s !== undefined && s.liftedAt === null;
  }

  async suspendedUsers(): Promise<UserId[]> {
    this.assertOpen();
    return [...this.suspensions].filter(([, s]) => s.liftedAt === null).map(([u]) => u).sort();
  }

  async lift(user: UserId, at: Millis): Promise<boolean> {
    this.assertOpen();
    const s = this.suspensions.get(user);
    if (s === undefined || s.liftedAt !== null) return false;
    s.liftedAt = at;
    return true;
  }

  async putOffer(offer: SecondChanceOffer): Promise<boolean> {
    this.assertOpen();
    if ([...this.offers.values()].some((o) => o.orderId === offer.orderId) || this.offers.has(offer.id)) return false;
    this.offers.set(offer.id, structuredClone(offer));
    return true;
  }

  async offer(id: string): Promise<SecondChanceOffer | null> {
    this.assertOpen();
    const o = this.offers.get(id);
    return o === undefined ? null : structuredClone(o);
  }

  async offersOf(user: UserId, limit: number): Promise<SecondChanceOffer[]> {
    this.assertOpen();
    return [...this.offers.values()].filter((o) => o.sellerId === user || o.bidderId === user)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).slice(0, limit).map((o) => structuredClone(o));
  }

  /** Throws as the SQL write would refuse; else returns what posts the ledger's part (run with the rest). */
  private checkEffects(e: TransitionEffects): () => void {
    if (e.acceptOffer !== undefined && this.offers.get(e.acceptOffer)?.status !== 'OPEN') {
      throw new WriteConflictError(`offer ${e.acceptOffer} is not open`, 0, 0);
    }
    if (e.finish !== undefined) {
      const j = this.jobs.get(e.finish);
      if (j === undefined || j.done) throw new WriteConflictError(`job ${e.finish} is no longer pending`, 0, 0);
    }
    if (e.ledger === undefined) return () => {};
    if (this.ledger === null) throw new Error('MemoryPaymentStores: a ledger posting needs a ledger to join');
    return this.ledger.prepare(e.ledger);
  }

  private applyEffects(e: TransitionEffects, orderId?: string): void {
    if (e.acceptOffer !== undefined) {
      const o = this.offers.get(e.acceptOffer)!;
      this.offers.set(o.id, { ...o, status: 'ACCEPTED', newOrderId: orderId ?? null });
    }
    for (const job of e.schedule ?? []) if (!this.jobs.has(job.id)) this.jobs.set(job.id, { job: structuredClone(job), done: false });
    for (const id of [...(e.cancel ?? []), ...(e.finish === undefined ? [] : [e.finish])]) {
      const j = this.jobs.get(id);
      if (j !== undefined) j.done = true;
    }
    if (e.strike !== undefined) {
      const mine = this.strikes.get(e.strike.userId) ?? new Map<string, Millis>();
      if (!mine.has(e.strike.orderId)) mine.set(e.strike.orderId, e.strike.at);
      this.strikes.set(e.strike.userId, mine);
    }
    if (e.suspend !== undefined) {
      const s = this.suspensions.get(e.suspend.userId);
      if (s === undefined || s.liftedAt !== null) this.suspensions.set(e.suspend.userId, { since: e.suspend.at, liftedAt: null });
    }
  }
}

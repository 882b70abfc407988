// The payments domain's background work: durable jobs (expiry at payBy, auto-confirm after shipping,
// stored webhooks) run when due, each finished once, retried with backoff while Toss cannot answer; and
// the reconciler, which settles confirms whose outcome is still unknown by asking Toss.
//
// Webhooks: Toss does not sign payment webhooks, so one is a hint. It is stored (deduplicated by its
// body's digest) before it is answered, and processed here: the payment is fetched from Toss, and only
// that is applied. A DEPOSIT_CALLBACK must carry the payment's secret, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../engine/kernel.ts';
import type { Logger } from '../../engine/logger.ts';
import type { Job, OpenedOrders, OrderStore, PaymentGateway, PaymentStores } from '../../storage/payments/ports.ts';
import type { PaymentsHooks, PaymentsService } from './service.ts';

export const WEBHOOK_TYPES = ['PAYMENT_STATUS_CHANGED', 'DEPOSIT_CALLBACK'] as const;

export interface PaymentsWorkerOptions {
  service: PaymentsService;
  stores: PaymentStores;
  gateway: PaymentGateway | null;
  clock: Clock;
  log: Logger;
  hooks?: PaymentsHooks;
  /** First retry delay; doubled per attempt up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A confirm unknown for this long is the reconciler's. */
  reconcileAfterMs?: number;
  /** The orders the marketplace opened: each adopted (its expiry scheduled) even if nobody reads it. */
  opened?: OpenedOrders;
}

/** Jobs run per pass. */
const BATCH = 50;
/** Journal events read per page when adopting opened orders (most are bids, skipped). */
const FEED_PAGE = 1000;

export class PaymentsWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly o: PaymentsWorkerOptions) {}

  /** Store a webhook (deduplicated) before it is answered; false when its body is not one Toss sends. */
  async receive(body: string): Promise<boolean> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return false;
    }
    if (typeof parsed !== 'object' || parsed === null) return false;
    const p = parsed as Record<string, unknown>;
    const type = typeof p.eventType === 'string' ? p.eventType : (typeof p.secret === 'string' ? 'DEPOSIT_CALLBACK' : null);
    if (type === null || !(WEBHOOK_TYPES as readonly string[]).includes(type)) return false;
    const ref = webhookOrderId(p) ?? '';
    const id = `webhook:${createHash('sha256').update(body).digest('base64url')}`;
    await this.o.stores.add({ id, kind: 'webhook', ref, dueAt: this.o.clock.now(), attempts: 0, payload: body });
    return true;
  }

  /** Run every job due now, one at a time; resolves when the pass is over. */
  async runDue(): Promise<number> {
    const jobs = await this.o.stores.due(this.o.clock.now(), BATCH);
    for (const job of jobs) await this.run(job);
    return jobs.length;
  }

  /**
   * Adopt every order the marketplace opened since the last pass, in journal order, saving the cursor
   * as it goes. An order whose close the marketplace has not stored yet stops the pass there: the next
   * pass starts from it. Adopting an order twice keeps one (open() is once per id).
   */
  async adoptOpened(): Promise<number> {
    const feed = this.o.opened;
    if (feed === undefined) return 0;
    let position = await feed.adoptedUpTo();
    let adopted = 0;
    for (;;) {
      const page = await feed.opened(position, FEED_PAGE);
      if (page.next === position) return adopted;
      for (const item of page.items) {
        if ((await this.o.service.adopt(item.orderId)) === null) {
          if (item.position - 1 > position) await feed.saveAdoptedUpTo(item.position - 1, this.o.clock.now());
          return adopted;
        }
        adopted++;
      }
      await feed.saveAdoptedUpTo(page.next, this.o.clock.now());
      position = page.next;
    }
  }

  /**
   * Settle every confirm unknown for longer than `afterMs` (default reconcileAfterMs). At start it runs
   * with 0: a confirm in flight when a process died has nobody waiting on it.
   */
  async reconcile(afterMs = this.o.reconcileAfterMs ?? 60_000): Promise<number> {
    if (this.o.gateway === null) return 0;
    const before = this.o.clock.now() - afterMs + 1;
    const stuck = await (this.o.stores as OrderStore).confirming(before, BATCH);
    let settled = 0;
    for (const order of stuck) {
      try {
        const after = await this.o.service.settle(order);
        if (after.confirming === null) settled++;
      } catch (err) {
        this.o.log.warn({ err, orderId: order.id }, 'payments: reconciling a confirm failed; tried again next pass');
      }
    }
    return settled;
  }

  /** Adoption, due jobs and the reconciler every `everyMs` until stop(). */
  start(everyMs: number): void {
    if (this.timer !== null) return;
    // The first pass now: orders opened while no process ran are adopted without waiting for a tick
    // (in the background: the first start after a long journal reads all of it).
    this.running = this.adoptOpened().then(() => {}, (err) => this.o.log.warn({ err }, 'payments: adopting opened orders failed; the next pass tries again'))
      .finally(() => { this.running = null; });
    this.timer = setInterval(() => {
      if (this.running !== null) return;
      this.running = (async () => {
        await this.adoptOpened();
        await this.runDue();
        await this.reconcile();
      })().catch((err) => this.o.log.error({ err }, 'payments: background pass failed')).finally(() => { this.running = null; });
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async run(job: Job): Promise<void> {
    try {
      const outcome = job.kind === 'expire' ? await this.o.service.expire(job.ref, job.id)
        : job.kind === 'auto_confirm' ? await this.o.service.autoConfirm(job.ref, job.id)
          : await this.webhook(job);
      if (outcome === 'done') await this.o.stores.finish(job.id); // a no-op when its transition finished it
      else await this.later(job);
    } catch (err) {
      this.o.log.warn({ err, job: job.id, attempts: job.attempts + 1 }, 'payments: a job failed; it is tried again');
      await this.later(job).catch(() => {});
    }
  }

  private async later(job: Job): Promise<void> {
    const base = this.o.backoffMs ?? 1_000;
    const delay = Math.min(base * 2 ** Math.min(job.attempts, 20), this.o.maxBackoffMs ?? 600_000);
    await this.o.stores.retry(job.id, this.o.clock.now() + delay, job.attempts + 1);
  }

  private async webhook(job: Job): Promise<'done' | 'later'> {
    const gateway = this.o.gateway;
    if (gateway === null) return 'later'; // kept until payments are configured
    const p = JSON.parse(job.payload ?? '{}') as Record<string, unknown>;
    const data = (typeof p.data === 'object' && p.data !== null ? p.data : p) as Record<string, unknown>;
    const orderId = webhookOrderId(p);
    const deposit = p.eventType === 'DEPOSIT_CALLBACK' || (p.eventType === undefined && typeof p.secret === 'string');
    let payment;
    if (deposit) {
      if (orderId === null) return this.forged('no orderId');
      const r = await gateway.paymentOfOrder(orderId);
      if (r.kind === 'unknown') return 'later';
      if (r.kind !== 'ok' || r.payment === null) return this.forged('no such payment');
      if (!sameSecret(r.payment.secret, data.secret)) return this.forged('wrong secret');
      payment = r.payment;
    } else {
      if (typeof data.paymentKey !== 'string' || data.paymentKey === '') return this.forged('no paymentKey');
      const r = await gateway.payment(data.paymentKey);
      if (r.kind === 'unknown') return 'later';
      if (r.kind !== 'ok') return this.forged('no such payment');
      payment = r.payment;
    }
    const order = await this.o.service.adopt(payment.orderId);
    if (order === null) return this.forged('no such order');
    await this.o.service.applyPayment(order, payment);
    return 'done';
  }

  private forged(why: string): 'done' {
    this.o.log.warn({ why }, 'payments: a webhook Toss does not confirm was dropped');
    this.o.hooks?.finding?.('forged_webhook');
    return 'done';
  }
}

function webhookOrderId(p: Record<string, unknown>): string | null {
  const data = (typeof p.data === 'object' && p.data !== null ? p.data : p) as Record<string, unknown>;
  return typeof data.orderId === 'string' && data.orderId.length > 0 && data.orderId.length <= 64 ? data.orderId : null;
}

/** Constant time whatever the lengths: both sides hashed first. */
function sameSecret(expected: string | null, given: unknown): boolean {
  if (expected === null || typeof given !== 'string') return false;
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(expected), h(given));
}

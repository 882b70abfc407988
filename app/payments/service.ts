// Orders and their payments (SPEC §5): PaymentsApi over the domain's ports and Toss (PaymentGateway).
// Every change goes through change(): decide (engine/payments/rules.ts), then one transition write with
// its effects; a write that lost a race reads the order again and decides afresh.
//
// Never charge twice, never lose a charge: a confirm is recorded (CONFIRM_STARTED) before Toss is asked,
// with an Idempotency-Key fixed by the order and the payment key, so the same confirm is the same operation
// at Toss whoever repeats it. An answer that is not definitive leaves the order confirming; only Toss's
// payment of the order (settle()) ends that, on the buyer's retry, in the reconciler or a webhook.
import { createHash } from 'node:crypto';
import { OkjError, type ErrorCode } from '../../engine/errors.ts';
import type { Clock, UserId, Won } from '../../engine/kernel.ts';
import type { Logger } from '../../engine/logger.ts';
import type { Actor } from '../../engine/market/api.ts';
import type { Checkout, ConfirmPayment, OrderView, PaymentsApi } from '../../engine/payments/api.ts';
import type { OrderEvent, PaymentOrder, SecondChanceOffer } from '../../engine/payments/model.ts';
import type { LedgerPostings } from '../../engine/settlement/api.ts';
import type { LedgerTransaction } from '../../engine/settlement/model.ts';
import {
  acceptOffer, decide, evolve, isWon, open, refundAmount, roleOf, secondChance, suspendedByStrikes, STRIKE_WINDOW_MS,
  type OrderCommand, type RunnerUpBid,
} from '../../engine/payments/rules.ts';
import {
  WriteConflictError, type OrderSource, type Payment, type PaymentGateway, type PaymentStores, type TransitionEffects,
} from '../../storage/payments/ports.ts';
import type { PaymentsConfig } from './config.ts';

/** What the service reports for metrics (app/metrics.ts), and what it tells buyers and sellers. */
export interface PaymentsHooks {
  /** A confirm's end at Toss: outcome paid, rejected, pending (unknown), and Toss's code when it gave one. */
  confirmed?(outcome: 'paid' | 'rejected' | 'pending', providerCode: string | null, ms: number): void;
  /** Something the reconciler or a webhook found: paid_late, failed, refunded_unpayable, forged_webhook. */
  finding?(kind: string): void;
  /** A change of an order, once stored: told to its buyer and seller. */
  changed?(order: PaymentOrder, event: OrderEvent): void;
  /** A second-chance offer was made (once per offer), once stored. */
  offered?(offer: SecondChanceOffer): void;
  /** A second-chance offer was accepted and opened `order`, once stored. */
  accepted?(offer: SecondChanceOffer, order: PaymentOrder): void;
  /** A user's bidding was suspended (true) or the suspension lifted (false), once stored. */
  suspension?(user: UserId, suspended: boolean): void;
}

export interface PaymentsServiceOptions {
  stores: PaymentStores;
  source: OrderSource;
  /** null when TOSS_SECRET_KEY and TOSS_CLIENT_KEY are not set: payment calls answer PAYMENTS_NOT_CONFIGURED. */
  gateway: PaymentGateway | null;
  config: PaymentsConfig;
  clock: Clock;
  log: Logger;
  hooks?: PaymentsHooks;
  /** Each bidder's best bid on an auction, best first (AuctionQueries.bestBids): second-chance offers. */
  bids?: { bestBids(auction: string): Promise<RunnerUpBid[]> };
  /** How long the buyer of an order a second-chance offer opens has to pay (default 72 hours). */
  orderPaymentMs?: number;
  /** Settlement's ledger: each capture, refund and confirmation is posted in the order's own write. */
  ledger?: OrderLedger | null;
}

/** What payments needs of settlement (given by app/server.ts): the postings, and the order's category for its fee. */
export interface OrderLedger {
  postings: LedgerPostings;
  categoryOf(order: PaymentOrder): Promise<string | null>;
}

/** How many times change() decides again after losing a race before giving up. */
const RACE_RETRIES = 5;

export const confirmKey = (orderId: string, paymentKey: string): string => `confirm:${orderId}:${digest(paymentKey)}`;
const refundKey = (orderId: string, callerKey: string): string => `refund:${orderId}:${digest(callerKey)}`;
function digest(s: string): string {
  return createHash('sha256').update(s).digest('base64url');
}

export class PaymentsService implements PaymentsApi {
  constructor(private readonly o: PaymentsServiceOptions) {}

  // ---- reads ---------------------------------------------------------------------------------------

  async orders(actor: Actor, limit: number): Promise<PaymentOrder[]> {
    const ids = await this.o.source.idsOf(actor.userId, limit);
    const byId = new Map<string, PaymentOrder>();
    for (const id of ids) {
      const order = await this.adopt(id);
      if (order !== null) byId.set(id, order);
    }
    // Orders second-chance offers opened are the payments domain's own.
    for (const o of await this.o.stores.ordersOf(actor.userId, limit)) byId.set(o.id, o);
    return [...byId.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).slice(0, limit);
  }

  async order(actor: Actor, id: string): Promise<OrderView> {
    const order = await this.visible(actor, id);
    return this.view(order);
  }

  async checkout(actor: Actor, id: string): Promise<Checkout> {
    const toss = this.tossConfig();
    const order = await this.asRole(actor, id, 'buyer');
    if (order.status !== 'AWAITING_PAYMENT' || order.confirming !== null || this.o.clock.now() >= order.payBy) throw new OkjError('ORDER_NOT_PAYABLE');
    return {
      orderId: order.id, orderName: `okjangpan ${order.auctionId}`, amount: order.amount, customerKey: customerKey(order.buyerId),
      clientKey: toss.clientKey, successUrl: this.o.config.successUrl, failUrl: this.o.config.failUrl,
    };
  }

  // ---- confirm -------------------------------------------------------------------------------------

  async confirmPayment(actor: Actor, req: ConfirmPayment): Promise<OrderView> {
    const gateway = this.gatewayOrThrow();
    if (!isWon(req.amount)) throw new OkjError('VALIDATION_FAILED', 'amount must be a whole number of won from 1 to 10^12');
    let order = await this.asRole(actor, req.orderId, 'buyer');
    if (order.payment?.paymentKey === req.paymentKey) return this.view(order); // a repeat of a confirm that succeeded
    if (order.confirming !== null) {
      // An earlier confirm's outcome is unknown: Toss's word on the order comes before anything else.
      order = await this.settle(order);
      if (order.payment?.paymentKey === req.paymentKey) return this.view(order);
      if (order.confirming !== null) throw new OkjError('PAYMENT_PENDING');
    }
    const idempotencyKey = confirmKey(order.id, req.paymentKey);
    order = await this.change(order.id, { type: 'startConfirm', paymentKey: req.paymentKey, amount: req.amount, idempotencyKey });
    const started = Date.now();
    const r = await gateway.confirm({ paymentKey: req.paymentKey, orderId: order.id, amount: req.amount, idempotencyKey });
    const ms = Date.now() - started;
    if (r.kind === 'ok') {
      order = await this.applyPayment(order, r.payment);
    } else if (r.kind === 'rejected' || r.kind === 'not_found') {
      this.o.hooks?.confirmed?.('rejected', r.code, ms);
      await this.change(order.id, { type: 'confirmFailed', paymentKey: req.paymentKey, code: r.code });
      throw new OkjError('PAYMENT_REJECTED', `Toss refused the payment: ${r.code}`, { providerCode: r.code });
    } else {
      // already_processed or unknown: what happened is Toss's to say.
      order = await this.settle(order);
    }
    if (order.status === 'PAID' && order.payment?.paymentKey === req.paymentKey) {
      this.o.hooks?.confirmed?.('paid', null, ms);
      return this.view(order);
    }
    if (order.confirming !== null) {
      this.o.hooks?.confirmed?.('pending', r.kind === 'ok' ? null : r.code, ms);
      throw new OkjError('PAYMENT_PENDING');
    }
    const last = (await this.o.stores.history(order.id)).at(-1);
    if (last?.type === 'AWAITING_DEPOSIT' && last.paymentKey === req.paymentKey) {
      this.o.hooks?.confirmed?.('pending', null, ms);
      return this.view(order);
    }
    this.o.hooks?.confirmed?.('rejected', null, ms);
    throw new OkjError('PAYMENT_REJECTED', 'Toss did not approve the payment', { providerCode: null });
  }

  /**
   * Ask Toss for the order's payment and act on it: PAID, the confirm failed, or still unknown (the
   * order stays confirming). The buyer's retry, the reconciler and the expiry job all come here.
   */
  async settle(order: PaymentOrder): Promise<PaymentOrder> {
    const gateway = this.gatewayOrThrow();
    const r = await gateway.paymentOfOrder(order.id);
    if (r.kind !== 'ok') return order; // not known yet: ask again later
    if (r.payment === null) {
      if (order.confirming === null) return order;
      this.o.hooks?.finding?.('failed');
      return this.change(order.id, { type: 'confirmFailed', paymentKey: order.confirming.paymentKey, code: 'NOT_FOUND_PAYMENT' });
    }
    return this.applyPayment(order, r.payment);
  }

  /** Toss's payment of this order, as Toss says it now: the only thing trusted about money. */
  async applyPayment(order: PaymentOrder, p: Payment): Promise<PaymentOrder> {
    for (let i = 0; ; i++) {
      try {
        return await this.applyOnce(order, p);
      } catch (err) {
        // Another worker (a webhook, the reconciler, the buyer's retry) applied something first: look again.
        if (!(err instanceof WriteConflictError) || i >= RACE_RETRIES) throw err;
      }
    }
  }

  private async applyOnce(order: PaymentOrder, p: Payment): Promise<PaymentOrder> {
    if (p.orderId !== order.id) return order;
    const current = (await this.o.stores.order(order.id)) ?? order;
    if (current.payment?.paymentKey === p.paymentKey) return this.recordRefunds(current, p);
    if (p.status === 'DONE' || p.status === 'PARTIAL_CANCELED') {
      const facts = { paymentKey: p.paymentKey, method: p.method, approvedAt: p.approvedAt, receiptUrl: p.receiptUrl };
      const d = decide(current, { type: 'markPaid', payment: facts, amount: p.totalAmount }, this.o.clock.now());
      if (d.ok) {
        if (current.confirming === null) this.o.hooks?.finding?.('paid_late');
        return this.store(current, d.event);
      }
      // Money the order cannot take (expired, paid by another payment, another amount): give it back.
      await this.refundUnpayable(p);
      this.o.hooks?.finding?.('refunded_unpayable');
      if (current.confirming?.paymentKey === p.paymentKey) {
        return this.change(current.id, { type: 'confirmFailed', paymentKey: p.paymentKey, code: d.code });
      }
      return current;
    }
    if (current.confirming?.paymentKey === p.paymentKey && (p.status === 'ABORTED' || p.status === 'EXPIRED' || p.status === 'CANCELED')) {
      this.o.hooks?.finding?.('failed');
      return this.change(current.id, { type: 'confirmFailed', paymentKey: p.paymentKey, code: p.failure?.code ?? p.status });
    }
    if (current.confirming?.paymentKey === p.paymentKey && p.status === 'WAITING_FOR_DEPOSIT') {
      // The outcome is known: an account to pay into. The order waits for the deposit (a webhook) until payBy.
      return this.change(current.id, { type: 'awaitDeposit', paymentKey: p.paymentKey });
    }
    return current; // READY, IN_PROGRESS: not settled yet
  }

  /**
   * Refunds Toss made of the order's payment that its history lacks (one whose answer was lost, or made in
   * Toss's dashboard), recorded from Toss's cancels by transaction key.
   */
  private async recordRefunds(order: PaymentOrder, p: Payment): Promise<PaymentOrder> {
    const seen = new Set((await this.o.stores.history(order.id)).flatMap((e) => (e.type === 'REFUNDED' && e.transactionKey !== null ? [e.transactionKey] : [])));
    let current = order;
    for (const c of p.cancels) {
      if (seen.has(c.transactionKey)) continue;
      const d = decide(current, { type: 'refund', amount: c.amount, reason: c.reason, transactionKey: c.transactionKey }, this.o.clock.now());
      if (!d.ok) continue;
      this.o.hooks?.finding?.('refund_recorded');
      current = await this.store(current, d.event);
    }
    return current;
  }

  private async refundUnpayable(p: Payment): Promise<void> {
    if (p.balanceAmount <= 0) return;
    if (p.virtualAccount !== null) {
      // Toss refunds a paid virtual account only to an account the buyer names: an operator's work.
      this.o.hooks?.finding?.('refund_needs_account');
      this.o.log.error({ orderId: p.orderId }, 'payments: a deposit the order cannot take needs a refund account; refund it by hand');
      return;
    }
    const r = await this.gatewayOrThrow().cancel({
      paymentKey: p.paymentKey, reason: 'the order could not take this payment', idempotencyKey: `unpayable:${digest(p.paymentKey)}`,
    });
    if (r.kind !== 'ok') throw new OkjError('PAYMENT_PENDING', `refunding an unpayable payment: ${r.kind}`);
  }

  // ---- the order's life after payment --------------------------------------------------------------

  async ship(actor: Actor, id: string, carrier: string, trackingNumber: string): Promise<OrderView> {
    await this.asRole(actor, id, 'seller');
    const dueAt = this.o.clock.now() + this.o.config.autoConfirmMs;
    const order = await this.change(id, { type: 'ship', carrier, trackingNumber }, () => ({
      schedule: [{ id: `auto_confirm:${id}`, kind: 'auto_confirm', ref: id, dueAt, attempts: 0, payload: null }],
    }));
    return this.view(order);
  }

  async confirmReceipt(actor: Actor, id: string): Promise<OrderView> {
    await this.asRole(actor, id, 'buyer');
    const order = await this.change(id, { type: 'confirmReceipt', automatic: false }, () => ({ cancel: [`auto_confirm:${id}`] }));
    return this.view(order);
  }

  async refund(actor: Actor, id: string, amount: Won | undefined, reason: string, idempotencyKey: string): Promise<OrderView> {
    const gateway = this.gatewayOrThrow();
    if (amount !== undefined && !isWon(amount)) throw new OkjError('VALIDATION_FAILED', 'amount must be a whole number of won from 1 to 10^12');
    const order = await this.visible(actor, id);
    const role = roleOf(order, actor.userId, actor.role === 'admin');
    const allowed = refundAmount(order, role, amount);
    if (!allowed.ok) throw new OkjError(allowed.code);
    const pre = decide(order, { type: 'refund', amount: allowed.amount, reason, transactionKey: null }, this.o.clock.now());
    if (!pre.ok) throw new OkjError(pre.code);
    const r = await gateway.cancel({ paymentKey: order.payment!.paymentKey, reason, amount: allowed.amount, idempotencyKey: refundKey(id, idempotencyKey) });
    if (r.kind === 'unknown') throw new OkjError('PAYMENT_PENDING');
    if (r.kind !== 'ok') throw new OkjError('PAYMENT_REJECTED', `Toss refused the refund: ${r.code}`, { providerCode: r.code });
    const last = r.payment.cancels.at(-1);
    const transactionKey = last?.transactionKey ?? null;
    // A repeat whose refund is already recorded (same transaction) is answered with the order as it is.
    const history = await this.o.stores.history(id);
    if (transactionKey !== null && history.some((e) => e.type === 'REFUNDED' && e.transactionKey === transactionKey)) return this.view(order);
    const done = await this.change(id, { type: 'refund', amount: allowed.amount, reason, transactionKey }, (next) =>
      (next.status === 'REFUNDED' ? { cancel: [`auto_confirm:${id}`] } : {}));
    return this.view(done);
  }

  // ---- second-chance offers ----------------------------------------------------------------------

  /** The seller of an EXPIRED order offers the item to the runner-up at their highest bid, for 48 hours. */
  async offerSecondChance(actor: Actor, id: string): Promise<SecondChanceOffer> {
    const order = await this.asRole(actor, id, 'seller');
    const offerId = `sco_${digest(`offer:${id}`).slice(0, 24)}`;
    const had = await this.o.stores.offer(offerId);
    if (had !== null) return had; // asked again: the same offer
    if (this.o.bids === undefined) throw new OkjError('NOT_FOUND', 'no bids to offer a second chance from');
    const made = secondChance(order, await this.o.bids.bestBids(order.auctionId), offerId, this.o.clock.now());
    if (!made.ok) throw new OkjError(made.code, made.code === 'NOT_FOUND' ? 'no other bidder to offer it to' : undefined);
    if (await this.o.stores.putOffer(made.offer)) this.o.hooks?.offered?.(made.offer);
    return (await this.o.stores.offer(offerId)) ?? made.offer;
  }

  /** The runner-up accepts: a new order at the offer's amount, the offer ACCEPTED, in one write. */
  async acceptOffer(actor: Actor, offerId: string): Promise<OrderView> {
    const offer = await this.o.stores.offer(offerId);
    if (offer === null || offer.bidderId !== actor.userId) throw new OkjError('NOT_FOUND', 'no such offer');
    if (offer.newOrderId !== null) return this.view((await this.o.stores.order(offer.newOrderId))!);
    const newId = `ord_${digest(`accepted:${offerId}`).slice(0, 24)}`;
    const now = this.o.clock.now();
    const accepted = acceptOffer(offer, actor.userId, newId, now, this.o.orderPaymentMs ?? 72 * 3_600_000);
    if (!accepted.ok) throw new OkjError(accepted.code);
    const { order, event } = open(accepted.opening);
    const expiry = { id: `expire:${newId}`, kind: 'expire' as const, ref: newId, dueAt: order.payBy, attempts: 0, payload: null };
    try {
      if (await this.o.stores.open(order, event, { schedule: [expiry], acceptOffer: offerId })) {
        this.o.hooks?.changed?.(order, event);
        this.o.hooks?.accepted?.(offer, order);
      }
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err; // accepted meanwhile: answered below
    }
    const stored = await this.o.stores.order(newId);
    if (stored === null) throw new OkjError('ILLEGAL_ORDER_TRANSITION', 'the offer is no longer open');
    return this.view(stored);
  }

  offers(actor: Actor, limit: number): Promise<SecondChanceOffer[]> {
    return this.o.stores.offersOf(actor.userId, limit);
  }

  // ---- timers --------------------------------------------------------------------------------------

  /** payBy passed: EXPIRED, a strike, and a suspension at NONPAYMENT_STRIKES_MAX, all in one write with the job's end. */
  async expire(id: string, jobId: string): Promise<'done' | 'later'> {
    let order = await this.o.stores.order(id);
    if (order === null || order.status !== 'AWAITING_PAYMENT') return 'done';
    if (order.confirming !== null && this.o.gateway !== null) order = await this.settle(order);
    if (order.status !== 'AWAITING_PAYMENT') return 'done';
    if (order.confirming !== null) return 'later';
    if (!(await this.closeWaitingAccount(order))) return 'later';
    order = await this.o.stores.order(id);
    if (order === null || order.status !== 'AWAITING_PAYMENT') return 'done';
    const now = this.o.clock.now();
    const strikes = await this.o.stores.strikesOf(order.buyerId, now - STRIKE_WINDOW_MS);
    const suspend = suspendedByStrikes([...strikes, now], now, this.o.config.strikesMax);
    const buyer = order.buyerId;
    await this.change(id, { type: 'expire' }, () => ({
      finish: jobId,
      strike: { userId: buyer, orderId: id, at: now },
      ...(suspend ? { suspend: { userId: buyer, at: now } } : {}),
    }));
    if (suspend) this.o.hooks?.suspension?.(buyer, true);
    return 'done';
  }

  /**
   * Before an order expires, the virtual account it waits on is closed at Toss, so no deposit can land
   * after; one that landed is applied (paid in time, or refunded). False while Toss cannot answer.
   */
  private async closeWaitingAccount(order: PaymentOrder): Promise<boolean> {
    const last = (await this.o.stores.history(order.id)).filter((e) => e.type === 'AWAITING_DEPOSIT').at(-1);
    if (last === undefined || last.type !== 'AWAITING_DEPOSIT' || this.o.gateway === null) return true;
    const r = await this.o.gateway.payment(last.paymentKey);
    if (r.kind === 'unknown') return false;
    if (r.kind !== 'ok') return true;
    if (r.payment.status === 'WAITING_FOR_DEPOSIT') {
      const c = await this.o.gateway.cancel({ paymentKey: last.paymentKey, reason: 'the order expired unpaid', idempotencyKey: `close-account:${digest(last.paymentKey)}` });
      return c.kind !== 'unknown';
    }
    if (r.payment.status === 'DONE') await this.applyPayment(order, r.payment);
    return true;
  }

  async autoConfirm(id: string, jobId: string): Promise<'done' | 'later'> {
    const order = await this.o.stores.order(id);
    if (order === null || order.status !== 'SHIPPED') return 'done';
    await this.change(id, { type: 'confirmReceipt', automatic: true }, () => ({ finish: jobId }));
    return 'done';
  }

  /** An admin lifts a user's suspension (strikes stay); false when there was none. */
  async liftSuspension(actor: Actor, user: UserId): Promise<boolean> {
    if (actor.role !== 'admin') throw new OkjError('FORBIDDEN', 'only an admin lifts a suspension');
    const lifted = await this.o.stores.lift(user, this.o.clock.now());
    if (lifted) this.o.hooks?.suspension?.(user, false);
    return lifted;
  }

  /** Is this user's bidding suspended for non-payment? (The bid path asks app/payments/suspensions.ts.) */
  suspended(user: UserId): Promise<boolean> {
    return this.o.stores.suspended(user);
  }

  // ---- plumbing ------------------------------------------------------------------------------------

  /** The order, opened from the marketplace's order the first time it is asked for. */
  async adopt(id: string): Promise<PaymentOrder | null> {
    const stored = await this.o.stores.order(id);
    if (stored !== null) return stored;
    const opening = await this.o.source.opening(id);
    if (opening === null) return null;
    const { order, event } = open(opening);
    const expiry = { id: `expire:${id}`, kind: 'expire' as const, ref: id, dueAt: opening.payBy, attempts: 0, payload: null };
    if (await this.o.stores.open(order, event, { schedule: [expiry] })) this.o.hooks?.changed?.(order, event);
    return this.o.stores.order(id);
  }

  private async visible(actor: Actor, id: string): Promise<PaymentOrder> {
    const order = await this.adopt(id);
    if (order === null || roleOf(order, actor.userId, actor.role === 'admin') === 'none') throw new OkjError('ORDER_NOT_FOUND');
    return order;
  }

  private async asRole(actor: Actor, id: string, role: 'buyer' | 'seller'): Promise<PaymentOrder> {
    const order = await this.visible(actor, id);
    if (roleOf(order, actor.userId, false) !== role) throw new OkjError('FORBIDDEN', `only the order's ${role} may do this`);
    return order;
  }

  private async view(order: PaymentOrder): Promise<OrderView> {
    return { order, events: await this.o.stores.history(order.id) };
  }

  /** Decide on the stored order and store the event with its effects; a lost race decides again. */
  private async change(id: string, cmd: OrderCommand, effects?: (next: PaymentOrder) => TransitionEffects): Promise<PaymentOrder> {
    for (let i = 0; ; i++) {
      const order = await this.o.stores.order(id);
      if (order === null) throw new OkjError('ORDER_NOT_FOUND');
      const d = decide(order, cmd, this.o.clock.now());
      if (!d.ok) throw new OkjError(d.code as ErrorCode);
      try {
        return await this.store(order, d.event, effects);
      } catch (err) {
        if (!(err instanceof WriteConflictError) || i >= RACE_RETRIES) throw err;
      }
    }
  }

  private async store(order: PaymentOrder, event: OrderEvent, effects?: (next: PaymentOrder) => TransitionEffects): Promise<PaymentOrder> {
    const next = evolve(order, event);
    const e = effects?.(next) ?? {};
    // An order that can no longer be paid needs no expiry job.
    if (next.status !== 'AWAITING_PAYMENT' && order.status === 'AWAITING_PAYMENT' && e.finish !== `expire:${order.id}`) {
      e.cancel = [...(e.cancel ?? []), `expire:${order.id}`];
    }
    const posting = await this.posting(next, event);
    if (posting !== null) e.ledger = posting;
    await this.o.stores.transition(next, event, e);
    this.o.hooks?.changed?.(next, event);
    return next;
  }

  /** The ledger transaction the event moves money by, if any (keyed, so it posts once whatever retries). */
  private async posting(next: PaymentOrder, event: OrderEvent): Promise<LedgerTransaction | null> {
    const l = this.o.ledger;
    if (l === null || l === undefined) return null;
    const base = { orderId: next.id, sellerId: next.sellerId, at: event.at };
    switch (event.type) {
      case 'PAID':
        return l.postings.captured({ ...base, amount: event.amount });
      case 'REFUNDED':
        // Toss's cancel transaction names the refund; without one, the order's event does.
        return l.postings.refunded({ ...base, refundId: event.transactionKey ?? `${next.id}:${event.seq}`, amount: event.amount });
      case 'CONFIRMED':
        return l.postings.confirmed({ ...base, categoryId: await l.categoryOf(next), price: next.paid - next.refunded });
      default:
        return null;
    }
  }

  private gatewayOrThrow(): PaymentGateway {
    if (this.o.gateway === null) throw new OkjError('PAYMENTS_NOT_CONFIGURED');
    return this.o.gateway;
  }

  private tossConfig(): NonNullable<PaymentsConfig['toss']> {
    if (this.o.config.toss === null || this.o.gateway === null) throw new OkjError('PAYMENTS_NOT_CONFIGURED');
    return this.o.config.toss;
  }
}

/** Toss's customerKey: stable per buyer, not their id (Toss advises against guessable keys). */
function customerKey(user: UserId): string {
  return `c_${digest(`okjangpan:${user}`)}`;
}

// The payments runtime, chosen from configuration: Toss (when both keys are set) or none, the domain's
// stores (given: the SQL database's, opened by app/stores.ts; or memory), the service, and the worker
// that runs due jobs, webhooks and the reconciler. Secrets go to the Toss adapter and nowhere else.
import type { Clock } from '../../engine/kernel.ts';
import type { Logger } from '../../engine/logger.ts';
import type { Authenticator } from '../../engine/accounts/identity.ts';
import type { PaymentsHttpDeps } from '../../http/payments/routes.ts';
import { MemoryPaymentStores } from '../../storage/payments/memory-orders.ts';
import type { OpenedOrders, OrderSource, PaymentGateway, PaymentStores } from '../../storage/payments/ports.ts';
import { TossPayments } from '../../storage/payments/toss.ts';
import type { Metrics } from '../metrics.ts';
import type { PaymentsConfig } from './config.ts';
import { PaymentsService, type OrderLedger, type PaymentsHooks, type PaymentsServiceOptions } from './service.ts';
import { OrderNotices, type OrderNoticesOptions } from './notices.ts';
import { Suspensions } from './suspensions.ts';
import { PaymentsWorker } from './worker.ts';

export interface PaymentsOptions {
  config: PaymentsConfig;
  clock: Clock;
  log: Logger;
  source: OrderSource;
  /** The orders the marketplace opened, adopted at start and on every tick (so unread ones expire). */
  opened?: OpenedOrders;
  stores?: PaymentStores;
  /** A gateway to use instead of Toss from config (tests). */
  gateway?: PaymentGateway | null;
  metrics?: Metrics;
  /** How often due jobs and the reconciler run (default 1000 ms). */
  tickMs?: number;
  /** Toss's confirm and cancel deadline (default 30 s). */
  tossTimeoutMs?: number;
  /** Each bidder's best bid (AuctionQueries.bestBids), for second-chance offers. */
  bids?: PaymentsServiceOptions['bids'];
  /** Where buyers and sellers are told of their orders' transitions (inbox, then sockets); none: not told. */
  notices?: Omit<OrderNoticesOptions, 'log'>;
  /** How long a second-chance order may wait for payment (the marketplace's ORDER_PAYMENT_HOURS). */
  orderPaymentMs?: number;
  /** Settlement's ledger (wired by app/server.ts); the stores must be able to write its postings. */
  ledger?: OrderLedger | null;
}

export class PaymentsRuntime {
  readonly stores: PaymentStores;
  readonly gateway: PaymentGateway | null;
  readonly service: PaymentsService;
  readonly worker: PaymentsWorker;
  /** The bid path's gate (BIDDING_SUSPENDED). */
  readonly suspensions: Suspensions;
  readonly notices: OrderNotices | null;

  constructor(private readonly o: PaymentsOptions) {
    const { config, clock, log, metrics } = o;
    this.stores = o.stores ?? new MemoryPaymentStores();
    this.gateway = o.gateway !== undefined ? o.gateway
      : config.toss === null ? null
        : new TossPayments({
          secretKey: config.toss.secretKey, baseUrl: config.toss.apiBase, timeoutMs: o.tossTimeoutMs,
          onUnknown: (e) => log.warn({ operation: e.operation, cause: e.cause, status: e.status }, 'toss: outcome unknown'),
        });
    if (this.gateway === null) log.info({}, 'payments: TOSS_SECRET_KEY and TOSS_CLIENT_KEY are not set; payment routes answer 501');
    this.suspensions = new Suspensions(this.stores, log);
    const notices = this.notices = o.notices === undefined ? null : new OrderNotices({ ...o.notices, log });
    const hooks: PaymentsHooks = {
      suspension: (user, suspended) => (suspended ? this.suspensions.add(user) : this.suspensions.remove(user)),
      confirmed: (outcome, code, ms) => {
        metrics?.paymentConfirms.labels(outcome, code ?? '').inc();
        metrics?.paymentConfirmSeconds.observe(ms / 1000);
      },
      finding: (kind) => metrics?.paymentFindings.labels(kind).inc(),
      changed: (order, event) => {
        log.info({ orderId: order.id, seq: event.seq, type: event.type, status: order.status }, 'order changed');
        notices?.changed(order, event);
      },
      offered: (offer) => notices?.offered(offer),
      accepted: (offer, order) => notices?.accepted(offer, order),
    };
    this.service = new PaymentsService({
      stores: this.stores, source: o.source, gateway: this.gateway, config, clock, log, hooks, bids: o.bids, orderPaymentMs: o.orderPaymentMs,
      ledger: o.ledger ?? null,
    });
    this.worker = new PaymentsWorker({ service: this.service, stores: this.stores, gateway: this.gateway, clock, log, hooks, opened: o.opened });
    metrics?.watchPayments(() => this.stores.backlog('webhook'));
  }

  /** Loads the suspended users before the first bid is taken, then runs the background work. */
  async start(): Promise<void> {
    await this.suspensions.refresh();
    this.suspensions.start(5_000);
    this.worker.start(this.o.tickMs ?? 1000);
    // Confirms a crash left unknown are settled now, in the background (Toss may be slow to answer).
    this.worker.reconcile(0).catch((err) => this.o.log.warn({ err }, 'payments: reconciling at start failed; the next pass tries again'));
  }

  async stop(): Promise<void> {
    this.suspensions.stop();
    await this.worker.stop();
    await this.notices?.settled();
  }

  httpDeps(auth: Authenticator, bodyLimitBytes: number): PaymentsHttpDeps {
    return { payments: this.service, auth, bodyLimitBytes, receiveWebhook: (body) => this.worker.receive(body) };
  }
}

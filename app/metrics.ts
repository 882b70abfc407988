// Every metric the engine exports, defined in this one module, on a registry of its own (two servers in
// one process never share counters). Prometheus naming: `okj_` prefix, `_total` on counters, base units
// (`_seconds`). Node's default metrics (event loop lag, heap, GC, CPU) keep their standard names, so
// community dashboards for Node work unchanged.
//
// The bid path stays cheap: prom-client spends about a microsecond per counter or histogram update
// (label keys built and validated each time), so a bid only bumps plain numbers, which are added to the
// counters when Prometheus scrapes, and its ack latency goes to a FastHistogram (a few array writes).
// What mirrors state the engine already keeps (actors, sockets, subscriptions, fan-out and slow-consumer
// counts) is read at scrape time too, so those paths carry no instrumentation at all. HTTP requests and
// group commits are rare enough for prom-client's own metrics.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { STATUSES, type AuctionStatus, type ErrorCode, type Reply } from '../engine/index.ts';
import { FastHistogram, type Series } from './fast-histogram.ts';

export type Transport = 'ws' | 'http';
export type BidCommandType = 'bid' | 'buy';
export type AwsService = 'sqs' | 'scheduler';

/** What the metrics read from the auction service at scrape time (AuctionService fits it). */
export interface EngineSource {
  readonly registry: { actorsInMemory(): Iterable<{ readonly state: { readonly status: AuctionStatus }; readonly queued: number }> };
  readonly pending: number;
  readonly quarantinedCount: number;
}

/** What the metrics read from the socket gateway at scrape time (the Gateway fits it). */
export interface GatewaySource {
  readonly connections: number;
  readonly subscriptions: number;
  readonly stats: { readonly published: number; readonly delivered: number; readonly lagged: number; readonly closedSlow: number };
}

const TRANSPORTS: readonly Transport[] = ['ws', 'http'];
const BID_COMMANDS: readonly BidCommandType[] = ['bid', 'buy'];
/**
 * Every operation the close pipeline and the outbox relay call (app/market/, storage/closes/),
 * initialised at zero so `rate()` works before the first call.
 */
const AWS_OPERATIONS: Readonly<Record<AwsService, readonly string[]>> = {
  sqs: ['SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility'],
  scheduler: ['CreateSchedule', 'UpdateSchedule', 'DeleteSchedule'],
};

const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];
/** Latency buckets from 0.5 ms to 10 s: acks are milliseconds when healthy, seconds under overload. */
/** What the payments reconciler and webhooks count (app/payments/service.ts, worker.ts). */
const PAYMENT_FINDINGS = ['paid_late', 'failed', 'refunded_unpayable', 'refund_needs_account', 'refund_recorded', 'forged_webhook'];

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

interface Inc { inc(n?: number): void }

/** One number per transport and command. */
type PerBid<T> = Record<Transport, Record<BidCommandType, T>>;
const perBid = <T>(f: (t: Transport, c: BidCommandType) => T): PerBid<T> =>
  Object.fromEntries(TRANSPORTS.map((t) => [t, Object.fromEntries(BID_COMMANDS.map((c) => [c, f(t, c)]))])) as PerBid<T>;

export class Metrics {
  readonly registry = new Registry();
  private engine: EngineSource | null = null;
  private gateway: GatewaySource | null = null;

  // ---- bids ---------------------------------------------------------------------------------------
  // Counts since the last scrape, bumped per bid and added to the counters below when scraped.
  private readonly acceptedSince: PerBid<number> = perBid(() => 0);
  private readonly rejectedSince: PerBid<Map<ErrorCode, number>> = perBid(() => new Map());
  readonly bidsAccepted: Counter<'transport' | 'command'> = new Counter({
    name: 'okj_bids_accepted_total', help: 'Bids and buy-nows accepted and durable, by transport and command.',
    labelNames: ['transport', 'command'] as const, registers: [this.registry], collect: () => this.foldBidCounts(),
  });
  readonly bidsRejected: Counter<'transport' | 'command' | 'code'> = new Counter({
    name: 'okj_bids_rejected_total', help: 'Bids and buy-nows refused, by transport, command and error code.',
    labelNames: ['transport', 'command', 'code'] as const, registers: [this.registry], collect: () => this.foldBidCounts(),
  });
  readonly ackSeconds = new FastHistogram(
    'okj_bid_ack_duration_seconds', 'Time from a bid reaching the service to its reply (durable when accepted).',
    'transport', LATENCY_BUCKETS, this.registry,
  );

  // ---- journal ------------------------------------------------------------------------------------
  readonly batchCommands = new Histogram({
    name: 'okj_journal_batch_commands', help: 'Commands (stored replies) written per group commit.',
    buckets: BATCH_BUCKETS, registers: [this.registry],
  });
  readonly commitSeconds = new Histogram({
    name: 'okj_journal_commit_duration_seconds', help: 'Time to make one group commit durable.',
    buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  readonly commitFailures = new Counter({
    name: 'okj_journal_commit_failures_total', help: 'Group commits the store refused (their commands got STORE_UNAVAILABLE).',
    registers: [this.registry],
  });

  // ---- HTTP ---------------------------------------------------------------------------------------
  readonly httpRequests = new Counter({
    name: 'okj_http_requests_total', help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const, registers: [this.registry],
  });
  readonly httpSeconds = new Histogram({
    name: 'okj_http_request_duration_seconds', help: 'HTTP request duration at the API, by method and route template.',
    labelNames: ['method', 'route'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry],
  });

  // ---- price prediction (app/pricing/): providers and the cache --------------------------------------
  readonly pricingCalls = new Counter({
    name: 'okj_pricing_provider_calls_total', help: 'Price prediction provider calls, by provider and outcome (ok, or the failure kind).',
    labelNames: ['provider', 'outcome'] as const, registers: [this.registry],
  });
  readonly pricingTokens = new Counter({
    name: 'okj_pricing_tokens_total', help: 'Tokens billed by price prediction providers, by provider and kind (input, output).',
    labelNames: ['provider', 'kind'] as const, registers: [this.registry],
  });
  readonly pricingCache = new Counter({
    name: 'okj_pricing_cache_total', help: 'Price lookups by cache result: hit, miss (computed), collapsed (joined a computation in flight).',
    labelNames: ['result'] as const, registers: [this.registry],
  });

  // ---- AWS (the close pipeline's queue and scheduler) ---------------------------------------------
  readonly sqsCalls = new Counter({
    name: 'okj_sqs_calls_total', help: 'SQS API calls, by operation.', labelNames: ['operation'] as const, registers: [this.registry],
  });
  readonly sqsFailures = new Counter({
    name: 'okj_sqs_call_failures_total', help: 'SQS API calls that failed, by operation.', labelNames: ['operation'] as const, registers: [this.registry],
  });
  readonly schedulerCalls = new Counter({
    name: 'okj_scheduler_calls_total', help: 'EventBridge Scheduler API calls, by operation.', labelNames: ['operation'] as const, registers: [this.registry],
  });
  readonly schedulerFailures = new Counter({
    name: 'okj_scheduler_call_failures_total', help: 'EventBridge Scheduler API calls that failed, by operation.', labelNames: ['operation'] as const, registers: [this.registry],
  });

  // ---- settlement ---------------------------------------------------------------------------------
  readonly settlementPayouts = new Counter({
    name: 'okj_settlement_payouts_total', help: 'Payouts handed to the payout gateway, by outcome (completed, requested, failed, unknown).',
    labelNames: ['outcome'] as const, registers: [this.registry],
  });
  readonly settlementHeld = new Counter({
    name: 'okj_settlement_held_total', help: 'Sellers a run held for want of a payout account.', registers: [this.registry],
  });
  readonly reconciliationMismatches = new Counter({
    name: 'okj_settlement_reconciliation_mismatches_total', help: 'Orders whose ledger amounts differ from Toss\'s transactions, counted each time a reconciliation finds them.',
    registers: [this.registry],
  });

  private readonly ack: Record<Transport, Series> = { ws: this.ackSeconds.labels('ws'), http: this.ackSeconds.labels('http') };

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    for (const t of TRANSPORTS) for (const c of BID_COMMANDS) this.bidsAccepted.labels(t, c).inc(0);
    for (const op of AWS_OPERATIONS.sqs) (this.sqsCalls.labels(op).inc(0), this.sqsFailures.labels(op).inc(0));
    for (const op of AWS_OPERATIONS.scheduler) (this.schedulerCalls.labels(op).inc(0), this.schedulerFailures.labels(op).inc(0));
    for (const o of ['completed', 'requested', 'failed', 'unknown']) this.settlementPayouts.labels(o).inc(0);
    for (const provider of ['naver', 'openai']) this.pricingCalls.labels(provider, 'ok').inc(0);
    for (const kind of ['input', 'output']) this.pricingTokens.labels('openai', kind).inc(0);
    for (const result of ['hit', 'miss', 'collapsed']) this.pricingCache.labels(result).inc(0);
    for (const outcome of ['paid', 'rejected', 'pending']) this.paymentConfirms.labels(outcome, '').inc(0);
    for (const kind of PAYMENT_FINDINGS) this.paymentFindings.labels(kind).inc(0);
    this.scrapeTimeMetrics();
    if (opts.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry });
      // Gauges that prom-client names with `_total` (promtool rejects that); the same counts stay
      // exported by type as nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
      for (const name of MISNAMED_DEFAULTS) this.registry.removeSingleMetric(name);
    }
  }

  // ---- payments (SPEC §5) --------------------------------------------------------------------------
  readonly paymentConfirms = new Counter({
    name: 'okj_payment_confirms_total', help: "Confirms at Toss by outcome (paid, rejected, pending) and Toss's code ('' when none).",
    labelNames: ['outcome', 'provider_code'] as const, registers: [this.registry],
  });
  readonly paymentConfirmSeconds = new Histogram({
    name: 'okj_payment_confirm_duration_seconds', help: "Time of Toss's confirm call.", buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  readonly paymentFindings = new Counter({
    name: 'okj_payment_findings_total', help: 'What the reconciler and webhooks found: paid_late, failed, refunded_unpayable, refund_needs_account, forged_webhook.',
    labelNames: ['kind'] as const, registers: [this.registry],
  });
  private webhookBacklog: (() => Promise<{ count: number; oldestDueAt: number | null }>) | null = null;
  readonly paymentWebhooks = ((self) => new Gauge({
    name: 'okj_payment_webhooks_pending', help: 'Webhooks stored and not yet processed.', registers: [this.registry],
    async collect() {
      this.set((await self.webhookBacklog?.().catch(() => null))?.count ?? 0);
    },
  }))(this);
  readonly paymentWebhookAge = ((self) => new Gauge({
    name: 'okj_payment_webhook_oldest_age_seconds', help: 'How long the oldest pending webhook has been due (0 when none).', registers: [this.registry],
    async collect() {
      const b = await self.webhookBacklog?.().catch(() => null);
      this.set(b?.oldestDueAt == null ? 0 : Math.max(0, (Date.now() - b.oldestDueAt) / 1000));
    },
  }))(this);

  /** The payments domain's webhook backlog, read at scrape time. */
  watchPayments(backlog: () => Promise<{ count: number; oldestDueAt: number | null }>): void {
    this.webhookBacklog = backlog;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Read gauges from these at scrape time. */
  watch(sources: { engine?: EngineSource; gateway?: GatewaySource }): void {
    if (sources.engine !== undefined) this.engine = sources.engine;
    if (sources.gateway !== undefined) this.gateway = sources.gateway;
  }

  /** A bid or buy-now was answered after `seconds`. Called per bid: plain number writes only. */
  bidAnswered(transport: Transport, command: BidCommandType, reply: Reply, seconds: number): void {
    this.ack[transport].observe(seconds);
    if (reply.ok) {
      this.acceptedSince[transport][command]++;
      return;
    }
    const byCode = this.rejectedSince[transport][command];
    byCode.set(reply.code, (byCode.get(reply.code) ?? 0) + 1);
  }

  /** Add the bids counted since the last scrape to the counters. */
  private foldBidCounts(): void {
    for (const t of TRANSPORTS) {
      for (const c of BID_COMMANDS) {
        const accepted = this.acceptedSince[t][c];
        if (accepted > 0) this.bidsAccepted.labels(t, c).inc(accepted);
        this.acceptedSince[t][c] = 0;
        for (const [code, n] of this.rejectedSince[t][c]) {
          if (n > 0) this.bidsRejected.labels(t, c, code).inc(n);
        }
        this.rejectedSince[t][c].clear();
      }
    }
  }

  /** One group commit became durable: observed once per batch, not per command. */
  journalCommitted(commands: number, seconds: number): void {
    this.batchCommands.observe(commands);
    this.commitSeconds.observe(seconds);
  }

  journalFailed(): void {
    this.commitFailures.inc();
  }

  httpAnswered(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.labels(method, route, String(status)).inc();
    this.httpSeconds.labels(method, route).observe(seconds);
  }

  /** Count one AWS call and its failure; resolves or rejects as `call` does. */
  async aws<T>(service: AwsService, operation: string, call: () => Promise<T>): Promise<T> {
    const [calls, failures] = service === 'sqs' ? [this.sqsCalls, this.sqsFailures] : [this.schedulerCalls, this.schedulerFailures];
    calls.labels(operation).inc();
    try {
      return await call();
    } catch (err) {
      failures.labels(operation).inc();
      throw err;
    }
  }

  /** Gauges and counters that mirror state kept elsewhere, read when Prometheus scrapes. */
  private scrapeTimeMetrics(): void {
    const self = this;
    const registers = [this.registry];
    new Gauge({
      name: 'okj_actors', help: 'Auction actors in memory, by status (OPEN ones take bids).', labelNames: ['status'] as const, registers,
      collect() {
        const counts = new Map<AuctionStatus, number>(STATUSES.map((s) => [s, 0]));
        for (const a of self.engine?.registry.actorsInMemory() ?? []) counts.set(a.state.status, (counts.get(a.state.status) ?? 0) + 1);
        for (const [s, n] of counts) this.labels(s).set(n);
      },
    });
    new Gauge({
      name: 'okj_actor_mailbox_depth', help: 'Commands waiting in actor mailboxes, summed over actors.', registers,
      collect() {
        let n = 0;
        for (const a of self.engine?.registry.actorsInMemory() ?? []) n += a.queued;
        this.set(n);
      },
    });
    gauge('okj_journal_pending_commands', 'Commands decided and waiting for the journal (OVERLOADED past JOURNAL_MAX_PENDING).', () => self.engine?.pending);
    gauge('okj_auctions_quarantined', 'Auctions set aside after a failed commit until the store answers.', () => self.engine?.quarantinedCount);
    gauge('okj_ws_connections', 'Open WebSocket connections.', () => self.gateway?.connections);
    gauge('okj_ws_subscriptions', 'Auction subscriptions over all open sockets.', () => self.gateway?.subscriptions);
    mirror('okj_ws_frames_published_total', 'Frames published to a topic (once per topic and encoding, whatever the subscribers).', () => self.gateway?.stats.published);
    mirror('okj_ws_fanout_messages_total', 'Messages fanned out to sockets by topic publishes (one per subscriber).', () => self.gateway?.stats.delivered);
    let syncSlow = () => {};
    const slow = new Counter({
      name: 'okj_ws_slow_consumers_total', help: 'Slow consumers: taken off their topics (lagged) or closed with SLOW_CONSUMER.',
      labelNames: ['action'] as const, registers, collect: () => syncSlow(),
    });
    const lagged = follow(() => self.gateway?.stats.lagged, slow.labels('lagged'));
    const closed = follow(() => self.gateway?.stats.closedSlow, slow.labels('closed'));
    syncSlow = () => (lagged(), closed());

    function gauge(name: string, help: string, read: () => number | undefined): void {
      new Gauge({ name, help, registers, collect() { this.set(read() ?? 0); } });
    }
    function mirror(name: string, help: string, read: () => number | undefined): void {
      let sync = () => {};
      const c = new Counter({ name, help, registers, collect: () => sync() });
      sync = follow(read, c);
    }
  }
}

/** A collect callback that adds to `counter` whatever a monotonic count kept elsewhere gained. */
function follow(read: () => number | undefined, counter: Inc): () => void {
  let seen = 0;
  counter.inc(0);
  return () => {
    const now = read();
    if (now === undefined || now < seen) return;
    counter.inc(now - seen);
    seen = now;
  };
}

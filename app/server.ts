// The running server: stores, the auction service (recovered before anything listens), the socket
// gateway and the HTTP API, on one public port.
//
// GET /metrics is on the public port only with METRICS_PUBLIC=1; with METRICS_PORT it has a listener of
// its own (app/metrics-server.ts), for Prometheus on a private network.
//
// Port sharing: uWebSockets.js owns the public PORT. It upgrades `GET /ws` natively (the hot path never
// leaves uWS) and forwards every other request, streamed both ways, to the Koa app, which listens on an
// ephemeral loopback port that nothing else uses (http/bridge.ts). One hop on loopback for the API costs
// well under a millisecond and keeps Koa a plain Node server, with no adapter faking Node's req/res.
//
// Shutdown, in order: stop accepting (close the listen socket), drain (the service stops taking
// commands and flushes the journal; pending acks go out), close every socket with SERVER_SHUTDOWN
// (1001), close the HTTP side, finish the signups' follow-ups and give the mail queue a grace, close
// the stores.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import uWS, { type us_listen_socket } from 'uWebSockets.js';
import { systemClock, type Clock } from '../engine/index.ts';
import { attachGateway, type Gateway } from '../gateway/server.ts';
import { createAccounts } from './accounts/index.ts';
import { openMailer, type Mailer } from './accounts/mailer.ts';
import type { AccountService } from './accounts/service.ts';
import { createHttpApp } from '../http/app.ts';
import { forwardToKoa } from '../http/bridge.ts';
import type { AccessTokens, TokenKeys } from './accounts/tokens.ts';
import type { Config } from './config.ts';
import { createLogger } from './logger.ts';
import { gatedFront, meteredFront, meteredJournal } from './metered.ts';
import { listenMetrics, type MetricsListener } from './metrics-server.ts';
import { Metrics } from './metrics.ts';
import { AuctionService } from './auction/service.ts';
import { createChat } from './chat/index.ts';
import type { ChatService } from './chat/service.ts';
import { type Logger } from '../engine/logger.ts';
import { MarketRuntime, type MarketOptions } from './market/index.ts';
import { PaymentsRuntime, type PaymentsOptions } from './payments/index.ts';
import { marketOpenedOrders, marketOrderSource } from '../storage/payments/market-source.ts';
import { orderIdFor } from './market/close-effects.ts';
import { SettlementRuntime, type SettlementOptions } from './settlement/index.ts';
import type { LedgerPostings } from '../engine/settlement/api.ts';
import { PricingRuntime } from './pricing/index.ts';
import { RecommendationRuntime } from './recommendation/index.ts';
import type { NewGoodsSearch, PriceEstimator } from '../storage/pricing/ports.ts';
import { recommendationSources } from './recommendation/sources.ts';
import type { RecommendationStores } from '../storage/recommendation/ports.ts';
import { openStores, type Stores } from './stores.ts';
import { webBundle } from '../web/build/bundle.ts';

export interface StartOptions {
  /** The auction clock (tests inject a ManualClock). */
  clock?: Clock;
  logger?: Logger;
  /** Stores to use instead of opening them from config; they are closed with the server anyway. */
  stores?: Stores;
  /** Marketplace adapters to use instead of those from config (tests). */
  market?: Pick<MarketOptions, 'store' | 'images' | 'closeTickMs' | 'closeRetryMs'>;
  settlement?: Pick<SettlementOptions, 'gateway' | 'payments' | 'afterOpen'>;
  /** The metrics registry to fill (a fresh one by default). */
  metrics?: Metrics;
  /** Payments adapters and timings instead of those from config (tests). */
  payments?: Pick<PaymentsOptions, 'gateway' | 'tickMs' | 'tossTimeoutMs'>;
  /** The mailer to use instead of the one from config (tests inject a MemoryMailer); closed with the server. */
  mailer?: Mailer;
  /** Recommendation stores to use instead of those from config (tests); closed with the server. */
  recommendation?: RecommendationStores;
  /** Price prediction providers to use instead of those from config (tests). */
  pricing?: { search?: NewGoodsSearch; estimator?: PriceEstimator };
}

export interface RunningServer {
  /** The port actually bound (config.port may be 0). */
  port: number;
  /** The metrics listener's port actually bound (METRICS_PORT may be 0); null without one. */
  metricsPort: number | null;
  url: string;
  service: AuctionService;
  market: MarketRuntime;
  payments: PaymentsRuntime;
  settlement: SettlementRuntime;
  chat: ChatService;
  recommendation: RecommendationRuntime;
  pricing: PricingRuntime;
  gateway: Gateway;
  /** The token keys (tests sign tokens with them). */
  keys: TokenKeys;
  tokens: AccessTokens;
  metrics: Metrics;
  /** The account service (tests wait on `settled()` for signup mails). */
  accounts: AccountService;
  /** Graceful stop; idempotent. */
  close(): Promise<void>;
}

const GRACE_MS = 2000;

/**
 * Commit lanes by store (measured with bench:journal): MySQL commits on several connections at once
 * (1 lane 40k, 2 lanes 52k, 4 lanes 60k durable bids/s); SQLite has one writer thread, and two lanes
 * keep it busy while the event loop handles the other lane's commit (57k -> 73k).
 */
function defaultLanes(journal: 'sqlite' | 'mysql'): number {
  return journal === 'mysql' ? 4 : 2;
}

export async function startServer(config: Readonly<Config>, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? systemClock;
  const stores = opts.stores ?? (await openStores(config));
  const metrics = opts.metrics ?? new Metrics();
  const market = await MarketRuntime.open({ config: config.market, dataDir: config.dataDir, clock, log, journal: stores.journal, store: stores.market, metrics, ...opts.market });
  // Payments posts each capture, refund and confirmation to settlement's ledger in the order's own write
  // (the SQL stores share one database; payments' memory stores, when a test leaves them out, cannot).
  // The postings are settlement's, built just below: nothing is posted before the server runs.
  const postings: LedgerPostings = {
    captured: (e) => settlement.service.captured(e),
    refunded: (e) => settlement.service.refunded(e),
    confirmed: (f) => settlement.service.confirmed(f),
  };
  const payments = new PaymentsRuntime({
    config: config.payments, clock, log, source: marketOrderSource(market.store), stores: stores.payments, metrics,
    opened: marketOpenedOrders(stores.journal, market.store, orderIdFor),
    // Told on the sockets once the gateway is up (before that, the inbox item is still stored).
    notices: { inbox: market.store, tell: ({ to, ...n }) => gatewayRef?.tell(to, { t: 'notice', ...n }) },
    bids: { bestBids: (id) => service.bestBids(id) }, orderPaymentMs: config.market.orderPaymentMs,
    ledger: stores.payments === undefined ? null : {
      postings, categoryOf: async (order) => (await market.store.listing(order.auctionId))?.categoryId ?? null,
    },
    ...opts.payments,
  });
  // Reconciliation reads Toss's transactions through payments' gateway (none: it answers 501).
  const settlement = new SettlementRuntime({
    config: config.settlement, dataDir: config.dataDir, clock, log, store: stores.settlement, metrics, payments: payments.gateway,
    tell: (sellerId, period, amount) => market.store.addInbox([{
      id: `payout_held:${period}:${sellerId}`, userId: sellerId, auctionId: '', kind: 'payout_held', price: amount, orderId: null, createdAt: clock.now(), readAt: null,
    }]),
    ...opts.settlement,
  });
  const service = new AuctionService({
    closeScheduler: market.scheduler,
    clock,
    journal: meteredJournal(stores.journal, metrics),
    idempotency: stores.idempotency,
    snapshots: stores.snapshots,
    board: stores.board,
    logger: log,
    maxPending: config.journal.maxPending,
    snapshotEvery: config.journal.snapshotEvery,
    commitLanes: config.journal.lanes ?? defaultLanes(stores.kinds.journal),
  });

  const mailer = opts.mailer ?? openMailer(config.mail);
  if (opts.mailer === undefined) {
    log.info({ transport: config.mail.transport, dir: config.mail.transport === 'file' ? config.mail.dir : undefined }, 'mail');
    if (config.mail.transport === 'file' && config.env === 'production') log.warn({}, 'mail goes to files under DATA_DIR/mail: set MAIL_TRANSPORT=smtp and SMTP_URL to send it');
  }

  let gatewayRef: Gateway | null = null;
  const chat = createChat({ config: config.chat, store: stores.chat, auctions: service, inbox: market.store, clock, log, metrics, gateway: () => gatewayRef?.chatStats ?? null });

  const accountSide = createAccounts({ config, stores, auctions: service, mailer, log });
  const { accounts, tokens } = accountSide;
  const reco = await RecommendationRuntime.open({
    config: config.recommendation, redisUrl: config.redisUrl, redisPrefix: config.redisPrefix, journal: stores.journal, clock, log,
    ...(opts.recommendation !== undefined ? { stores: opts.recommendation } : {}),
    sources: recommendationSources({
      listings: async (ids) => new Map([...(await stores.market.listings(ids))].map(([id, l]) => [id, { sellerId: l.sellerId, status: l.status, tags: l.tags }])),
      auctions: service, accounts, clock,
    }),
  }).catch(async (err: unknown) => {
    await accounts.close(0).catch(() => {});
    await stores.close();
    throw err;
  });
  const pricing = await PricingRuntime.open({
    config: config.pricing, redisUrl: config.redisUrl, redisPrefix: config.redisPrefix, clock, log, metrics, ...opts.pricing,
    ...(stores.pricing !== undefined ? { predictions: stores.pricing } : {}),
    sources: {
      async product(id) {
        const p = await stores.market.product(id);
        return p === null || p.deletedAt !== null ? null : { id: p.id, name: p.name, description: p.description };
      },
      async closedSales(name, limit) {
        const sold = await stores.market.search({ statuses: ['SOLD'], text: name.slice(0, 100), sort: 'newest', limit });
        return sold.map((l) => ({ title: l.title, price: l.price, closedAt: l.endsAt }));
      },
    },
  }).catch(async (err: unknown) => {
    await reco.stop().catch(() => {});
    await accounts.close(0).catch(() => {});
    await stores.close();
    throw err;
  });

  let recovered = false;
  let internal: http.Server | null = null;
  let metricsListener: MetricsListener | null = null;
  market.attach(service);
  try {
    await service.recover();
    await market.start();
    await payments.start();
    settlement.start();
    await reco.start();
    recovered = true;
    const httpFront = meteredFront(gatedFront(service, payments.suspensions), metrics, 'http');
    const koa = createHttpApp({
      service: { ...httpFront, lookup: (id) => service.lookup(id), spec: (id) => service.spec(id) },
      auth: tokens, clock, log, metrics, accounts: { accounts, google: accountSide.google, publicBaseUrl: config.mail.publicBaseUrl },
      payments: payments.httpDeps(tokens, config.http.bodyLimitBytes),
      settlement: settlement.httpDeps(tokens, config.http.bodyLimitBytes),
      market: market.httpDeps(market.service(service, reco.service, pricing.service), tokens, config.http.bodyLimitBytes),
      recommendation: { recommendation: reco.service, auth: tokens },
      pricing: { pricing: pricing.service },
      bodyLimitBytes: config.http.bodyLimitBytes,
      chat: { chat, auth: tokens, bodyLimitBytes: config.http.bodyLimitBytes },
      publicMetrics: config.metrics.public,
      web: { bundle: webBundle, google: accountSide.google !== null, imageOrigins: config.market.s3 === null ? [] : [new URL(config.market.s3.cdnBaseUrl).origin],
        checkout: config.payments.toss === null ? null : { sdkUrl: config.payments.toss.sdkUrl } },
      ready: async () => {
        if (!recovered) throw new Error('recovery has not finished');
        await withTimeout(stores.ping(), GRACE_MS, 'the stores did not answer');
      },
    });
    internal = http.createServer(koa.callback());
    internal.keepAliveTimeout = 0; // only our bridge connects; its idle sockets must never be cut
    await new Promise<void>((resolve, reject) => {
      internal!.once('error', reject);
      internal!.listen(0, '127.0.0.1', () => resolve());
    });
    const m = config.metrics;
    if (m.port !== null) {
      metricsListener = await listenMetrics(metrics, m.host, m.port, log).catch((err: Error) => {
        throw new Error(`cannot listen on ${m.host}:${m.port} for metrics (set METRICS_HOST and METRICS_PORT): ${err.message}`);
      });
    }
  } catch (err) {
    await service.shutdown().catch(() => {});
    await market.stop().catch(() => {});
    await payments.stop().catch(() => {});
    await settlement.stop().catch(() => {});
    await reco.stop().catch(() => {});
    await pricing.stop().catch(() => {});
    internal?.close();
    await metricsListener?.close();
    await accounts.close(0).catch(() => {});
    await stores.close();
    throw err;
  }
  const inner = internal;
  const metricsOwn = metricsListener;
  const innerPort = (inner.address() as AddressInfo).port;

  const app = uWS.App();
  const ws = meteredFront(gatedFront(service, payments.suspensions), metrics, 'ws');
  const front = { ...ws, view: (id: string) => service.view(id), lookup: (id: string) => service.lookup(id), onCommit: service.onCommit.bind(service) };
  const gateway = attachGateway({ app, service: front, auth: tokens, limits: config.ws, clock, log, chat });
  gatewayRef = gateway;
  metrics.watch({ engine: service, gateway });
  const bridge = forwardToKoa(app, { host: '127.0.0.1', port: innerPort }, log, config.http.trustProxy);
  const listenSocket = await new Promise<us_listen_socket | false>((resolve) => app.listen(config.host, config.port, resolve));
  if (listenSocket === false) {
    gateway.close();
    bridge.close();
    inner.close();
    await metricsOwn?.close();
    await service.shutdown();
    await market.stop();
    await payments.stop();
    await settlement.stop();
    await reco.stop();
    await pricing.stop();
    await accounts.close(0);
    await stores.close();
    throw new Error(`cannot listen on ${config.host}:${config.port} (set HOST and PORT)`);
  }
  const port = uWS.us_socket_local_port(listenSocket as unknown as uWS.us_socket);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      uWS.us_listen_socket_close(listenSocket);
      await market.stopIntake();
      await service.shutdown();
      await chat.shutdown();
      await market.stop();
      await payments.stop();
      await settlement.stop();
      await reco.stop();
      await pricing.stop();
      gateway.close();
      // Requests still at Koa get a moment to finish, then everything is cut.
      inner.closeIdleConnections();
      await withTimeout(new Promise<void>((resolve) => inner.close(() => resolve())), GRACE_MS, 'http close').catch(() => inner.closeAllConnections());
      bridge.close();
      await metricsOwn?.close();
      (app as unknown as { close?: () => void }).close?.();
      await accounts.close(GRACE_MS);
      await stores.close();
      log.info({}, 'server stopped');
    })());

  const metricsPort = metricsOwn?.port ?? null;
  log.info({ port, metricsPort, publicMetrics: config.metrics.public, journal: stores.kinds.journal, board: stores.kinds.board }, 'listening');
  return { port, metricsPort, url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`, service, market, payments, settlement, chat, recommendation: reco, pricing, gateway, keys: tokens.keys, tokens, metrics, accounts, close };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

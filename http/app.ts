// The Koa application: the API under /api/v1, plus the probes. It listens only on loopback; the public
// port is uWebSockets.js, which forwards every non-socket request here (see app/server.ts).
import Koa from 'koa';
import { Router } from '@koa/router';
import type { Logger } from '../engine/logger.ts';
import type { Clock } from '../engine/index.ts';
import type { Authenticator } from '../engine/accounts/identity.ts';
import { accountRoutes, type AccountRoutesOptions } from './accounts/routes.ts';
import { auctionRoutes, type AuctionApi } from './auction/routes.ts';
import { chatRoutes, type ChatHttpDeps } from './chat/routes.ts';
import { openApiJson, undocumented } from './openapi.ts';
import { marketRoutes, type MarketHttpDeps } from './market/index.ts';
import { paymentsRoutes, type PaymentsHttpDeps } from './payments/routes.ts';
import { settlementRoutes, type SettlementHttpDeps } from './settlement/routes.ts';
import { pricingRoutes, type PricingHttpDeps } from './pricing/routes.ts';
import { recommendationRoutes, type RecommendationHttpDeps } from './recommendation/routes.ts';
import { observeRequests, type HttpMetrics } from './observe.ts';
import { problemOf, problems, sendProblem } from './problem.ts';
import { securityHeaders } from './security-headers.ts';
import { webRoutes, type WebOptions } from './web/routes.ts';

export interface HttpAppOptions {
  service: AuctionApi;
  /** Verifies bearer tokens for every route that needs a user. */
  auth: Authenticator;
  clock: Clock;
  bodyLimitBytes: number;
  log: Logger;
  accounts: Omit<AccountRoutesOptions, 'auth' | 'bodyLimitBytes'>;
  /** The marketplace (catalogue, lists and detail, inbox, orders); absent, only the auction writes are served. */
  market?: MarketHttpDeps;
  /** Orders and payments (SPEC §5); absent, their routes are not served. */
  payments?: PaymentsHttpDeps;
  /** Settlement (reports, runs, fee policies, payout accounts); absent, not served. */
  settlement?: SettlementHttpDeps;
  /** Chat (SPEC §7); absent, its routes are not served. */
  chat?: ChatHttpDeps;
  /** Recommendations and similar auctions; absent, those routes are not served. */
  recommendation?: RecommendationHttpDeps;
  /** Market prices of products; absent, that route is not served. */
  pricing?: PricingHttpDeps;
  /** Observes every request; served at GET /metrics too when `publicMetrics` (METRICS_PUBLIC=1). */
  metrics?: HttpMetrics;
  publicMetrics?: boolean;
  /** Readiness: resolves when the stores answer and recovery is done; rejects with the reason otherwise. */
  ready(): Promise<void>;
  /** The web app at `/` (docs/web.md); absent, only the API and the probes are served. */
  web?: Omit<WebOptions, 'log'>;
}

export function createHttpApp(o: HttpAppOptions): Koa {
  const app = new Koa();
  // Only our own forwarder connects (loopback), and it sets X-Forwarded-For to the client (TRUST_PROXY).
  app.proxy = true;
  app.silent = true;
  app.use(securityHeaders());
  app.use(observeRequests(o.log, o.metrics));
  app.use(problems(o.log));

  const probes = new Router();
  probes.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  probes.get('/readyz', async (ctx) => {
    try {
      await o.ready();
      ctx.body = { status: 'ready' };
    } catch (err) {
      sendProblem(ctx, problemOf('STORE_UNAVAILABLE', err instanceof Error ? err.message : 'not ready'));
    }
  });
  const doc = openApiJson();
  probes.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = doc;
  });
  const metrics = o.metrics;
  if (metrics !== undefined && o.publicMetrics === true) {
    probes.get('/metrics', async (ctx) => {
      ctx.type = metrics.contentType;
      ctx.body = await metrics.text();
    });
  }
  app.use(probes.routes());

  const api = new Router({ prefix: '/api/v1' });
  const m = o.market;
  if (m !== undefined) api.use(marketRoutes(m).routes());
  if (o.payments !== undefined) api.use(paymentsRoutes(o.payments).routes());
  if (o.settlement !== undefined) api.use(settlementRoutes(o.settlement).routes());
  if (o.chat !== undefined) api.use(chatRoutes(o.chat).routes());
  if (o.recommendation !== undefined) api.use(recommendationRoutes(o.recommendation).routes());
  if (o.pricing !== undefined) api.use(pricingRoutes(o.pricing).routes());
  const auctions = auctionRoutes({ service: o.service, auth: o.auth, clock: o.clock, bodyLimitBytes: o.bodyLimitBytes, listings: m?.listings });
  api.use(auctions.routes());
  api.use(accountRoutes({ ...o.accounts, auth: o.auth, bodyLimitBytes: o.bodyLimitBytes }).routes());
  app.use(api.routes());
  // Last: it answers only what no route above did, and never a path of theirs.
  if (o.web !== undefined) app.use(webRoutes({ ...o.web, log: o.log }));

  // Every route is in /openapi.json, or the server does not start.
  const missing = undocumented(JSON.parse(doc), [probes, api]);
  if (missing.length > 0) throw new Error(`routes missing from the OpenAPI document (http/openapi.ts): ${missing.join(', ')}`);
  return app;
}

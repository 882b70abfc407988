// The Koa application: the API under /api/v1, plus the probes. It listens only on loopback; the public
// port is uWebSockets.js, which forwards every non-socket request here (see app/server.ts).
import Koa from 'koa';
import { Router } from '@koa/router';
import type { Logger } from '../app/service.ts';
import type { Metrics } from '../app/metrics.ts';
import type { Clock } from '../engine/index.ts';
import { auctionRoutes, type AuctionApi } from './auctions.ts';
import { observeRequests } from './observe.ts';
import { problemOf, problems, sendProblem } from './problem.ts';
import type { TokenKeys } from './tokens.ts';

export interface HttpAppOptions {
  service: AuctionApi;
  keys: TokenKeys;
  clock: Clock;
  bodyLimitBytes: number;
  log: Logger;
  /** Served at GET /metrics when given. */
  metrics?: Metrics;
  /** Readiness: resolves when the stores answer and recovery is done; rejects with the reason otherwise. */
  ready(): Promise<void>;
}

export function createHttpApp(o: HttpAppOptions): Koa {
  const app = new Koa();
  // Only our own forwarder connects (loopback), and it sets X-Forwarded-For to the real peer.
  app.proxy = true;
  app.silent = true;
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
  const metrics = o.metrics;
  if (metrics !== undefined) {
    probes.get('/metrics', async (ctx) => {
      ctx.type = metrics.contentType;
      ctx.body = await metrics.text();
    });
  }
  app.use(probes.routes());

  const api = new Router({ prefix: '/api/v1' });
  const auctions = auctionRoutes({ service: o.service, keys: o.keys, clock: o.clock, bodyLimitBytes: o.bodyLimitBytes });
  api.use(auctions.routes());
  app.use(api.routes());
  return app;
}

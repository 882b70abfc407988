// Outermost middleware: a request id for every request (an incoming X-Request-Id when it is sane, else
// a fresh UUID; echoed back), one structured log line per API request (never the query string, headers
// or body), and the HTTP metrics by route template, so the label set stays bounded.
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from '../engine/logger.ts';
import type { AuthState } from './auth.ts';

const SANE_ID = /^[A-Za-z0-9._:/+=-]{1,128}$/;
/** Polled by probes and Prometheus: measured, not logged. */
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);
export const UNMATCHED = 'unmatched';

export interface RequestState {
  reqId: string;
  /** The auction a request made (create), for its log line; routes naming one need not set it. */
  auction?: string;
}

/** What the API reports of each request (the server's Prometheus registry implements it). */
export interface HttpMetrics {
  httpAnswered(method: string, route: string, status: number, seconds: number): void;
  /** The exposition, for GET /metrics when it is public. */
  readonly contentType: string;
  text(): Promise<string>;
}

export function observeRequests(log: Logger, metrics?: HttpMetrics) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    const reqId = SANE_ID.test(incoming) ? incoming : randomUUID();
    (ctx.state as RequestState).reqId = reqId;
    ctx.set('X-Request-Id', reqId);
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : UNMATCHED;
      metrics?.httpAnswered(ctx.method, route, ctx.status, seconds);
      if (!QUIET.has(route)) {
        const userId = (ctx.state as Partial<AuthState>).identity?.userId;
        const params = (ctx.params ?? {}) as Record<string, string>;
        const auction = (ctx.state as RequestState).auction ?? (route.includes('/auctions/:id') ? params.id : params.auction);
        const path = route === UNMATCHED ? ctx.path : undefined; // the path alone: a query may carry a token
        log.info({ reqId, method: ctx.method, route, path, status: ctx.status, ms: Math.round(seconds * 1e5) / 100, auction, userId }, 'request');
      }
    }
  };
}

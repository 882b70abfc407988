// The marketplace's routes under /api/v1, composed. Registered before the auction write routes, so the
// fixed paths (/auctions/overview) match before /auctions/:id.
import { Router } from '@koa/router';
import { requireUser } from '../auth.ts';
import { pageLimit, queryInt, requireAdmin } from './common.ts';
import type { MarketHttpDeps } from './deps.ts';
import { inboxRoutes } from './inbox.ts';
import { listingRoutes } from './listings.ts';
import { productRoutes } from './products.ts';
import { taxonomyRoutes } from './taxonomy.ts';

export type { MarketHttpDeps } from './deps.ts';

export function marketRoutes(d: MarketHttpDeps): Router {
  const router = new Router();
  for (const r of [listingRoutes(d), productRoutes(d), taxonomyRoutes(d), inboxRoutes(d)]) router.use(r.routes());
  // The outbox for consumers that poll instead of reading SQS: events after a journal position, in
  // order; `next` is the `after` of the next page (journal events that are no outbox event are skipped).
  router.get('/admin/outbox', requireUser(d.auth), requireAdmin, async (ctx) => {
    ctx.body = await d.market.outbox(queryInt(ctx, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0, pageLimit(ctx, 100, 1000));
  });
  return router;
}

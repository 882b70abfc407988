// The inbox (what a close told each user) and orders: each readable by its owner only; another user's
// item answers 404, as if it did not exist.
import { Router } from '@koa/router';
import { OkjError } from '../../engine/index.ts';
import { requireUser } from '../auth.ts';
import { noBody } from '../body.ts';
import { me, pageLimit } from './common.ts';
import type { MarketHttpDeps } from './deps.ts';

export function inboxRoutes(d: MarketHttpDeps): Router {
  const router = new Router();
  const auth = requireUser(d.auth);

  router.get('/inbox', auth, async (ctx) => {
    ctx.body = { items: await d.market.inbox(me(ctx), pageLimit(ctx, 50, 200)) };
  });

  router.post('/inbox/:id/read', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    if (!(await d.market.readInbox(me(ctx), ctx.params.id, d.clock.now()))) throw new OkjError('NOT_FOUND', 'no such inbox item');
    ctx.status = 204;
  });

  router.delete('/inbox/:id', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    if (!(await d.market.deleteInbox(me(ctx), ctx.params.id))) throw new OkjError('NOT_FOUND', 'no such inbox item');
    ctx.status = 204;
  });

  router.get('/orders', auth, async (ctx) => {
    ctx.body = { items: await d.market.ordersOf(me(ctx), pageLimit(ctx)) };
  });

  router.get('/orders/:id', auth, async (ctx) => {
    const o = await d.market.order(ctx.params.id);
    if (o === null || (o.buyerId !== me(ctx) && o.sellerId !== me(ctx))) throw new OkjError('NOT_FOUND', 'no such order');
    ctx.body = o;
  });

  return router;
}

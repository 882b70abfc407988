// The inbox (what a close told each user), readable by its owner only; another user's item answers 404,
// as if it did not exist. Orders are the payments domain's routes (http/payments/).
import { Router } from '@koa/router';
import { requireUser } from '../auth.ts';
import { noBody } from '../body.ts';
import { me, pageLimit } from './common.ts';
import type { MarketHttpDeps } from './deps.ts';

export function inboxRoutes(d: MarketHttpDeps): Router {
  const router = new Router();
  const auth = requireUser(d.auth);
  const { market } = d;

  router.get('/inbox', auth, async (ctx) => {
    ctx.body = { items: await market.inbox(me(ctx), pageLimit(ctx, 50, 200)) };
  });

  router.post('/inbox/:id/read', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    await market.readInbox(me(ctx), ctx.params.id);
    ctx.status = 204;
  });

  router.delete('/inbox/:id', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    await market.deleteInbox(me(ctx), ctx.params.id);
    ctx.status = 204;
  });

  return router;
}

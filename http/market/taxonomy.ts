// The category tree and tags (anyone reads them, admins change them), and wishes (favorites) per user.
import { Router } from '@koa/router';
import { requireUser } from '../auth.ts';
import { noBody, readBody } from '../body.ts';
import { CategoryBody } from './schemas.ts';
import { identity, me, pageLimit, requireAdmin } from './common.ts';
import type { MarketHttpDeps } from './deps.ts';

export function taxonomyRoutes(d: MarketHttpDeps): Router {
  const router = new Router();
  const auth = requireUser(d.auth);
  // Refused before the body is read; the service checks the role again.
  const admin = [auth, requireAdmin] as const;
  const { market } = d;

  router.get('/categories', async (ctx) => {
    ctx.body = { items: await market.categoryTree() };
  });

  router.put('/categories/:id', ...admin, async (ctx) => {
    const body = await readBody(ctx, CategoryBody, d.bodyLimitBytes);
    ctx.body = await market.putCategory(identity(ctx), { id: ctx.params.id, name: body.name, parentId: body.parentId ?? null });
  });

  router.delete('/categories/:id', ...admin, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    await market.deleteCategory(identity(ctx), ctx.params.id);
    ctx.status = 204;
  });

  router.get('/tags', async (ctx) => {
    ctx.body = { items: await market.tags() };
  });

  router.put('/tags/:name', ...admin, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    await market.putTag(identity(ctx), ctx.params.name);
    ctx.body = { name: ctx.params.name };
  });

  router.delete('/tags/:name', ...admin, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    await market.deleteTag(identity(ctx), ctx.params.name);
    ctx.status = 204;
  });

  router.put('/wishes/:auction', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    const { created } = await market.wish(me(ctx), ctx.params.auction);
    ctx.status = created ? 201 : 200;
    ctx.body = { auction: ctx.params.auction, wished: true };
  });

  router.delete('/wishes/:auction', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    await market.unwish(me(ctx), ctx.params.auction);
    ctx.status = 204;
  });

  router.get('/wishes', auth, async (ctx) => {
    ctx.body = { items: await market.wishes(me(ctx), pageLimit(ctx)) };
  });

  return router;
}

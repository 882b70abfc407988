// The category tree and tags: anyone reads them, admins change them; and wishes (favorites) per user.
import { Router } from '@koa/router';
import { OkjError, type UserId } from '../../engine/index.ts';
import type { Category } from '../../storage/market/ports.ts';
import { requireUser } from '../auth.ts';
import { noBody, readBody } from '../body.ts';
import { CategoryBody } from './schemas.ts';
import { me, pageLimit, requireAdmin, SLUG, TAG, textField } from './common.ts';
import type { MarketHttpDeps } from './deps.ts';

export interface CategoryNode extends Category {
  children: CategoryNode[];
}

export function categoryTree(all: readonly Category[]): CategoryNode[] {
  const nodes = new Map(all.map((c) => [c.id, { ...c, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId === null ? undefined : nodes.get(n.parentId);
    (parent?.children ?? roots).push(n);
  }
  return roots;
}

/** A category and every category below it. */
export function withDescendants(all: readonly Category[], id: string): string[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) for (const c of all) if (c.parentId === out[i] && !out.includes(c.id)) out.push(c.id);
  return out;
}

export function taxonomyRoutes(d: MarketHttpDeps): Router {
  const router = new Router();
  const auth = requireUser(d.auth);
  const admin = [auth, requireAdmin] as const;

  router.get('/categories', async (ctx) => {
    ctx.body = { items: categoryTree(await d.catalogue.categories()) };
  });

  router.put('/categories/:id', ...admin, async (ctx) => {
    const id = ctx.params.id;
    if (!SLUG.test(id)) throw new OkjError('VALIDATION_FAILED', 'a category id is 1 to 32 lowercase letters, digits and dashes');
    const body = await readBody(ctx, CategoryBody, d.bodyLimitBytes);
    const name = textField(body, 'name', 100, true) as string;
    const parentId = textField(body, 'parentId', 64) ?? null;
    const all = await d.catalogue.categories();
    if (parentId !== null) {
      if (!all.some((c) => c.id === parentId)) throw new OkjError('VALIDATION_FAILED', `no category ${parentId}`);
      if (withDescendants(all, id).includes(parentId)) throw new OkjError('VALIDATION_FAILED', 'a category cannot sit under itself');
    }
    await d.catalogue.putCategory({ id, name, parentId });
    ctx.body = { id, name, parentId };
  });

  router.delete('/categories/:id', ...admin, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    const all = await d.catalogue.categories();
    if (all.some((c) => c.parentId === ctx.params.id)) throw new OkjError('VALIDATION_FAILED', 'delete or move its subcategories first');
    if (!(await d.catalogue.deleteCategory(ctx.params.id))) throw new OkjError('NOT_FOUND', 'no such category');
    ctx.status = 204;
  });

  router.get('/tags', async (ctx) => {
    ctx.body = { items: await d.catalogue.tags() };
  });

  router.put('/tags/:name', ...admin, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    const name = ctx.params.name;
    if (!TAG.test(name)) throw new OkjError('VALIDATION_FAILED', 'a tag is 1 to 32 letters, digits, spaces, dashes or underscores');
    await d.catalogue.putTag(name);
    ctx.body = { name };
  });

  router.delete('/tags/:name', ...admin, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    if (!(await d.catalogue.deleteTag(ctx.params.name))) throw new OkjError('NOT_FOUND', 'no such tag');
    ctx.status = 204;
  });

  router.put('/wishes/:auction', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    // A listing without facts yet may be details whose create failed: only the engine can tell.
    const l = await d.market.listing(ctx.params.auction);
    if (l === null || (l.seq === 0 && (await d.auctions.lookup(ctx.params.auction)) === null)) throw new OkjError('AUCTION_NOT_FOUND');
    const created = await d.catalogue.wish(me(ctx) as UserId, ctx.params.auction, d.clock.now());
    ctx.status = created ? 201 : 200;
    ctx.body = { auction: ctx.params.auction, wished: true };
  });

  router.delete('/wishes/:auction', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    if (!(await d.catalogue.unwish(me(ctx), ctx.params.auction))) throw new OkjError('NOT_FOUND', 'no such wish');
    ctx.status = 204;
  });

  router.get('/wishes', auth, async (ctx) => {
    const ids = await d.catalogue.wishesOf(me(ctx), pageLimit(ctx));
    const found = await d.market.listings(ids);
    ctx.body = { items: ids.flatMap((id) => (found.has(id) ? [found.get(id)] : [])) };
  });

  return router;
}

// Reading auctions: the list (filters, sort, cursor paging), the overview (a recommended list beside the
// general one), the auction's page (counting the view), the bid history with bidders masked, and "my
// auctions". The routes parse the query; the marketplace's service answers.
import type { Context } from 'koa';
import { Router } from '@koa/router';
import { OkjError, STATUSES, type AuctionStatus } from '../../engine/index.ts';
import type { ListingPage, ListingSearch } from '../../engine/market/api.ts';
import { LISTING_SORTS, type ListingSort } from '../../engine/market/model.ts';
import { requireUser } from '../auth.ts';
import { decodeCursor, encodeCursor, me, pageLimit, queryInt, queryString } from './common.ts';
import type { MarketHttpDeps } from './deps.ts';

const MAX_WON = 1_000_000_000_000;

/** A page as the API answers it: the cursor as an opaque string. */
const paged = <P extends ListingPage>(p: P) => ({ ...p, next: p.next === null ? null : encodeCursor(p.next) });

export function listingRoutes(d: MarketHttpDeps): Router {
  const router = new Router();
  const auth = requireUser(d.auth);
  const { market } = d;

  function query(ctx: Context, over: Partial<ListingSearch> = {}): ListingSearch {
    const sort = (queryString(ctx, 'sort') ?? 'ending') as ListingSort;
    if (!LISTING_SORTS.includes(sort)) throw new OkjError('VALIDATION_FAILED', `sort is one of ${LISTING_SORTS.join(', ')}`);
    const statuses = (queryString(ctx, 'status') ?? 'OPEN').split(',') as AuctionStatus[];
    if (statuses.some((s) => !STATUSES.includes(s))) throw new OkjError('VALIDATION_FAILED', `status is a comma list of ${STATUSES.join(', ')}`);
    const q: ListingSearch = { statuses, sort, limit: pageLimit(ctx), after: decodeCursor(queryString(ctx, 'cursor')), ...over };
    const category = queryString(ctx, 'category');
    if (category !== undefined) q.category = category;
    const tag = queryString(ctx, 'tag');
    if (tag !== undefined) q.tag = tag;
    const text = queryString(ctx, 'q');
    if (text !== undefined) q.text = text.slice(0, 100);
    const min = queryInt(ctx, 'minPrice', 0, MAX_WON);
    if (min !== undefined) q.minPrice = min;
    const max = queryInt(ctx, 'maxPrice', 0, MAX_WON);
    if (max !== undefined) q.maxPrice = max;
    const seller = queryString(ctx, 'seller');
    if (seller !== undefined) q.sellerId = seller;
    return q;
  }

  router.get('/auctions', async (ctx) => {
    ctx.body = paged(await market.search(query(ctx)));
  });

  router.get('/auctions/overview', async (ctx) => {
    ctx.body = paged(await market.overview(query(ctx)));
  });

  router.get('/auctions/:id', async (ctx) => {
    ctx.body = await market.detail(ctx.params.id, await viewer(ctx));
  });

  router.get('/auctions/:id/bids', async (ctx) => {
    if (ctx.query.before !== undefined) throw new OkjError('VALIDATION_FAILED', 'before is no longer taken: pages go forward with after (the next of the previous page)');
    const after = queryInt(ctx, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    ctx.body = await market.bidHistory(ctx.params.id, after, pageLimit(ctx, 100, 1000));
  });

  router.get('/me/auctions', auth, async (ctx) => {
    const role = queryString(ctx, 'role') ?? 'seller';
    if (role === 'bidder') {
      ctx.body = { items: await market.bidOn(me(ctx), pageLimit(ctx)), next: null };
    } else if (role === 'seller') {
      // Every status and newest first, unless the query says otherwise.
      const q = query(ctx, { sellerId: me(ctx) });
      if (queryString(ctx, 'status') === undefined) q.statuses = [...STATUSES];
      if (queryString(ctx, 'sort') === undefined) q.sort = 'newest';
      ctx.body = paged(await market.search(q));
    } else throw new OkjError('VALIDATION_FAILED', 'role is seller or bidder');
  });

  /** The viewer a view is counted for: the user when a valid token comes along, else the address. */
  async function viewer(ctx: Context): Promise<string> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    if (m !== null) {
      try {
        return `u:${(await d.auth.verify(m[1])).userId}`;
      } catch {
        // an invalid token on a public page counts as anonymous
      }
    }
    return `a:${ctx.ip}`;
  }

  return router;
}

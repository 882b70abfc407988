// Reading auctions: the list (filters, sort, cursor paging), the overview (a recommended list beside the
// general one), the detail (current state from the actor or its snapshot, plus the listing and its
// product, counting the view), the bid history with bidders masked, and "my auctions".
import type { Context } from 'koa';
import { Router } from '@koa/router';
import { maskName, OkjError, STATUSES, type AuctionStatus } from '../../engine/index.ts';
import { LISTING_SORTS, popularity, sortValue, type Listing, type ListingQuery, type ListingSort } from '../../storage/market/ports.ts';
import { requireUser } from '../auth.ts';
import { decodeCursor, encodeCursor, me, pageLimit, queryInt, queryString } from './common.ts';
import type { MarketHttpDeps } from './deps.ts';
import { publicProduct } from './products.ts';
import { withDescendants } from './taxonomy.ts';

const MAX_WON = 1_000_000_000_000;

export function listingOut(l: Listing, unwrittenViews = 0) {
  const { closeRecorded: _recorded, ...rest } = l;
  const views = l.views + unwrittenViews;
  return { ...rest, views, popularity: popularity({ ...l, views }) };
}

export function listingRoutes(d: MarketHttpDeps): Router {
  const router = new Router();
  const auth = requireUser(d.auth);

  async function query(ctx: Context, over: Partial<ListingQuery> = {}): Promise<ListingQuery> {
    const sort = (queryString(ctx, 'sort') ?? 'ending') as ListingSort;
    if (!LISTING_SORTS.includes(sort)) throw new OkjError('VALIDATION_FAILED', `sort is one of ${LISTING_SORTS.join(', ')}`);
    const statuses = (queryString(ctx, 'status') ?? 'OPEN').split(',') as AuctionStatus[];
    if (statuses.some((s) => !STATUSES.includes(s))) throw new OkjError('VALIDATION_FAILED', `status is a comma list of ${STATUSES.join(', ')}`);
    const q: ListingQuery = { statuses, sort, limit: pageLimit(ctx), after: decodeCursor(queryString(ctx, 'cursor')), ...over };
    const category = queryString(ctx, 'category');
    if (category !== undefined) q.categoryIds = withDescendants(await d.catalogue.categories(), category);
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

  async function page(q: ListingQuery) {
    const items = await d.market.search(q);
    const last = items.length === q.limit ? items[items.length - 1] : undefined;
    return {
      items: items.map((l) => listingOut(l, d.views.unwritten(l.id))),
      next: last === undefined ? null : encodeCursor({ value: sortValue(last, q.sort), id: last.id }),
    };
  }

  router.get('/auctions', async (ctx) => {
    ctx.body = await page(await query(ctx));
  });

  // A simple popularity ranking stands in for recommendation until it lands.
  router.get('/auctions/overview', async (ctx) => {
    const general = await query(ctx);
    const recommended = await d.market.search({ ...general, sort: 'popular', limit: 10, after: undefined });
    ctx.body = { recommended: recommended.map((l) => listingOut(l, d.views.unwritten(l.id))), ...(await page(general)) };
  });

  router.get('/auctions/:id', async (ctx) => {
    const id = ctx.params.id;
    const view = await d.auctions.lookup(id);
    if (view === null) throw new OkjError('AUCTION_NOT_FOUND');
    d.views.record(id, await viewer(ctx));
    const listing = await d.market.listing(id);
    const product = listing !== null && listing.productId !== '' ? await d.catalogue.product(listing.productId) : null;
    ctx.body = {
      ...view,
      listing: listing === null ? null : listingOut(listing, d.views.unwritten(id)),
      product: product === null ? null : publicProduct(product),
    };
  });

  // Oldest first, one slice of the journal per request (never the whole of it): the bids among the
  // `limit` events after seq `after`. A page may hold fewer bids than `limit` (the auction's other events
  // take places in the slice); `next` is the `after` of the following page, null once none is left.
  router.get('/auctions/:id/bids', async (ctx) => {
    if (ctx.query.before !== undefined) throw new OkjError('VALIDATION_FAILED', 'before is no longer taken: pages go forward with after (the next of the previous page)');
    const after = queryInt(ctx, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = pageLimit(ctx, 100, 1000);
    const id = ctx.params.id;
    const events = await d.auctions.history(id, after, limit);
    if (events.length === 0 && (after === 0 || (await d.auctions.history(id, 0, 1)).length === 0)) throw new OkjError('AUCTION_NOT_FOUND');
    const bids = events.filter((e) => e.type === 'bid' || e.type === 'bought');
    ctx.body = {
      items: bids.map((e) => ({ seq: e.seq, at: e.at, bidder: maskName(e.by), price: e.price, leader: maskName(e.leader), buyNow: e.type === 'bought' })),
      next: events.length === limit ? events[events.length - 1].seq : null,
    };
  });

  router.get('/me/auctions', auth, async (ctx) => {
    const role = queryString(ctx, 'role') ?? 'seller';
    if (role === 'bidder') {
      ctx.body = { items: (await d.market.bidOn(me(ctx), pageLimit(ctx))).map((l) => listingOut(l)), next: null };
    } else if (role === 'seller') {
      // Every status and newest first, unless the query says otherwise.
      const q = await query(ctx, { sellerId: me(ctx) });
      if (queryString(ctx, 'status') === undefined) q.statuses = [...STATUSES];
      if (queryString(ctx, 'sort') === undefined) q.sort = 'newest';
      ctx.body = await page(q);
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

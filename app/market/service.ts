// The marketplace's service: the catalogue (categories, tags, products with their images, wishes), the
// listings (lists, the auction page with its counted view, bid history), the inbox, orders and the
// outbox, over the marketplace's ports. The rules are engine/market/rules.ts; the routes (http/market/)
// only parse requests and shape answers.
import type { PricingApi } from '../../engine/pricing/api.ts';
import type { MarketPrice } from '../../engine/pricing/types.ts';
import type { RecommendationApi, WishSignals } from '../../engine/recommendation/api.ts';
import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { maskName, OkjError, type AuctionId, type Clock, type UserId } from '../../engine/index.ts';
import type { AuctionQueries } from '../../engine/auction/api.ts';
import type {
  Actor, AuctionDetail, BidHistoryPage, ImageUpload, ListingPage, ListingSearch, MarketApi, OutboxPage, ProductFields,
} from '../../engine/market/api.ts';
import { EXT_TYPES, imageKey } from '../../engine/market/images.ts';
import type { Category, Listing, ListingQuery, Product, ProductImage } from '../../engine/market/model.ts';
import {
  CATEGORY_ID, categoryTree, placementProblem, publicListing, publicProduct, sortValue, TAG_NAME, withDescendants, type PublicProduct,
} from '../../engine/market/rules.ts';
import type { Catalogue, ImageStore, Inbox, Listings, Orders } from '../../storage/market/ports.ts';

/** Views counted once per viewer an hour and written in batches (./view-counter.ts). */
export interface ViewCounts {
  record(auction: AuctionId, viewer: string): boolean;
  unwritten(auction: AuctionId): number;
  /** Listings read and shown (`unwritten` added) with no batch written meanwhile; not nested. */
  reading<T>(read: () => Promise<T>): Promise<T>;
}

export interface MarketServiceOptions {
  catalogue: Catalogue;
  listings: Listings;
  orders: Orders;
  inbox: Inbox;
  images: ImageStore;
  views: ViewCounts;
  auctions: Pick<AuctionQueries, 'lookup' | 'history'>;
  outbox(after: number, limit: number): Promise<OutboxPage>;
  clock: Clock;
  /** The overview's recommended list, and where new wishes are told (engine/recommendation/api.ts). */
  recommendation?: Pick<RecommendationApi, 'forUser'> & WishSignals;
  /** Market prices: computed after a product is created or renamed, shown on its pages once ready (engine/pricing/api.ts). */
  pricing?: Pick<PricingApi, 'latest' | 'productChanged'>;
}

const PRODUCT_NAME_MAX = 200;
const DESCRIPTION_MAX = 10_000;
const RECOMMENDED = 10;

function adminOnly(who: Actor): void {
  if (who.role !== 'admin') throw new OkjError('FORBIDDEN', 'an admin token is required');
}

/** A text field trimmed within bounds; undefined when absent or empty (null clears an optional one). */
function text(name: string, v: string | null | undefined, max: number, required: boolean): string | undefined {
  if (v === undefined || v === null || v === '') {
    if (required) throw new OkjError('VALIDATION_FAILED', `${name} is required`);
    return undefined;
  }
  if (v.trim().length === 0 || [...v].length > max) throw new OkjError('VALIDATION_FAILED', `${name} must be text of 1 to ${max} characters`);
  return v.trim();
}

export class MarketService implements MarketApi {
  constructor(private readonly o: MarketServiceOptions) {}

  // ---- categories and tags ------------------------------------------------------------------------

  async categoryTree() {
    return categoryTree(await this.o.catalogue.categories());
  }

  async putCategory(who: Actor, c: Category): Promise<Category> {
    adminOnly(who);
    if (!CATEGORY_ID.test(c.id)) throw new OkjError('VALIDATION_FAILED', 'a category id is 1 to 32 lowercase letters, digits and dashes');
    const name = text('name', c.name, 100, true) as string;
    const parentId = text('parentId', c.parentId, 64, false) ?? null;
    const problem = placementProblem(await this.o.catalogue.categories(), c.id, parentId);
    if (problem !== null) throw new OkjError('VALIDATION_FAILED', problem);
    const stored = { id: c.id, name, parentId };
    await this.o.catalogue.putCategory(stored);
    return stored;
  }

  async deleteCategory(who: Actor, id: string): Promise<void> {
    adminOnly(who);
    if ((await this.o.catalogue.categories()).some((c) => c.parentId === id)) throw new OkjError('VALIDATION_FAILED', 'delete or move its subcategories first');
    if (!(await this.o.catalogue.deleteCategory(id))) throw new OkjError('NOT_FOUND', 'no such category');
  }

  tags(): Promise<string[]> {
    return this.o.catalogue.tags();
  }

  async putTag(who: Actor, name: string): Promise<void> {
    adminOnly(who);
    if (!TAG_NAME.test(name)) throw new OkjError('VALIDATION_FAILED', 'a tag is 1 to 32 letters, digits, spaces, dashes or underscores');
    await this.o.catalogue.putTag(name);
  }

  async deleteTag(who: Actor, name: string): Promise<void> {
    adminOnly(who);
    if (!(await this.o.catalogue.deleteTag(name))) throw new OkjError('NOT_FOUND', 'no such tag');
  }

  // ---- products -----------------------------------------------------------------------------------

  private async categoryOk(id: string | null | undefined): Promise<string | null> {
    const c = text('categoryId', id, 64, false);
    if (c === undefined) return null;
    if (!(await this.o.catalogue.categories()).some((x) => x.id === c)) throw new OkjError('VALIDATION_FAILED', `no category ${c}`);
    return c;
  }

  /** The product, if it exists, is not deleted, and `who` may change it. */
  private async owned(who: Actor, id: string): Promise<Product> {
    const p = await this.o.catalogue.product(id);
    if (p === null || p.deletedAt !== null) throw new OkjError('NOT_FOUND', 'no such product');
    if (p.sellerId !== who.userId && who.role !== 'admin') throw new OkjError('FORBIDDEN', 'this product belongs to another seller');
    return p;
  }

  /** Store every (already checked) image from its temporary file; none stays stored when one fails. */
  private async storeImages(product: string, files: readonly ImageUpload[], thumbnail: number): Promise<ProductImage[]> {
    if (files.length > 0 && (thumbnail < 0 || thumbnail >= files.length)) throw new OkjError('VALIDATION_FAILED', 'thumbnail must be the index of an uploaded image');
    const images: ProductImage[] = [];
    try {
      for (const [n, f] of files.entries()) {
        const key = imageKey(product, n, f.ext);
        const type = EXT_TYPES[f.ext];
        const body = createReadStream(f.path);
        try {
          await this.o.images.put(key, body, f.bytes, type);
        } finally {
          body.destroy(); // a store that failed early may not have read it to its end
        }
        images.push({ key, url: this.o.images.url(key), type, bytes: f.bytes, thumbnail: n === thumbnail });
      }
    } catch (err) {
      await Promise.allSettled(images.map((i) => this.o.images.delete(i.key)));
      throw err;
    }
    return images;
  }

  async createProduct(who: Actor, fields: ProductFields, uploads: readonly ImageUpload[]): Promise<PublicProduct> {
    const name = text('name', fields.name, PRODUCT_NAME_MAX, true) as string;
    const description = text('description', fields.description, DESCRIPTION_MAX, false) ?? '';
    const categoryId = await this.categoryOk(fields.categoryId);
    const thumbnail = fields.thumbnail === undefined ? 0 : Number(fields.thumbnail);
    if (!Number.isSafeInteger(thumbnail)) throw new OkjError('VALIDATION_FAILED', 'thumbnail must be an image index');
    const id = randomUUID();
    const images = await this.storeImages(id, uploads, thumbnail);
    const now = this.o.clock.now();
    const product: Product = { id, sellerId: who.userId, name, description, categoryId, images, createdAt: now, updatedAt: now, deletedAt: null };
    try {
      await this.o.catalogue.putProduct(product);
    } catch (err) {
      await Promise.allSettled(images.map((i) => this.o.images.delete(i.key)));
      throw err;
    }
    // In the background: the create answers now, the price is shown once computed.
    this.o.pricing?.productChanged(id);
    return publicProduct(product);
  }

  async product(id: string): Promise<PublicProduct & { marketPrice?: MarketPrice | null }> {
    const p = await this.o.catalogue.product(id);
    if (p === null || p.deletedAt !== null) throw new OkjError('NOT_FOUND', 'no such product');
    if (this.o.pricing === undefined) return publicProduct(p);
    return { ...publicProduct(p), marketPrice: await this.o.pricing.latest(id) };
  }

  async productsOf(seller: UserId, limit: number): Promise<PublicProduct[]> {
    return (await this.o.catalogue.productsOf(seller, limit)).map(publicProduct);
  }

  async updateProduct(who: Actor, id: string, fields: ProductFields): Promise<PublicProduct> {
    const p = await this.owned(who, id);
    const next: Product = { ...p, updatedAt: this.o.clock.now() };
    if (fields.name !== undefined) next.name = text('name', fields.name, PRODUCT_NAME_MAX, true) as string;
    if (fields.description !== undefined) next.description = text('description', fields.description, DESCRIPTION_MAX, false) ?? '';
    if (fields.categoryId !== undefined) next.categoryId = await this.categoryOk(fields.categoryId);
    if (fields.thumbnail !== undefined) {
      const n = fields.thumbnail;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n >= p.images.length) throw new OkjError('VALIDATION_FAILED', 'thumbnail must be an image index');
      next.images = p.images.map((img, i) => ({ ...img, thumbnail: i === n }));
    }
    await this.o.catalogue.putProduct(next);
    if (next.name !== p.name) this.o.pricing?.productChanged(id);
    return publicProduct(next);
  }

  async deleteProduct(who: Actor, id: string): Promise<void> {
    const p = await this.owned(who, id);
    await this.o.catalogue.putProduct({ ...p, deletedAt: this.o.clock.now() });
  }

  async image(key: string): Promise<{ bytes: Buffer; type: string }> {
    const found = await this.o.images.get(key);
    if (found === null) throw new OkjError('NOT_FOUND', 'no such image');
    return found;
  }

  // ---- listings -----------------------------------------------------------------------------------

  private async query(q: ListingSearch): Promise<ListingQuery> {
    const { category, ...rest } = q;
    if (category === undefined) return rest;
    return { ...rest, categoryIds: withDescendants(await this.o.catalogue.categories(), category) };
  }

  private shown(l: Listing) {
    return publicListing(l, this.o.views.unwritten(l.id));
  }

  async search(q: ListingSearch): Promise<ListingPage> {
    const query = await this.query(q);
    const { items, shown } = await this.o.views.reading(async () => {
      const items = await this.o.listings.search(query);
      return { items, shown: items.map((l) => this.shown(l)) };
    });
    const last = items.length === query.limit ? items[items.length - 1] : undefined;
    return { items: shown, next: last === undefined ? null : { value: sortValue(last, query.sort), id: last.id } };
  }

  // Recommended: what recommendation ranks for an anonymous caller (decayed popularity), filled up with
  // the listings popular by their counts under the list's filters (a store with no history yet).
  async overview(q: ListingSearch) {
    const query = await this.query(q);
    const ranked = this.o.recommendation === undefined ? [] : (await this.o.recommendation.forUser(null, RECOMMENDED)).map((r) => r.auction);
    const recommended = await this.o.views.reading(async () => {
      const found = await this.o.listings.listings(ranked);
      const recommended = ranked.map((id) => found.get(id)).filter((l): l is Listing => l !== undefined);
      if (recommended.length < RECOMMENDED) {
        const seen = new Set(ranked);
        const popular = await this.o.listings.search({ ...query, sort: 'popular', limit: RECOMMENDED, after: undefined });
        recommended.push(...popular.filter((l) => !seen.has(l.id)).slice(0, RECOMMENDED - recommended.length));
      }
      return recommended.map((l) => this.shown(l));
    });
    return { recommended, ...(await this.search(q)) };
  }

  async detail(id: AuctionId, viewer: string): Promise<AuctionDetail> {
    const view = await this.o.auctions.lookup(id);
    if (view === null) throw new OkjError('AUCTION_NOT_FOUND');
    this.o.views.record(id, viewer);
    const listing = await this.o.views.reading(async () => {
      const l = await this.o.listings.listing(id);
      return l === null ? null : { productId: l.productId, shown: this.shown(l) };
    });
    const product = listing !== null && listing.productId !== '' ? await this.o.catalogue.product(listing.productId) : null;
    const detail: AuctionDetail = { ...view, listing: listing?.shown ?? null, product: product === null ? null : publicProduct(product) };
    if (this.o.pricing !== undefined && product !== null) detail.marketPrice = await this.o.pricing.latest(product.id);
    return detail;
  }

  // Oldest first, one slice of the journal per request (never the whole of it): the bids among the
  // `limit` events after seq `after`. A page may hold fewer bids than `limit` (the auction's other events
  // take places in the slice); `next` is the `after` of the following page, null once none is left.
  async bidHistory(id: AuctionId, after: number, limit: number): Promise<BidHistoryPage> {
    const events = await this.o.auctions.history(id, after, limit);
    if (events.length === 0 && (after === 0 || (await this.o.auctions.history(id, 0, 1)).length === 0)) throw new OkjError('AUCTION_NOT_FOUND');
    const bids = events.filter((e) => e.type === 'bid' || e.type === 'bought');
    return {
      items: bids.map((e) => ({ seq: e.seq, at: e.at, bidder: maskName(e.by), price: e.price, leader: maskName(e.leader), buyNow: e.type === 'bought' })),
      next: events.length === limit ? events[events.length - 1].seq : null,
    };
  }

  async bidOn(user: UserId, limit: number) {
    return (await this.o.listings.bidOn(user, limit)).map((l) => publicListing(l));
  }

  // ---- wishes -------------------------------------------------------------------------------------

  async wish(user: UserId, auction: AuctionId): Promise<{ created: boolean }> {
    // A listing without facts yet may be details whose create failed: only the engine can tell.
    const l = await this.o.listings.listing(auction);
    if (l === null || (l.seq === 0 && (await this.o.auctions.lookup(auction)) === null)) throw new OkjError('AUCTION_NOT_FOUND');
    const at = this.o.clock.now();
    const created = await this.o.catalogue.wish(user, auction, at);
    // Told once per wish created; it never fails the wish (the recommendation logs its own failures).
    if (created) void this.o.recommendation?.wished(user, auction, at);
    return { created };
  }

  async unwish(user: UserId, auction: AuctionId): Promise<void> {
    if (!(await this.o.catalogue.unwish(user, auction))) throw new OkjError('NOT_FOUND', 'no such wish');
  }

  async wishes(user: UserId, limit: number): Promise<Listing[]> {
    const ids = await this.o.catalogue.wishesOf(user, limit);
    const found = await this.o.listings.listings(ids);
    return ids.flatMap((id) => (found.has(id) ? [found.get(id) as Listing] : []));
  }

  // ---- the inbox and orders: each readable by its owner only; another user's item is NOT_FOUND --------

  inbox(user: UserId, limit: number) {
    return this.o.inbox.inbox(user, limit);
  }

  async readInbox(user: UserId, id: string): Promise<void> {
    if (!(await this.o.inbox.readInbox(user, id, this.o.clock.now()))) throw new OkjError('NOT_FOUND', 'no such inbox item');
  }

  async deleteInbox(user: UserId, id: string): Promise<void> {
    if (!(await this.o.inbox.deleteInbox(user, id))) throw new OkjError('NOT_FOUND', 'no such inbox item');
  }

  orders(user: UserId, limit: number) {
    return this.o.orders.ordersOf(user, limit);
  }

  async order(user: UserId, id: string) {
    const o = await this.o.orders.order(id);
    if (o === null || (o.buyerId !== user && o.sellerId !== user)) throw new OkjError('NOT_FOUND', 'no such order');
    return o;
  }

  outbox(after: number, limit: number): Promise<OutboxPage> {
    return this.o.outbox(after, limit);
  }
}

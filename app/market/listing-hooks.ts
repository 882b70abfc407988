// What an auction create or edit checks and stores beyond the engine's spec: the product must be the
// seller's own and not deleted; tags must be ones an admin made. The listing's title and category come
// from the product.
import { OkjError, type AuctionId, type UserId } from '../../engine/index.ts';
import type { ListingFields, ListingHooks } from '../../engine/market/api.ts';
import type { Catalogue, ListingMeta, Market } from '../../storage/market/ports.ts';
import type { Clock } from '../../engine/index.ts';
import { StoreUnavailableError } from '../../storage/auction/ports.ts';


export function listingHooks(catalogue: Catalogue, market: Market, clock: Clock): ListingHooks {
  async function tagsOf(body: ListingFields): Promise<string[]> {
    const tags = body.tags ?? [];
    if (!Array.isArray(tags) || tags.length > 10 || tags.some((t) => typeof t !== 'string')) {
      throw new OkjError('VALIDATION_FAILED', 'tags must be a list of at most 10 tag names');
    }
    const known = new Set(await catalogue.tags());
    const unknown = (tags as string[]).filter((t) => !known.has(t));
    if (unknown.length > 0) throw new OkjError('VALIDATION_FAILED', `unknown tags: ${unknown.join(', ')}`);
    return [...new Set(tags as string[])];
  }

  async function prepare(seller: UserId, id: AuctionId, body: ListingFields): Promise<ListingMeta> {
    if (typeof body.productId !== 'string') throw new OkjError('INVALID_AUCTION', 'productId must name one of your products');
    const p = await catalogue.product(body.productId);
    const tags = await tagsOf(body);
    // An id the catalogue does not know is an integrator's own product reference: listed untitled.
    if (p === null) return { id, sellerId: seller, productId: body.productId, title: '', categoryId: null, tags, createdAt: clock.now() };
    if (p.deletedAt !== null) throw new OkjError('NOT_FOUND', 'this product was deleted');
    if (p.sellerId !== seller) throw new OkjError('FORBIDDEN', 'this product belongs to another seller');
    return { id, sellerId: seller, productId: p.id, title: p.name, categoryId: p.categoryId, tags, createdAt: clock.now() };
  }

  return {
    async beforeCreate(seller, id, body) {
      const meta = await prepare(seller, id, body);
      try {
        await market.addMeta(meta);
      } catch (err) {
        if (err instanceof StoreUnavailableError) throw new OkjError('STORE_UNAVAILABLE', 'the listing could not be stored; nothing was created, retry with the same Idempotency-Key');
        throw err;
      }
    },
    async beforeEdit(id, body) {
      if (body.tags === undefined) return null;
      const l = await market.listing(id);
      if (l === null) return null;
      const meta: ListingMeta = { id, sellerId: l.sellerId, productId: l.productId, title: l.title, categoryId: l.categoryId, tags: await tagsOf(body), createdAt: l.createdAt };
      return () => market.putMeta(meta);
    },
  };
}

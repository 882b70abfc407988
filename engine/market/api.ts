// What other parts ask of the marketplace. The auction routes call the listing hooks around create and
// edit: the product must be the seller's own and not deleted, tags must be ones an admin made, and the
// listing's details (title and category from the product, tags) are stored beside the engine's spec.
import type { AuctionId } from '../auction/model.ts';
import type { UserId } from '../kernel.ts';

/** The members of a create or edit body the marketplace reads. */
export interface ListingFields {
  productId?: unknown;
  tags?: unknown;
}

export interface ListingHooks {
  /**
   * Before the engine's create: check the product and tags, and store the new listing's details unless
   * they are stored already (a replayed create). Rejects STORE_UNAVAILABLE when they cannot be stored,
   * so that nothing is created.
   */
  beforeCreate(seller: UserId, id: AuctionId, body: ListingFields): Promise<void>;
  /** Before an edit: check its tags; what to store once the engine accepted it, or null when nothing changes. */
  beforeEdit(id: AuctionId, body: ListingFields): Promise<(() => Promise<void>) | null>;
}

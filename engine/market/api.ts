// What other parts ask of the marketplace: the HTTP API calls MarketApi; the auction routes call the
// listing hooks around create and edit: the product must be the seller's own and not deleted, tags must be ones an admin made, and the
// listing's details (title and category from the product, tags) are stored beside the engine's spec.
import type { TokenRole } from '../accounts/identity.ts';
import type { AuctionId } from '../auction/model.ts';
import type { AuctionView } from '../auction/views.ts';
import type { Millis, UserId, Won } from '../kernel.ts';
import type { ImageExt } from './images.ts';
import type { MarketPrice } from '../pricing/types.ts';
import type { Category, InboxItem, Listing, ListingCursor, ListingQuery, Order, OutboxRow } from './model.ts';
import type { CategoryNode, PublicListing, PublicProduct } from './rules.ts';

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

/** Who is asking (from the access token). */
export interface Actor {
  userId: UserId;
  role: TokenRole;
}

/** An uploaded image, checked and waiting in a temporary file. */
export interface ImageUpload {
  path: string;
  ext: ImageExt;
  bytes: number;
}

/** A product's text fields (members and types already checked by the route's schema). */
export interface ProductFields {
  name?: string;
  description?: string | null;
  categoryId?: string | null;
  /** The index of the image to show first. */
  thumbnail?: number | string;
}

/** A list's query: the engine's statuses and sorts, a category taken with its descendants. */
export type ListingSearch = Omit<ListingQuery, 'categoryIds'> & { category?: string };

export interface ListingPage {
  items: PublicListing[];
  /** Where the next page starts; null on the last one. */
  next: ListingCursor | null;
}

/** An auction's page: its durable view, the listing, the product and its market price once one is ready. */
export type AuctionDetail = AuctionView & { listing: PublicListing | null; product: PublicProduct | null; marketPrice?: MarketPrice | null };

export interface BidHistoryItem {
  seq: number;
  at: Millis;
  /** Masked. */
  bidder: string | null;
  price: Won;
  leader: string | null;
  buyNow: boolean;
}

export interface BidHistoryPage {
  items: BidHistoryItem[];
  /** The `after` of the following page; null once none is left. */
  next: number | null;
}

export interface OutboxPage {
  items: OutboxRow[];
  /** The position to read after next time: the last one read, or `after` when nothing was there. */
  next: number;
}

/**
 * The marketplace as the HTTP API uses it: the catalogue (categories, tags, products, wishes), the
 * listings (lists, the auction page, bid history, my auctions), the inbox and the outbox. Checks of
 * ownership and role are here, not in the routes.
 */
export interface MarketApi {
  categoryTree(): Promise<CategoryNode[]>;
  /** Admins only; FORBIDDEN otherwise. */
  putCategory(who: Actor, c: Category): Promise<Category>;
  deleteCategory(who: Actor, id: string): Promise<void>;
  tags(): Promise<string[]>;
  putTag(who: Actor, name: string): Promise<void>;
  deleteTag(who: Actor, name: string): Promise<void>;

  createProduct(who: Actor, fields: ProductFields, images: readonly ImageUpload[]): Promise<PublicProduct>;
  /** With its market price once one is ready (when price prediction is wired). */
  product(id: string): Promise<PublicProduct & { marketPrice?: MarketPrice | null }>;
  productsOf(seller: UserId, limit: number): Promise<PublicProduct[]>;
  /** The seller or an admin. */
  updateProduct(who: Actor, id: string, fields: ProductFields): Promise<PublicProduct>;
  deleteProduct(who: Actor, id: string): Promise<void>;
  /** Image bytes when the app serves them (disk); NOT_FOUND otherwise. */
  image(key: string): Promise<{ bytes: Buffer; type: string }>;

  search(q: ListingSearch): Promise<ListingPage>;
  /** A recommended list beside the general one. */
  overview(q: ListingSearch): Promise<ListingPage & { recommended: PublicListing[] }>;
  /** The auction's page; counts the view once per viewer an hour. */
  detail(id: AuctionId, viewer: string): Promise<AuctionDetail>;
  bidHistory(id: AuctionId, after: number, limit: number): Promise<BidHistoryPage>;
  /** Auctions the user placed an accepted bid on, newest activity first. */
  bidOn(user: UserId, limit: number): Promise<PublicListing[]>;

  wish(user: UserId, auction: AuctionId): Promise<{ created: boolean }>;
  unwish(user: UserId, auction: AuctionId): Promise<void>;
  wishes(user: UserId, limit: number): Promise<Listing[]>;

  inbox(user: UserId, limit: number): Promise<InboxItem[]>;
  readInbox(user: UserId, id: string): Promise<void>;
  deleteInbox(user: UserId, id: string): Promise<void>;
  orders(user: UserId, limit: number): Promise<Order[]>;
  order(user: UserId, id: string): Promise<Order>;

  /** The outbox: events among the next `limit` journal positions after `after`. */
  outbox(after: number, limit: number): Promise<OutboxPage>;
}

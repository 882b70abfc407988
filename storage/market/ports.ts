// Marketplace ports, in marketplace terms: the catalogue (products, categories, tags, wishes), the
// listings projected from the journal (what the auction lists filter and sort on), and what a close
// leaves behind (orders, inbox rows, outbox events). Adapters: memory (./memory.ts) and SQL (../sql/market.ts).
import type { AuctionId, AuctionStatus, Millis, UserId, Won } from '../../engine/index.ts';
import type { Readable } from 'node:stream';

// ---- catalogue ------------------------------------------------------------------------------------

export interface ProductImage {
  /** The image store's key, e.g. `p/<product>/<n>.jpg`. */
  key: string;
  url: string;
  type: string;
  bytes: number;
  thumbnail: boolean;
}

export interface Product {
  id: string;
  sellerId: UserId;
  name: string;
  description: string;
  categoryId: string | null;
  images: ProductImage[];
  createdAt: Millis;
  updatedAt: Millis;
  /** Soft delete: the row stays (orders and closed auctions point at it). */
  deletedAt: Millis | null;
}

export interface Category {
  id: string;
  name: string;
  parentId: string | null;
}

export interface Catalogue {
  /** Insert or replace a product. */
  putProduct(p: Product): Promise<void>;
  /** A product, soft-deleted ones included (deletedAt tells). */
  product(id: string): Promise<Product | null>;
  /** A seller's products, not deleted, newest first. */
  productsOf(seller: UserId, limit: number): Promise<Product[]>;
  putCategory(c: Category): Promise<void>;
  categories(): Promise<Category[]>;
  /** False when there was none. */
  deleteCategory(id: string): Promise<boolean>;
  /** Idempotent. */
  putTag(name: string): Promise<void>;
  tags(): Promise<string[]>;
  deleteTag(name: string): Promise<boolean>;
  /** True when the wish is new; the listing's wish count follows. */
  wish(user: UserId, auction: AuctionId, at: Millis): Promise<boolean>;
  unwish(user: UserId, auction: AuctionId): Promise<boolean>;
  /** A user's wished auctions, newest first. */
  wishesOf(user: UserId, limit: number): Promise<AuctionId[]>;
}

// ---- listings -------------------------------------------------------------------------------------

/** What the seller gave beside the engine's spec: set by the create and edit routes. */
export interface ListingMeta {
  id: AuctionId;
  sellerId: UserId;
  productId: string;
  title: string;
  categoryId: string | null;
  tags: string[];
  createdAt: Millis;
}

/** The engine's facts of an auction, projected from committed events. */
export interface ListingFacts {
  id: AuctionId;
  seq: number;
  sellerId: UserId;
  productId: string;
  status: AuctionStatus;
  price: Won;
  bidCount: number;
  startsAt: Millis;
  endsAt: Millis;
  buyNowPrice: Won | null;
}

export interface Listing extends ListingFacts {
  title: string;
  categoryId: string | null;
  tags: string[];
  createdAt: Millis;
  views: number;
  wishes: number;
  /** The close's side effects (order, inbox) are stored. */
  settled: boolean;
}

export const LISTING_SORTS = ['ending', 'newest', 'price_asc', 'price_desc', 'popular'] as const;
export type ListingSort = (typeof LISTING_SORTS)[number];

/** Where a page starts: the sort value and id of the last item of the previous page. */
export interface ListingCursor {
  value: number;
  id: AuctionId;
}

export interface ListingQuery {
  statuses: AuctionStatus[];
  /** Any of these categories (a category and its descendants, resolved by the caller). */
  categoryIds?: string[];
  tag?: string;
  /** Words in the title. */
  text?: string;
  minPrice?: Won;
  maxPrice?: Won;
  sellerId?: UserId;
  sort: ListingSort;
  limit: number;
  after?: ListingCursor;
}

/** The sort value of a listing for a sort order (cursors carry it). */
export function sortValue(l: Listing, sort: ListingSort): number {
  switch (sort) {
    case 'ending': return l.endsAt;
    case 'newest': return l.createdAt;
    case 'price_asc':
    case 'price_desc': return l.price;
    case 'popular': return popularity(l);
  }
}

/** A simple popularity score until recommendation lands: views, bids count double, wishes triple. */
export function popularity(l: Pick<Listing, 'views' | 'bidCount' | 'wishes'>): number {
  return l.views + 2 * l.bidCount + 3 * l.wishes;
}

/** Ascending sorts page upward from the cursor, descending ones downward; ties broken by id. */
export function sortDescending(sort: ListingSort): boolean {
  return sort === 'newest' || sort === 'price_desc' || sort === 'popular';
}

// ---- what a close leaves behind -------------------------------------------------------------------

export type OrderStatus = 'AWAITING_PAYMENT';

export interface Order {
  id: string;
  auctionId: AuctionId;
  buyerId: UserId;
  sellerId: UserId;
  productId: string;
  amount: Won;
  status: OrderStatus;
  createdAt: Millis;
  /** The buyer must pay by then. */
  payBy: Millis;
}

export type InboxKind = 'won' | 'lost' | 'sold' | 'unsold' | 'canceled';

export interface InboxItem {
  /** Deterministic (auction, user, kind), so a re-run of a close writes nothing twice. */
  id: string;
  userId: UserId;
  auctionId: AuctionId;
  kind: InboxKind;
  price: Won;
  orderId: string | null;
  createdAt: Millis;
  readAt: Millis | null;
}

export type OutboxType = 'auction.opened' | 'bid.accepted' | 'auction.closed' | 'auction.canceled';

export interface OutboxEvent {
  auctionId: AuctionId;
  seq: number;
  type: OutboxType;
  at: Millis;
  /** JSON-friendly facts for consumers (never a ceiling or the reserve). */
  data: Record<string, unknown>;
}

export interface OutboxRow extends OutboxEvent {
  /** The event's journal position: increasing (with gaps), consumers read after the last one they saw. */
  id: number;
}

/** A close's side effects, stored at once and idempotently (keyed by auction). */
export interface Settlement {
  auctionId: AuctionId;
  order: Order | null;
  inbox: InboxItem[];
}

/** What one projection step writes, in one transaction. */
export interface Projection {
  facts: ListingFacts[];
  bidders: { auctionId: AuctionId; userId: UserId }[];
  settlements: Settlement[];
}

export interface Market {
  /** Apply a projection step. Facts never replace newer ones (higher seq); everything else is idempotent. */
  project(p: Projection): Promise<void>;
  /** Store a listing's details, replacing those it has (an edit). */
  putMeta(meta: ListingMeta): Promise<void>;
  /**
   * Store a new listing's details unless its row exists already (a create, written before the engine's,
   * so a replayed create never overwrites the first one's). A row without facts (seq 0) is listed
   * nowhere: its auction may never have been created.
   */
  addMeta(meta: ListingMeta): Promise<void>;
  listing(id: AuctionId): Promise<Listing | null>;
  listings(ids: readonly AuctionId[]): Promise<Map<AuctionId, Listing>>;
  search(q: ListingQuery): Promise<Listing[]>;
  /** Auctions a user placed an accepted bid on, newest activity first. */
  bidOn(user: UserId, limit: number): Promise<Listing[]>;
  /** Add counted views. */
  addViews(counts: ReadonlyMap<AuctionId, number>): Promise<void>;
  /** Listings whose close side effects are not stored yet (live ones and any a crash interrupted). */
  unsettled(): Promise<{ id: AuctionId; seq: number }[]>;

  order(id: string): Promise<Order | null>;
  ordersOf(user: UserId, limit: number): Promise<Order[]>;
  inbox(user: UserId, limit: number): Promise<InboxItem[]>;
  /** False when the user has no such item (someone else's counts as none). */
  readInbox(user: UserId, id: string, at: Millis): Promise<boolean>;
  deleteInbox(user: UserId, id: string): Promise<boolean>;

  /** How far the named outbox relay has published the journal: a journal position, 0 before it ran. */
  relayPosition(relay: string): Promise<number>;
  /** The relay has published every outbox event up to `position`; a smaller one never moves it back. */
  saveRelayPosition(relay: string, position: number, at: Millis): Promise<void>;
}

// ---- close schedules (the embedded CloseScheduler's durable rows) ---------------------------------

export interface CloseSchedules {
  /** Upsert due times and delete entries, in one transaction. */
  saveSchedules(put: ReadonlyMap<AuctionId, Millis>, remove: readonly AuctionId[]): Promise<void>;
  schedules(): Promise<Map<AuctionId, Millis>>;
}

// ---- images ---------------------------------------------------------------------------------------

/** Where uploaded image bytes live: local disk (served by the app) or S3 behind a CDN. */
export interface ImageStore {
  /**
   * Store `length` bytes read from `body` (an upload's temporary file, as a rule), streamed: never held
   * whole. A body of any other length fails the put and stores nothing.
   */
  put(key: string, body: Readable, length: number, type: string): Promise<void>;
  /** The public URL of a key. */
  url(key: string): string;
  /** The bytes and type, for the app to serve (disk, memory); null when absent. */
  get(key: string): Promise<{ bytes: Buffer; type: string } | null>;
  delete(key: string): Promise<void>;
}

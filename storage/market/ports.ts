// Marketplace ports, in marketplace terms, one per concern: the catalogue (products, categories, tags,
// wishes), the listings projected from the journal (projection, search, views, details), orders, the
// inbox, the outbox relays' cursors, the embedded close scheduler's rows, and image bytes. Adapters:
// memory (./memory.ts: one object answering every port) and SQL (./sql-*.ts, one class per port,
// joined by ./sql.ts). The records are the engine's (engine/market/model.ts).
import type { AuctionId, Millis, UserId } from '../../engine/index.ts';
import type {
  Category, InboxItem, Listing, ListingMeta, ListingQuery, Order, Product, Projection,
} from '../../engine/market/model.ts';
import type { Readable } from 'node:stream';

// Re-exported for the importers that found them here before they moved to the engine.
export * from '../../engine/market/model.ts';
export { popularity, sortDescending, sortValue } from '../../engine/market/rules.ts';

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

/** Listings: the journal's facts projected for lists and filters, the seller's details, counted views. */
export interface Listings {
  /**
   * Apply a projection step: listing facts, bidders, and each close's order and inbox rows. Facts never
   * replace newer ones (higher seq); everything else is idempotent, and closeRecorded (the `settled` column) is written last, so a
   * step can run twice or be cut short.
   */
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
  awaitingCloseEffects(): Promise<{ id: AuctionId; seq: number }[]>;
}

/** The orders closes left (written by Listings.project). */
export interface Orders {
  order(id: string): Promise<Order | null>;
  /** Orders where the user buys or sells, newest first. */
  ordersOf(user: UserId, limit: number): Promise<Order[]>;
}

/** Each user's inbox of close outcomes (written by Listings.project). */
export interface Inbox {
  inbox(user: UserId, limit: number): Promise<InboxItem[]>;
  /** False when the user has no such item (someone else's counts as none). */
  readInbox(user: UserId, id: string, at: Millis): Promise<boolean>;
  deleteInbox(user: UserId, id: string): Promise<boolean>;
  /** Add items other domains raise (chat), each only if its id is absent: an unread one is not repeated. */
  addInbox(items: readonly InboxItem[]): Promise<void>;
}

/** How far each outbox relay has published the journal. */
export interface RelayCursors {
  /** A journal position, 0 before the named relay ran. */
  relayPosition(relay: string): Promise<number>;
  /** The relay has published every outbox event up to `position`; a smaller one never moves it back. */
  saveRelayPosition(relay: string, position: number, at: Millis): Promise<void>;
}

/** What the marketplace's services took as one port before it was split: the four above. */
export type Market = Listings & Orders & Inbox & RelayCursors;

// ---- close schedules (the embedded CloseScheduler's durable rows) ---------------------------------

export interface CloseSchedules {
  /** Upsert due times and delete entries, in one transaction. */
  saveSchedules(put: ReadonlyMap<AuctionId, Millis>, remove: readonly AuctionId[]): Promise<void>;
  schedules(): Promise<Map<AuctionId, Millis>>;
}

/** Every marketplace port but images, as one object (what the marketplace runtime is given). */
export type MarketStore = Catalogue & Market & CloseSchedules;

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

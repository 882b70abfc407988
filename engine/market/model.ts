// The marketplace's model: its records as plain data (the catalogue, listings projected from the
// journal, and what a close leaves behind). Storage ports (storage/market/ports.ts) and the HTTP routes
// speak these shapes.
import type { OrderNoticeKind } from '../payments/model.ts';
import type { AuctionId, AuctionStatus } from '../auction/model.ts';
import type { Millis, UserId, Won } from '../kernel.ts';

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
  closeRecorded: boolean;
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

/** `chat`: unread chat messages in a room (one item per room until read; see docs/chat.md). */
/** `payout_held`: a settlement run held the seller's money for want of a payout account (no auction: ''). */
export type InboxKind = 'won' | 'lost' | 'sold' | 'unsold' | 'canceled' | 'chat' | 'payout_held' | OrderNoticeKind;

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
export interface CloseEffects {
  auctionId: AuctionId;
  order: Order | null;
  inbox: InboxItem[];
}

/** What one projection step writes, in one transaction. */
export interface Projection {
  facts: ListingFacts[];
  bidders: { auctionId: AuctionId; userId: UserId }[];
  closes: CloseEffects[];
}

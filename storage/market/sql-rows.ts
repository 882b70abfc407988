// The marketplace's rows as the SQL adapters read and write them, and how their failures surface.
import type { AuctionStatus } from '../../engine/index.ts';
import type { InboxItem, InboxKind, Listing, ListingMeta, Order, OrderStatus, Product } from '../../engine/market/model.ts';
import { parseJson } from '../auction/codec.ts';
import { unavailable } from '../sql/errors.ts';

export type Row = Record<string, unknown>;

export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

/** Rows per multi-row insert: well under SQLite's and MySQL's placeholder limits. */
export const CHUNK = 200;
/** Ids per IN (...) list. */
export const ID_CHUNK = 500;

/** Any failure as StoreUnavailableError (a WriteConflictError passes through). */
export async function guarded<R>(what: string, f: () => Promise<R>): Promise<R> {
  try {
    return await f();
  } catch (err) {
    throw unavailable('SQL market store', what, err);
  }
}

export function productOf(r: Row): Product {
  return {
    id: r.id as string, sellerId: r.seller_id as string, name: r.name as string, description: r.description as string,
    categoryId: (r.category_id as string | null) ?? null, images: parseJson(r.images), createdAt: num(r.created_at),
    updatedAt: num(r.updated_at), deletedAt: numOrNull(r.deleted_at),
  };
}

/** A listing's tags column (JSON text, or NULL on a row made before its details). */
export function tagsOf(v: unknown): string[] {
  return v === null || v === undefined ? [] : parseJson<string[]>(v);
}

export function listingOf(r: Row): Listing {
  return {
    id: r.id as string, seq: num(r.seq), sellerId: r.seller_id as string, productId: r.product_id as string,
    status: r.status as AuctionStatus, price: num(r.price), bidCount: num(r.bid_count), startsAt: num(r.starts_at),
    endsAt: num(r.ends_at), buyNowPrice: numOrNull(r.buy_now_price), title: r.title as string,
    categoryId: (r.category_id as string | null) ?? null, tags: tagsOf(r.tags),
    createdAt: num(r.created_at), views: num(r.views), wishes: num(r.wishes), closeRecorded: Boolean(num(r.settled)),
  };
}

export function orderOf(r: Row): Order {
  return {
    id: r.id as string, auctionId: r.auction_id as string, buyerId: r.buyer_id as string, sellerId: r.seller_id as string,
    productId: r.product_id as string, amount: num(r.amount), status: r.status as OrderStatus, createdAt: num(r.created_at),
    payBy: num(r.pay_by),
  };
}

export function inboxOf(r: Row): InboxItem {
  return {
    id: r.id as string, userId: r.user_id as string, auctionId: r.auction_id as string, kind: r.kind as InboxKind,
    price: num(r.price), orderId: (r.order_id as string | null) ?? null, createdAt: num(r.created_at), readAt: numOrNull(r.read_at),
  };
}

/** A listing's details as the columns they are stored in. */
export function metaRow(m: ListingMeta): Row {
  return {
    id: m.id, seller_id: m.sellerId, product_id: m.productId, title: m.title, category_id: m.categoryId,
    tags: JSON.stringify(m.tags), created_at: m.createdAt,
  };
}

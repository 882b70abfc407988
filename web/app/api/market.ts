// The marketplace's answers as the web app reads them. The OpenAPI document describes these routes'
// answers only as objects (http/market/openapi.ts), so their shapes are written here, after
// storage/market/ports.ts and http/market/*.ts (which the browser cannot import: they use Node's types).
import type { AuctionStatus, Won } from '../../../client/index.ts';
import type { AuctionView as PublicView } from '../../../engine/index.ts';
import { api } from '../okj.ts';

export interface Listing {
  id: string;
  seq: number;
  sellerId: string;
  productId: string;
  status: AuctionStatus;
  price: Won;
  bidCount: number;
  startsAt: number;
  endsAt: number;
  buyNowPrice: Won | null;
  title: string;
  categoryId: string | null;
  tags: string[];
  createdAt: number;
  views: number;
  wishes: number;
}

export interface ProductImage {
  url: string;
  type: string;
  thumbnail: boolean;
}

export interface Product {
  id: string;
  sellerId: string;
  name: string;
  description: string;
  categoryId: string | null;
  images: ProductImage[];
  thumbnail: string | null;
}

/** A product's market price (engine/pricing/types.ts MarketPrice, the part the page shows). */
export interface MarketPrice {
  source: 'naver+llm' | 'naver' | 'platform';
  today: { low: Won; typical: Won; high: Won } | null;
  threeMonths: { low: Won; high: Won } | null;
  confidence: number;
}

/** The detail route's answer: the engine's public view with the listing, its product and its market price once ready. */
export interface AuctionDetail extends PublicView {
  listing: Listing | null;
  product: Product | null;
  marketPrice?: MarketPrice | null;
}

export interface Category {
  id: string;
  name: string;
  parentId: string | null;
  children: Category[];
}

export type InboxKind = 'won' | 'lost' | 'sold' | 'unsold' | 'canceled' | 'chat' | 'payout_held'
  | 'order_paid' | 'order_shipped' | 'order_confirmed' | 'order_expired' | 'order_refunded' | 'offer_made' | 'offer_accepted';

export interface InboxItem {
  id: string;
  auctionId: string;
  kind: InboxKind;
  price: Won;
  orderId: string | null;
  createdAt: number;
  readAt: number | null;
}

export interface Order {
  id: string;
  auctionId: string;
  buyerId: string;
  sellerId: string;
  amount: Won;
  status: string;
  createdAt: number;
  payBy: number;
}

export interface Page<T> {
  items: T[];
  next?: string | null;
}

export const SORTS = ['ending', 'newest', 'price_asc', 'price_desc', 'popular'] as const;
export type Sort = (typeof SORTS)[number];

export interface ListQuery {
  q?: string;
  category?: string;
  tag?: string;
  minPrice?: string;
  maxPrice?: string;
  sort?: Sort;
  cursor?: string;
}

const as = <T>(p: Promise<unknown>): Promise<T> => p as Promise<T>;

export const market = {
  list: (q: ListQuery) => as<Page<Listing>>(api.auctions.list({ ...q, limit: '20' })),
  detail: (id: string) => as<AuctionDetail>(api.auctions.get(id)),
  mine: (role: 'seller' | 'bidder') => as<Page<Listing>>(api.auctions.mine({ role })),
  product: (id: string) => as<Product>(api.products.get(id)),
  categories: () => as<Page<Category>>(api.categories.list()).then((p) => p.items),
  tags: () => as<Page<string>>(api.tags.list()).then((p) => p.items),
  /** Recommended open auctions with their listings (the route answers ids; each listing is read once). */
  recommended: async (limit: number): Promise<Listing[]> => {
    const r = await as<{ items: { auctionId: string }[] }>(api.recommendations.forMe({ limit }));
    const listings = await Promise.all(r.items.map((i) => market.detail(i.auctionId).then((d) => d.listing, () => null)));
    return listings.filter((l): l is Listing => l !== null && l.status === 'OPEN');
  },
  inbox: () => as<Page<InboxItem>>(api.inbox.list()).then((p) => p.items),
  orders: () => as<Page<Order>>(api.orders.list()).then((p) => p.items),
};

/** The category tree, flattened in order with each one's depth (for a <select>). */
export function flatten(tree: Category[], depth = 0): { category: Category; depth: number }[] {
  return tree.flatMap((c) => [{ category: c, depth }, ...flatten(c.children, depth + 1)]);
}

/** Products named by lists are asked for once per page load. */
const products = new Map<string, Promise<Product | null>>();
export function productOnce(id: string): Promise<Product | null> {
  let p = products.get(id);
  if (p === undefined) products.set(id, (p = market.product(id).catch(() => null)));
  return p;
}

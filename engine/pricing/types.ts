// Domain types of price prediction (SPEC §8). Plain data: the cache, the HTTP answer and the prompt
// carry these shapes. Money is whole won, time epoch milliseconds, as in the auction engine.
import type { Millis, Won } from '../auction/model.ts';

/** A new item on sale elsewhere (a shopping search result), cleaned: plain text, whole won. */
export interface NewGoodsListing {
  title: string;
  /** The lowest price offered for it. */
  price: Won;
  /** The highest price, where the listing compares several shops; null when there is none. */
  highPrice: Won | null;
  mall: string;
  productId: string;
  /** The provider's product type code (new, discontinued, pre-sale; price-compared or not). */
  productType: number;
  link: string;
  image: string;
  brand: string;
  maker: string;
  /** Category path, broadest first, empty levels left out. */
  categories: string[];
}

/** A closed, sold auction of a similar item on this platform. */
export interface ClosedSale {
  title: string;
  price: Won;
  closedAt: Millis;
}

export interface PriceBand {
  low: Won;
  typical: Won;
  high: Won;
}

export interface OutlookBand {
  low: Won;
  high: Won;
}

/** An estimator's answer: the used-goods price today and three months on, and how sure it is (0..1). */
export interface UsedPriceEstimate {
  today: PriceBand;
  threeMonths: OutlookBand;
  confidence: number;
}

export const PRICE_SOURCES = ['naver+llm', 'naver', 'platform'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

/** A set of prices after outliers were trimmed. low and high are the quartiles (the spread). */
export interface PriceSummary {
  /** Prices kept. */
  count: number;
  /** Prices dropped as outliers. */
  dropped: number;
  min: Won;
  max: Won;
  median: Won;
  low: Won;
  high: Won;
}

/** Why an estimator's answer was not used. */
export type RejectReason = 'no-reference' | 'inconsistent' | 'above-new' | 'too-low' | 'far-from-sales';

export interface MarketPrice {
  source: PriceSource;
  /** Null only when there is nothing at all to go on (no listings, no sales). */
  today: PriceBand | null;
  threeMonths: OutlookBand | null;
  /** 0..1, two decimals. */
  confidence: number;
  /** The data the answer rests on. */
  basis: {
    newGoods: PriceSummary | null;
    sales: PriceSummary | null;
  };
  /** Set when an estimator answered but its answer was judged nonsense. */
  rejected: RejectReason | null;
  at: Millis;
}

// What other parts ask of price prediction (SPEC §8), and what it needs of them, as interfaces only;
// app/server.ts hands them over.
import type { ClosedSale, MarketPrice } from './types.ts';

export interface PricingApi {
  /** The product's market price: its stored answer while fresh, else one computed now. NOT_FOUND for no such product. Never a 500. */
  marketPrice(productId: string): Promise<MarketPrice>;
  /** The product's stored answer, or null while none is ready (pages show it without waiting for one). */
  latest(productId: string): Promise<MarketPrice | null>;
  /** Told after a product is created (or renamed): its price is computed in the background, never holding the caller up. */
  productChanged(productId: string): void;
}

/** A product as pricing reads it. */
export interface PricedProduct {
  id: string;
  name: string;
  description: string;
}

export interface PricingSources {
  /** Null for no such product, or a deleted one. */
  product(id: string): Promise<PricedProduct | null>;
  /** This platform's closed, sold auctions of items like `name`, newest first. */
  closedSales(name: string, limit: number): Promise<ClosedSale[]>;
}

/** What the service counts (app/metrics.ts): calls and failures and tokens per provider, cache use. */
export interface PricingMetrics {
  call(provider: string, outcome: 'ok' | string): void;
  tokens(provider: string, kind: 'input' | 'output', n: number): void;
  cache(result: 'hit' | 'miss' | 'collapsed'): void;
}

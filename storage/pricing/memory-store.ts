// The price cache and the predictions in memory: one process, tests, deployments without REDIS_URL (the
// cache) or a database (never in the server: it keeps predictions in SQL). Values are copied in and out.
import type { Clock } from '../../engine/index.ts';
import type { MarketPrice } from '../../engine/pricing/index.ts';
import type { PriceCache, PricePredictions } from './ports.ts';

const copy = (p: MarketPrice): MarketPrice => structuredClone(p);
/** Names cached at most: the oldest entries go first past it. */
const MAX_ENTRIES = 50_000;

export class MemoryPriceCache implements PriceCache {
  private readonly entries = new Map<string, { price: MarketPrice; until: number }>();

  constructor(private readonly clock: Clock) {}

  async get(nameKey: string): Promise<MarketPrice | null> {
    const e = this.entries.get(nameKey);
    if (e === undefined) return null;
    if (e.until <= this.clock.now()) {
      this.entries.delete(nameKey);
      return null;
    }
    return copy(e.price);
  }

  async put(nameKey: string, price: MarketPrice, ttlMs: number): Promise<void> {
    this.entries.delete(nameKey);
    this.entries.set(nameKey, { price: copy(price), until: this.clock.now() + ttlMs });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }
}

export class MemoryPricePredictions implements PricePredictions {
  private readonly rows = new Map<string, MarketPrice>();

  async put(productId: string, _nameKey: string, price: MarketPrice): Promise<void> {
    this.rows.set(productId, copy(price));
  }

  async get(productId: string): Promise<MarketPrice | null> {
    const p = this.rows.get(productId);
    return p === undefined ? null : copy(p);
  }
}

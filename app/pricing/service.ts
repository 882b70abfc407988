// The price prediction service (SPEC §8): for a product, new-goods prices from the shopping search
// (outliers trimmed), this platform's closed sales of similar items, and an estimator's used range and
// outlook, decided by engine/pricing (decide.ts: the estimator's answer when it passes the sanity checks,
// else the platform's sales, else shares of new-goods prices). Answers are cached per normalised product
// name (24 hours; a fallback after a passing failure only briefly) and concurrent identical requests share
// one computation; each product's latest answer is stored. Providers never reject (their ports classify
// every failure), so nothing here turns a provider's trouble into a 500.
import { OkjError, type Clock } from '../../engine/index.ts';
import type { Logger } from '../../engine/logger.ts';
import type { PricedProduct, PricingApi, PricingMetrics, PricingSources } from '../../engine/pricing/api.ts';
import {
  decideMarketPrice, normaliseProductName, trimByPrice, type MarketPrice, type UsedPriceEstimate,
} from '../../engine/pricing/index.ts';
import {
  TRANSIENT_FAILURES, type NewGoodsSearch, type PriceCache, type PriceEstimator, type PricePredictions, type ProviderFailure,
} from '../../storage/pricing/ports.ts';

/** Listings asked of the shopping search (its maximum). */
const LISTINGS = 100;
const SALES = 50;
/** A fallback after a passing failure (time-out, 429, 5xx) is cached this long only: the next may pass. */
const TRANSIENT_CACHE_MS = 10 * 60_000;

export interface PricingServiceOptions {
  search: NewGoodsSearch;
  estimator: PriceEstimator;
  cache: PriceCache;
  predictions: PricePredictions;
  sources: PricingSources;
  metrics: PricingMetrics;
  clock: Clock;
  log: Logger;
  cacheMs: number;
}

export class PricingService implements PricingApi {
  private readonly inFlight = new Map<string, Promise<{ price: MarketPrice; transient: boolean }>>();
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly o: PricingServiceOptions) {}

  async marketPrice(productId: string): Promise<MarketPrice> {
    const product = await this.o.sources.product(productId);
    if (product === null) throw new OkjError('NOT_FOUND', 'no such product');
    // Through the cache, not the stored answer: the cache knows how long each answer holds (a fallback
    // after a passing failure only minutes).
    return this.priceOf(product);
  }

  async latest(productId: string): Promise<MarketPrice | null> {
    return this.o.predictions.get(productId).catch((err: unknown) => {
      this.o.log.warn({ err, productId }, 'pricing: the stored answer could not be read');
      return null;
    });
  }

  productChanged(productId: string): void {
    const job = (async () => {
      const product = await this.o.sources.product(productId);
      if (product !== null) await this.priceOf(product);
    })().catch((err: unknown) => this.o.log.warn({ err, productId }, 'pricing: a product could not be priced; it will be on its next request'));
    this.background.add(job);
    void job.finally(() => this.background.delete(job));
  }

  /** Resolves when the background pricing started so far is done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private async priceOf(product: PricedProduct): Promise<MarketPrice> {
    const key = normaliseProductName(product.name);
    // A cache that does not answer is a miss: the answer can still be computed.
    const cached = await this.o.cache.get(key).catch((err: unknown) => {
      this.o.log.warn({ err }, 'pricing: the cache could not be read');
      return null;
    });
    let price: MarketPrice;
    if (cached !== null) {
      this.o.metrics.cache('hit');
      price = cached;
    } else {
      let shared = this.inFlight.get(key);
      if (shared !== undefined) {
        this.o.metrics.cache('collapsed');
      } else {
        this.o.metrics.cache('miss');
        // Cached before it leaves the in-flight map, so no request in between computes it again.
        shared = this.compute(product)
          .then(async (r) => {
            await this.o.cache.put(key, r.price, r.transient ? TRANSIENT_CACHE_MS : this.o.cacheMs)
              .catch((err: unknown) => this.o.log.warn({ err }, 'pricing: the cache could not be written'));
            return r;
          })
          .finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, shared);
      }
      price = (await shared).price;
    }
    // Stored for the product's pages when it is news to this product (a cache hit for a name another
    // product computed, or a new answer); a repeat read writes nothing.
    const stored = await this.o.predictions.get(product.id);
    if (stored === null || stored.at !== price.at || stored.source !== price.source) await this.o.predictions.put(product.id, key, price);
    return price;
  }

  private async compute(product: PricedProduct): Promise<{ price: MarketPrice; transient: boolean }> {
    const { search, estimator, metrics } = this.o;
    let transient = false;
    const failed = (provider: string, f: ProviderFailure) => {
      metrics.call(provider, f.kind);
      if (f.usage !== null) this.countTokens(provider, f.usage);
      if (TRANSIENT_FAILURES.has(f.kind)) transient = true;
      if (f.kind !== 'not-configured') this.o.log.warn({ provider, kind: f.kind, status: f.status, code: f.code, message: f.message }, 'pricing: provider failed; falling back');
    };
    const [found, sales] = await Promise.all([search.search(product.name, LISTINGS), this.o.sources.closedSales(product.name, SALES)]);
    const all = found.ok ? found.value.listings : [];
    if (found.ok) metrics.call(search.provider, 'ok');
    else failed(search.provider, found.failure);
    // The model sees the listings left after the outliers (accessories, bundles) are trimmed; the decision
    // trims the same prices again and reports how many it dropped.
    const listings = trimByPrice(all, (l) => l.price).kept;

    let estimate: UsedPriceEstimate | null = null;
    // Without new-goods prices there is nothing to judge an estimate by: it is not asked for.
    if (listings.length > 0) {
      const answer = await estimator.estimate({ product: { name: product.name, description: product.description }, listings, sales, at: this.o.clock.now() });
      if (answer.ok) {
        metrics.call(estimator.provider, 'ok');
        if (answer.value.usage !== null) this.countTokens(estimator.provider, answer.value.usage);
        estimate = answer.value.estimate;
      } else {
        failed(estimator.provider, answer.failure);
      }
    }
    const price = decideMarketPrice({ newGoodsPrices: all.map((l) => l.price), estimate, sales, now: this.o.clock.now() });
    return { price, transient };
  }

  private countTokens(provider: string, usage: { input: number; output: number }): void {
    this.o.metrics.tokens(provider, 'input', usage.input);
    this.o.metrics.tokens(provider, 'output', usage.output);
  }
}

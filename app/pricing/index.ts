// The price prediction runtime, chosen from configuration: Naver Shopping and the OpenAI estimator (each
// answering not-configured without its keys), the cache (Redis when REDIS_URL is set, memory otherwise),
// the predictions (the SQL database's, given), the sources (handed over by app/server.ts) and the metrics.
import type { Clock } from '../../engine/index.ts';
import type { Logger } from '../../engine/logger.ts';
import type { PricingMetrics, PricingSources } from '../../engine/pricing/api.ts';
import { MemoryPriceCache, MemoryPricePredictions } from '../../storage/pricing/memory-store.ts';
import { NaverShopping } from '../../storage/pricing/naver.ts';
import { OpenAiEstimator } from '../../storage/pricing/openai.ts';
import type { NewGoodsSearch, PriceCache, PriceEstimator, PricePredictions } from '../../storage/pricing/ports.ts';
import { openRedisPriceCache, type RedisPriceCache } from '../../storage/pricing/redis-cache.ts';
import type { Metrics } from '../metrics.ts';
import type { PricingConfig } from './config.ts';
import { PricingService } from './service.ts';

export interface PricingOptions {
  config: PricingConfig;
  redisUrl: string | null;
  redisPrefix: string;
  sources: PricingSources;
  /** The SQL database's store (app/stores.ts); memory when not given. */
  predictions?: PricePredictions;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** Providers to use instead of those from config (tests). */
  search?: NewGoodsSearch;
  estimator?: PriceEstimator;
}

export function pricingMetrics(m: Metrics): PricingMetrics {
  return {
    call: (provider, outcome) => m.pricingCalls.inc({ provider, outcome }),
    tokens: (provider, kind, n) => m.pricingTokens.inc({ provider, kind }, n),
    cache: (result) => m.pricingCache.inc({ result }),
  };
}

export class PricingRuntime {
  private constructor(readonly service: PricingService, private readonly redis: RedisPriceCache | null) {}

  static async open(o: PricingOptions): Promise<PricingRuntime> {
    const { config } = o;
    const redis = o.redisUrl !== null ? await openRedisPriceCache({ url: o.redisUrl, prefix: o.redisPrefix }) : null;
    const cache: PriceCache = redis ?? new MemoryPriceCache(o.clock);
    const search = o.search ?? new NaverShopping({ ...config.naver, timeoutMs: config.timeoutMs });
    const estimator = o.estimator ?? new OpenAiEstimator({ ...config.openai, timeoutMs: config.timeoutMs, maxRetries: 1 });
    if (config.naver.clientId === undefined) o.log.info({}, 'pricing: no NAVER_CLIENT_ID; prices come from this platform\'s sales');
    if (config.openai.apiKey === undefined) o.log.info({}, 'pricing: no OPENAI_API_KEY; no used-price estimates from a model');
    const service = new PricingService({
      search, estimator, cache, predictions: o.predictions ?? new MemoryPricePredictions(), sources: o.sources,
      metrics: pricingMetrics(o.metrics), clock: o.clock, log: o.log, cacheMs: config.cacheMs,
    });
    return new PricingRuntime(service, redis);
  }

  async stop(): Promise<void> {
    await this.service.settled();
    await this.redis?.close();
  }
}

// The recommendation runtime, chosen from configuration: its stores (Redis sorted sets when REDIS_URL is
// set, memory otherwise), the sources it reads (listings, live auctions, users' groups: handed over by
// app/server.ts as engine interfaces), the service and the journal's consumer.
import type { Clock } from '../../engine/index.ts';
import type { Logger } from '../../engine/logger.ts';
import type { RecommendationSources } from '../../engine/recommendation/api.ts';
import type { BidJournal } from '../../storage/auction/ports.ts';
import { MemoryRecommendation } from '../../storage/recommendation/memory.ts';
import type { RecommendationStores } from '../../storage/recommendation/ports.ts';
import { openRedisRecommendation } from '../../storage/recommendation/redis.ts';
import type { RecommendationConfig } from './config.ts';
import { RecommendationConsumer } from './consumer.ts';
import { RecommendationService } from './service.ts';

export interface RecommendationOptions {
  config: RecommendationConfig;
  redisUrl: string | null;
  redisPrefix: string;
  journal: Pick<BidJournal, 'after'>;
  sources: RecommendationSources;
  clock: Clock;
  log: Logger;
  /** Stores to use instead of those from config (tests); closed with the runtime. */
  stores?: RecommendationStores;
}

export class RecommendationRuntime {
  private constructor(
    readonly stores: RecommendationStores,
    readonly service: RecommendationService,
    readonly consumer: RecommendationConsumer,
    private readonly log: Logger,
  ) {}

  static async open(o: RecommendationOptions): Promise<RecommendationRuntime> {
    const options = { halfLifeMs: o.config.halfLifeMs };
    const stores = o.stores
      ?? (o.redisUrl !== null ? await openRedisRecommendation({ ...options, url: o.redisUrl, prefix: o.redisPrefix }) : new MemoryRecommendation(options));
    const service = new RecommendationService({ stores, sources: o.sources, clock: o.clock, log: o.log });
    const consumer = new RecommendationConsumer({ journal: o.journal, stores, sources: o.sources, service, log: o.log, everyMs: o.config.pollMs });
    return new RecommendationRuntime(stores, service, consumer, o.log);
  }

  /** After recovery: load the live auctions, catch up with the journal, then follow it. */
  async start(): Promise<void> {
    const candidates = await this.service.load();
    const read = await this.consumer.runOnce();
    this.log.info({ candidates, events: read }, 'recommendation caught up');
    this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.stores.close();
  }
}

// The recommendation stores' adapters for the contract suites: memory, and Redis under a key prefix of
// its own (deleted at the subtest's teardown). open(t, options) returns null when Redis is missing
// (reported by ../helpers/services.ts: a failure under OKJ_REQUIRE_SERVICES=1).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { recommendationKeys, type RecommendationKeys } from '../../storage/redis/keys.ts';
import { MemoryRecommendation } from '../../storage/recommendation/memory.ts';
import type { RecommendationOptions, RecommendationStores } from '../../storage/recommendation/ports.ts';
import { openRedisRecommendation } from '../../storage/recommendation/redis.ts';
import { redisPrefix, requireRedis, type ServiceTest } from '../helpers/services.ts';

export interface RecoSubject {
  name: string;
  open(t: ServiceTest, options?: RecommendationOptions): Promise<RecommendationStores | null>;
}

export function recommendationSubjects(): RecoSubject[] {
  return [
    {
      name: 'memory',
      async open(t, options) {
        const stores = new MemoryRecommendation(options);
        t.teardown(() => stores.close());
        return stores;
      },
    },
    { name: 'redis', open: async (t, options) => (await openRedisUnderTest(t, options))?.stores ?? null },
  ];
}

export interface RedisUnderTest {
  stores: RecommendationStores;
  /** The test's own key prefix, and the adapter's keys under it. */
  prefix: string;
  keys: RecommendationKeys;
  /** A plain client to look at those keys (disconnected at teardown). */
  raw: Redis;
}

/** The Redis stores under a prefix of their own, or null when Redis is missing (reported on t). */
export async function openRedisUnderTest(t: ServiceTest, options: RecommendationOptions = {}): Promise<RedisUnderTest | null> {
  const url = await requireRedis(t);
  if (url === null) return null;
  let stores: RecommendationStores | null = null;
  const prefix = await redisPrefix(t, url, async () => stores?.close());
  stores = await openRedisRecommendation({ ...options, url, prefix });
  const raw = new Redis(url);
  raw.on('error', () => {});
  t.teardown(() => raw.disconnect());
  return { stores, prefix, keys: recommendationKeys(prefix), raw };
}

export const T0 = 1_700_000_000_000;
export const HOUR = 3_600_000;

/** Ids of their own per test, so tests sharing a store never see each other's data. */
export const newId = (tag: string): string => `${tag}-${randomUUID().slice(0, 13)}`;

/** A group key of its own per test (the region part carries the randomness). */
export const newGroup = (): string => `FEMALE|20s|R${randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** `actual` within a relative `tolerance` of `expected` (Redis and V8 may round 2^x a unit apart). */
export const near = (actual: number, expected: number, tolerance = 1e-9): boolean =>
  Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));

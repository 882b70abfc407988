// The price cache on Redis: one string per normalised product name (key in storage/redis/keys.ts), the
// answer as JSON, expiring after the time to live it was put with. Shared by every node, so a name asked
// on one node is answered from the cache on the others.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MarketPrice } from '../../engine/pricing/index.ts';
import { StoreUnavailableError } from '../auction/ports.ts';
import { closeRedisClient, openRedisClient } from '../redis/client.ts';
import { DEFAULT_PREFIX, priceCacheKey } from '../redis/keys.ts';
import type { PriceCache } from './ports.ts';

export interface RedisPriceCacheOptions {
  url: string;
  prefix?: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

export class RedisPriceCache implements PriceCache {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(nameKey: string): string {
    return priceCacheKey(this.prefix, createHash('sha256').update(nameKey).digest('hex'));
  }

  async get(nameKey: string): Promise<MarketPrice | null> {
    const v = await this.call('read', () => this.redis.get(this.key(nameKey)));
    if (v === null) return null;
    try {
      return JSON.parse(v) as MarketPrice;
    } catch {
      return null; // a value this code did not write: treated as absent, overwritten by the next put
    }
  }

  async put(nameKey: string, price: MarketPrice, ttlMs: number): Promise<void> {
    await this.call('write', () => this.redis.set(this.key(nameKey), JSON.stringify(price), 'PX', Math.max(1, Math.round(ttlMs))));
  }

  async close(): Promise<void> {
    await closeRedisClient(this.redis);
  }

  private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      throw new StoreUnavailableError(`Redis price cache: ${what} failed: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }
}

export async function openRedisPriceCache(o: RedisPriceCacheOptions): Promise<RedisPriceCache> {
  const redis = await openRedisClient('Redis price cache', o, []);
  return new RedisPriceCache(redis, o.prefix ?? DEFAULT_PREFIX);
}

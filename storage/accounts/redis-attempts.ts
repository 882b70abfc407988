// Sign-in attempt counts in Redis, shared by every process: one counter per key, expiring with its
// window. reserve-attempt-1.lua checks the limit and counts in one step (atomic across processes);
// release-attempt-1.lua gives an attempt back.
// It has its own connection: the board's client is private to it, and this one carries little traffic.
import type { Redis } from 'ioredis';
import { StoreUnavailableError, type Lifecycle } from '../auction/ports.ts';
import type { AttemptCounter } from './ports.ts';
import { DEFAULT_PREFIX, redisKeys, type RedisKeys } from '../redis/keys.ts';
import { closeRedisClient, openRedisClient } from '../redis/client.ts';
import { ATTEMPT_SCRIPTS } from '../redis/scripts.ts';

export interface RedisAttemptsOptions {
  url: string;
  prefix?: string;
  onError?: (err: Error) => void;
}

type AttemptClient = Redis & {
  reserveAttempt(key: string, limit: number, windowMs: number): Promise<[number, number, number]>;
  releaseAttempt(key: string): Promise<number>;
};

export class RedisAttempts implements AttemptCounter, Lifecycle {
  private closed = false;

  constructor(private readonly redis: AttemptClient, private readonly keys: RedisKeys) {}

  private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError('Redis attempt counter is closed');
    try {
      return await f();
    } catch (err) {
      throw new StoreUnavailableError(`Redis attempt counter: ${what} failed: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }

  reserve(key: string, limit: number, windowMs: number): Promise<{ reserved: boolean; count: number; resetInMs: number }> {
    return this.call('reserve', async () => {
      const [reserved, count, ttl] = await this.redis.reserveAttempt(this.keys.attempts(key), limit, windowMs);
      return { reserved: Number(reserved) === 1, count: Number(count), resetInMs: Number(ttl) };
    });
  }

  release(key: string): Promise<void> {
    return this.call('release', async () => {
      await this.redis.releaseAttempt(this.keys.attempts(key));
    });
  }

  clear(key: string): Promise<void> {
    return this.call('clear', async () => {
      await this.redis.del(this.keys.attempts(key));
    });
  }

  ping(): Promise<void> {
    return this.call('ping', async () => {
      await this.redis.ping();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeRedisClient(this.redis);
  }
}

export async function openRedisAttempts(o: RedisAttemptsOptions): Promise<RedisAttempts> {
  const keys = redisKeys(o.prefix ?? DEFAULT_PREFIX);
  const redis = await openRedisClient('Redis attempt counter', o, ATTEMPT_SCRIPTS);
  return new RedisAttempts(redis as AttemptClient, keys);
}

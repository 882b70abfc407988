// Failed sign-in counts in Redis, shared by every process: one counter per key, counted by
// fail-attempt-1.lua (INCR and the window's expiry in one step), expiring with its window.
// It has its own connection: the board's client is private to it, and this one carries little traffic.
import type { Redis } from 'ioredis';
import { StoreUnavailableError, type Lifecycle } from '../ports.ts';
import type { AttemptCounter } from '../accounts.ts';
import { DEFAULT_PREFIX, redisKeys, type RedisKeys } from './keys.ts';
import { closeRedisClient, openRedisClient } from './client.ts';
import { ATTEMPT_SCRIPTS } from './scripts.ts';

export interface RedisAttemptsOptions {
  url: string;
  prefix?: string;
  onError?: (err: Error) => void;
}

type AttemptClient = Redis & { failAttempt(key: string, windowMs: number): Promise<[number, number]> };

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

  fail(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    return this.call('fail', async () => {
      const [count, ttl] = await this.redis.failAttempt(this.keys.attempts(key), windowMs);
      return { count: Number(count), resetInMs: Number(ttl) };
    });
  }

  peek(key: string): Promise<{ count: number; resetInMs: number }> {
    return this.call('peek', async () => {
      const k = this.keys.attempts(key);
      const [[, v], [, ttl]] = (await this.redis.multi().get(k).pttl(k).exec()) as [[null, string | null], [null, number]];
      return v === null ? { count: 0, resetInMs: 0 } : { count: Number(v), resetInMs: Math.max(0, Number(ttl)) };
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

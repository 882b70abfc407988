// Opening an ioredis client the way every Redis adapter here needs it: no key prefix (keys.ts builds
// prefixed keys, also inside scripts), fail-fast retries, an 'error' listener, scripts defined, and a
// connection proven before the adapter is handed out.
import { Redis, type RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '../auction/ports.ts';
import type { ScriptDef } from './scripts.ts';

export interface ClientOptions {
  url: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  onError?: (err: Error) => void;
}

/** Connect, or reject with StoreUnavailableError naming `what` (e.g. "Redis board"). */
export async function openRedisClient(what: string, o: ClientOptions, scripts: readonly ScriptDef[]): Promise<Redis> {
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    connectTimeout: o.connectTimeoutMs ?? 5000,
    commandTimeout: o.commandTimeoutMs ?? 5000,
    // While disconnected, commands wait in the offline queue for one reconnection attempt and then
    // fail fast, rather than pile up for ioredis' default 20 retries.
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 100, 2000),
  };
  const redis = new Redis(o.url, redisOptions);
  // Without a listener an 'error' event (connection refused, reset...) would crash the process.
  redis.on('error', (err: Error) => {
    try {
      o.onError?.(err);
    } catch {
      // a faulty reporter must not take the adapter down
    }
  });
  for (const s of scripts) redis.defineCommand(s.name, { numberOfKeys: s.numberOfKeys, lua: s.lua });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    const why = err instanceof Error ? err.message : String(err);
    throw new StoreUnavailableError(`${what}: cannot connect to ${o.url.replace(/\/\/[^@]*@/, '//***@')}: ${why}`, err);
  }
  return redis;
}

/** Close gracefully (QUIT lets queued replies arrive); a connection that cannot is dropped. */
export async function closeRedisClient(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

// The public board on Redis: one hash per auction view, written by put-view-1.lua so that a view never
// replaces a newer one, many views per round trip. Views of closed auctions expire after a day.
import type { Redis } from 'ioredis';
import type { AuctionId, AuctionStatus } from '../../engine/index.ts';
import { StoreUnavailableError, type AuctionBoard, type AuctionView, type Lifecycle } from './ports.ts';
import { DEFAULT_PREFIX, redisKeys, VIEW_FIELDS, type RedisKeys } from '../redis/keys.ts';
import { closeRedisClient, openRedisClient } from '../redis/client.ts';
import { SCRIPTS } from '../redis/scripts.ts';

export interface RedisBoardOptions {
  /** `redis://[user:pass@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** Prefix of every key, e.g. `okj:`. Default `okj:`. */
  prefix?: string;
  /** How long the view of a SOLD, UNSOLD or CANCELED auction is kept, in ms. Default one day. */
  closedTtlMs?: number;
  /** A command not answered in this time fails with StoreUnavailableError. Default 5000 ms. */
  commandTimeoutMs?: number;
  /** Connection attempt timeout. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Told of every error the client reports (connection lost, ...), for health and metrics. */
  onError?: (err: Error) => void;
}

const CLOSED: ReadonlySet<AuctionStatus> = new Set(['SOLD', 'UNSOLD', 'CANCELED']);
/** Commands per pipeline: bounds the memory of one round trip. */
const PIPELINE_MAX = 5000;

type PipelineResult = [Error | null, unknown][] | null;

interface BoardPipeline {
  putView(key: string, seq: number, json: string, ttlMs: number): BoardPipeline;
  hget(key: string, field: string): BoardPipeline;
  exec(): Promise<PipelineResult>;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class RedisBoard implements AuctionBoard, Lifecycle {
  readonly keys: RedisKeys;
  private closed = false;

  /** Use openRedisBoard(). The client must have no keyPrefix and the board's scripts defined. */
  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
    private readonly closedTtlMs: number,
  ) {
    this.keys = keys;
  }

  async put(views: readonly AuctionView[]): Promise<void> {
    this.assertOpen();
    const newest = new Map<AuctionId, AuctionView>();
    for (const v of views) {
      const old = newest.get(v.auction);
      if (old === undefined || v.seq > old.seq) newest.set(v.auction, v);
    }
    const list = [...newest.values()];
    for (let off = 0; off < list.length; off += PIPELINE_MAX) {
      const p = this.pipeline();
      for (const v of list.slice(off, off + PIPELINE_MAX)) {
        p.putView(this.keys.view(v.auction), v.seq, JSON.stringify(v), CLOSED.has(v.status) ? this.closedTtlMs : 0);
      }
      await this.exec(p, 'put');
    }
  }

  async get(ids: readonly AuctionId[]): Promise<Map<AuctionId, AuctionView>> {
    this.assertOpen();
    const unique = [...new Set(ids)];
    const out = new Map<AuctionId, AuctionView>();
    for (let off = 0; off < unique.length; off += PIPELINE_MAX) {
      const part = unique.slice(off, off + PIPELINE_MAX);
      const p = this.pipeline();
      for (const id of part) p.hget(this.keys.view(id), VIEW_FIELDS.json);
      const res = await this.exec(p, 'get');
      res.forEach((json, i) => {
        if (typeof json === 'string') out.set(part[i], JSON.parse(json) as AuctionView);
      });
    }
    return out;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.redis.ping();
    } catch (err) {
      throw new StoreUnavailableError(`Redis board: ping failed: ${describe(err)}`, err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeRedisClient(this.redis);
  }

  private pipeline(): BoardPipeline {
    return this.redis.pipeline() as unknown as BoardPipeline;
  }

  /** Run a pipeline; any failed command (or a lost connection) is StoreUnavailableError. */
  private async exec(p: BoardPipeline, what: string): Promise<unknown[]> {
    let res: PipelineResult;
    try {
      res = await p.exec();
    } catch (err) {
      throw new StoreUnavailableError(`Redis board: ${what} failed: ${describe(err)}`, err);
    }
    if (res === null) throw new StoreUnavailableError(`Redis board: ${what} failed: the pipeline was discarded`);
    return res.map(([err, value]) => {
      if (err) throw new StoreUnavailableError(`Redis board: ${what} failed: ${describe(err)}`, err);
      return value;
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('Redis board is closed');
  }
}

/** Connect to Redis and return the board; rejects with StoreUnavailableError if Redis does not answer. */
export async function openRedisBoard(options: RedisBoardOptions): Promise<RedisBoard> {
  if (typeof options.url !== 'string' || !/^rediss?:\/\//i.test(options.url)) {
    throw new TypeError('Redis board: "url" must be a redis:// or rediss:// URL');
  }
  const keys = redisKeys(options.prefix ?? DEFAULT_PREFIX);
  const closedTtlMs = options.closedTtlMs ?? 86_400_000;
  if (!Number.isInteger(closedTtlMs) || closedTtlMs <= 0) {
    throw new TypeError(`Redis board: "closedTtlMs" must be a positive integer of ms, got ${closedTtlMs}`);
  }
  const redis = await openRedisClient('Redis board', options, SCRIPTS);
  return new RedisBoard(redis, keys, closedTtlMs);
}

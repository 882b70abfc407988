// The recommendation stores on Redis sorted sets, over one client of their own (keys from
// storage/redis/keys.ts). Group tags and popularity are decayed score sets written by add-decayed-3.lua (which also keeps each set's applied journal position)
// and read with ZREVRANGE WITHSCORES plus the set's epoch, in one transaction (a rebase in between would
// pair values with the wrong epoch). Co-bids are in ./redis-cobids.ts. Every key has a time to live,
// refreshed by writes, and every set a size bound.
import type { ChainableCommander, Redis } from 'ioredis';
import type { AuctionId, Millis } from '../../engine/index.ts';
import {
  factorAt, FORGET_BELOW, MAX_EXPONENT, type AuctionScore, type GroupKey, type TagScore,
} from '../../engine/recommendation/index.ts';
import type { Lifecycle } from '../auction/ports.ts';
import { closeRedisClient, openRedisClient } from '../redis/client.ts';
import { DEFAULT_PREFIX, recommendationKeys, type RecommendationKeys } from '../redis/keys.ts';
import { checkAuctionSignal, checkPosition, checkTagSignal, pageSize, settings, type Settings } from './options.ts';
import type {
  AuctionPopularity, AuctionSignal, CoBids, ConsumerCursor, GroupTagScores, RecommendationOptions, RecommendationStores, TagSignal,
} from './ports.ts';
import { RedisCalls } from './redis-calls.ts';
import { RedisCoBids } from './redis-cobids.ts';
import { RECOMMENDATION_SCRIPTS } from './redis-scripts.ts';

export interface RedisRecommendationOptions extends RecommendationOptions {
  /** `redis://[user:pass@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** Prefix of every key, e.g. `okj:`. Default `okj:`. */
  prefix?: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Told of every error the client reports (connection lost, ...), for health and metrics. */
  onError?: (err: Error) => void;
}

/** Member, weight, at, journal position (0: none): what add-decayed-3.lua takes per increment. */
type Triple = [string, number, Millis, number];
/** Triples per script call: bounds how long one call holds Redis. */
const TRIPLES_PER_CALL = 2_000;

type DecayedPipeline = ChainableCommander & {
  addDecayed(scores: string, epoch: string, applied: string, ...args: (string | number)[]): DecayedPipeline;
};

/** Triples in calls of about TRIPLES_PER_CALL, never splitting one position's (the script dedupes by call). */
function* chunks(triples: Triple[]): Iterable<Triple[]> {
  let start = 0;
  while (start < triples.length) {
    let end = Math.min(start + TRIPLES_PER_CALL, triples.length);
    while (end < triples.length && triples[end][3] !== 0 && triples[end][3] === triples[end - 1][3]) end++;
    yield triples.slice(start, end);
    start = end;
  }
}

/** One decayed score set (a group's tags, or the popular auctions): its three keys. */
interface DecayedSet {
  scores: string;
  epoch: string;
  applied: string;
}

/** The writes and reads both decayed stores share. */
class DecayedSets {
  constructor(private readonly calls: RedisCalls, private readonly s: Settings, private readonly maxMembers: number) {}

  async add(what: string, batches: Map<string, { set: DecayedSet; triples: Triple[] }>): Promise<void> {
    if (batches.size === 0) return;
    await this.calls.exec(what, (redis) => {
      const p = redis.pipeline() as DecayedPipeline;
      for (const { set, triples } of batches.values()) {
        for (const chunk of chunks(triples)) {
          const args = chunk.flat();
          p.addDecayed(set.scores, set.epoch, set.applied, this.s.halfLifeMs, this.maxMembers, this.s.ttlMs, MAX_EXPONENT, FORGET_BELOW, ...args);
        }
      }
      return p;
    });
  }

  /** The best `limit` members with their worth at `now`. */
  async top(what: string, set: DecayedSet, now: Millis, limit: number): Promise<{ member: string; score: number }[]> {
    const n = pageSize(limit);
    if (n === 0) return [];
    const [epoch, flat] = (await this.calls.exec(what, (redis) =>
      redis.multi().get(set.epoch).zrevrange(set.scores, 0, n - 1, 'WITHSCORES'),
    )) as [string | null, string[]];
    if (epoch === null) return [];
    const f = factorAt(Number(epoch), now, this.s.halfLifeMs);
    const out: { member: string; score: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ member: flat[i], score: Number(flat[i + 1]) * f });
    return out;
  }
}

class RedisGroupTagScores implements GroupTagScores {
  private readonly sets: DecayedSets;

  constructor(calls: RedisCalls, s: Settings, private readonly keys: RecommendationKeys) {
    this.sets = new DecayedSets(calls, s, s.maxTagsPerGroup);
  }

  async add(signals: readonly TagSignal[]): Promise<void> {
    signals.forEach(checkTagSignal);
    const batches = new Map<string, { set: DecayedSet; triples: Triple[] }>();
    for (const { group, tags, weight, at, position } of signals) {
      let b = batches.get(group);
      if (b === undefined) batches.set(group, (b = { set: this.set(group), triples: [] }));
      for (const tag of new Set(tags)) b.triples.push([tag, weight, at, position ?? 0]);
    }
    return this.sets.add('add group tags', batches);
  }

  async top(group: GroupKey, now: Millis, limit: number): Promise<TagScore[]> {
    const top = await this.sets.top('read group tags', this.set(group), now, limit);
    return top.map(({ member, score }) => ({ tag: member, score }));
  }

  private set(group: GroupKey): DecayedSet {
    return { scores: this.keys.groupTags(group), epoch: this.keys.groupEpoch(group), applied: this.keys.groupApplied(group) };
  }
}

class RedisPopularity implements AuctionPopularity {
  private readonly sets: DecayedSets;
  private readonly set: DecayedSet;

  constructor(private readonly calls: RedisCalls, s: Settings, keys: RecommendationKeys) {
    this.sets = new DecayedSets(calls, s, s.maxPopular);
    this.set = { scores: keys.popular(), epoch: keys.popularEpoch(), applied: keys.popularApplied() };
  }

  async add(signals: readonly AuctionSignal[]): Promise<void> {
    signals.forEach(checkAuctionSignal);
    const triples = signals.map(({ auction, weight, at, position }): Triple => [auction, weight, at, position ?? 0]);
    return this.sets.add('add popularity', triples.length === 0 ? new Map() : new Map([['', { set: this.set, triples }]]));
  }

  async top(now: Millis, limit: number): Promise<AuctionScore[]> {
    const top = await this.sets.top('read popularity', this.set, now, limit);
    return top.map(({ member, score }) => ({ auction: member, score }));
  }

  async forget(auctions: readonly AuctionId[]): Promise<void> {
    if (auctions.length === 0) return;
    await this.calls.call('forget auctions', (redis) => redis.zrem(this.set.scores, ...auctions));
  }
}

class RedisCursor implements ConsumerCursor {
  constructor(private readonly calls: RedisCalls, private readonly key: string) {}

  async read(): Promise<number> {
    return Number((await this.calls.call('read the consumer position', (redis) => redis.get(this.key))) ?? 0);
  }

  async save(position: number): Promise<void> {
    checkPosition(position);
    // Never back: a slower node's save must not rewind a faster one's.
    await this.calls.call('save the consumer position', (redis) =>
      (redis as Redis & { raisePosition(key: string, position: string): Promise<number> }).raisePosition(this.key, String(position)),
    );
  }
}

export class RedisRecommendation implements RecommendationStores, Lifecycle {
  readonly tags: GroupTagScores;
  readonly cobids: CoBids;
  readonly popularity: AuctionPopularity;
  readonly cursor: ConsumerCursor;
  private readonly calls: RedisCalls;

  /** Use openRedisRecommendation(). The client must have no keyPrefix and the scripts defined. */
  constructor(redis: Redis, keys: RecommendationKeys, s: Settings) {
    this.calls = new RedisCalls(redis);
    this.tags = new RedisGroupTagScores(this.calls, s, keys);
    this.cobids = new RedisCoBids(this.calls, s, keys);
    this.popularity = new RedisPopularity(this.calls, s, keys);
    this.cursor = new RedisCursor(this.calls, keys.consumerPosition());
  }

  async ping(): Promise<void> {
    await this.calls.call('ping', (redis) => redis.ping());
  }

  async close(): Promise<void> {
    if (this.calls.markClosed()) await closeRedisClient(this.calls.redis);
  }
}

/** Connect and return the stores; rejects with StoreUnavailableError if Redis does not answer. */
export async function openRedisRecommendation(o: RedisRecommendationOptions): Promise<RedisRecommendation> {
  if (typeof o.url !== 'string' || !/^rediss?:\/\//i.test(o.url)) {
    throw new TypeError('Redis recommendation store: "url" must be a redis:// or rediss:// URL');
  }
  const keys = recommendationKeys(o.prefix ?? DEFAULT_PREFIX);
  const s = settings(o);
  const redis = await openRedisClient('Redis recommendation store', o, RECOMMENDATION_SCRIPTS);
  return new RedisRecommendation(redis, keys, s);
}

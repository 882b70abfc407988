// Co-bids on Redis. Recording a bid is two round trips:
//  1. one transaction on the user's key: ZADD NX the auction (false: the pair was recorded, stop), read
//     the user's other remembered auctions, trim to the most recent. Being one transaction, of two bids
//     by one user racing, exactly one sees the other, so each pair is counted once.
//  2. one pipeline of commutative increments: the auction's bidder count, and for each other auction b
//     one more in common both ways; partner sets trimmed to those with most in common, TTLs refreshed.
// A crash between 1 and 2 loses that bid's counts (at most once): a recommendation may miss a bidder,
// but a redelivered event never counts twice. No Lua: the partner keys are known only after step 1.
import type { AuctionId } from '../../engine/index.ts';
import { cosine } from '../../engine/recommendation/index.ts';
import type { RecommendationKeys } from '../redis/keys.ts';
import { checkCoBid, pageSize, type Settings } from './options.ts';
import type { CoBid, CoBids, SimilarAuction } from './ports.ts';
import type { RedisCalls } from './redis-calls.ts';
import { bySimilarity, similarPool } from './similar.ts';

export class RedisCoBids implements CoBids {
  constructor(private readonly calls: RedisCalls, private readonly s: Settings, private readonly keys: RecommendationKeys) {}

  async record(bids: readonly CoBid[]): Promise<void> {
    bids.forEach(checkCoBid);
    // In order: a user's second bid must see the first.
    for (const bid of bids) await this.recordOne(bid);
  }

  private async recordOne({ user, auction, at }: CoBid): Promise<void> {
    const { bidsPerUser, partnersPerAuction, ttlMs } = this.s;
    const mine = this.keys.userBids(user);
    const [added, remembered] = (await this.calls.exec('record a bid', (redis) =>
      redis
        .multi()
        .zadd(mine, 'NX', String(at), auction)
        .zrange(mine, '0', '-1')
        .zremrangebyrank(mine, 0, -(bidsPerUser + 1))
        .pexpire(mine, ttlMs),
    )) as [number, string[]];
    if (Number(added) !== 1) return;
    const others = remembered.filter((a) => a !== auction);
    await this.calls.exec('count co-bids', (redis) => {
      const p = redis.pipeline().incr(this.keys.bidders(auction)).pexpire(this.keys.bidders(auction), ttlMs);
      for (const other of others) {
        p.zincrby(this.keys.partners(auction), 1, other).zincrby(this.keys.partners(other), 1, auction);
      }
      for (const a of others.length === 0 ? [] : [auction, ...others]) {
        p.zremrangebyrank(this.keys.partners(a), 0, -(partnersPerAuction + 1)).pexpire(this.keys.partners(a), ttlMs);
      }
      return p;
    });
  }

  async similar(auction: AuctionId, limit: number): Promise<SimilarAuction[]> {
    const n = pageSize(limit);
    if (n === 0) return [];
    const flat = await this.calls.call('read partners', (redis) =>
      redis.zrevrange(this.keys.partners(auction), 0, similarPool(n, this.s) - 1, 'WITHSCORES'),
    );
    if (flat.length === 0) return [];
    const pool: { auction: AuctionId; common: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) pool.push({ auction: flat[i], common: Number(flat[i + 1]) });
    const counts = await this.bidders([auction, ...pool.map((p) => p.auction)]);
    const mine = counts.get(auction) ?? 0;
    return pool
      .map((p) => ({ ...p, score: cosine(p.common, mine, counts.get(p.auction) ?? 0) }))
      .sort(bySimilarity)
      .slice(0, n);
  }

  async bidders(auctions: readonly AuctionId[]): Promise<Map<AuctionId, number>> {
    const unique = [...new Set(auctions)];
    if (unique.length === 0) return new Map();
    // One GET per auction in a pipeline rather than MGET: the keys sit in different cluster slots.
    const res = await this.calls.exec('read bidder counts', (redis) => {
      const p = redis.pipeline();
      for (const a of unique) p.get(this.keys.bidders(a));
      return p;
    });
    return new Map(unique.map((a, i) => [a, Number(res[i] ?? 0)]));
  }
}

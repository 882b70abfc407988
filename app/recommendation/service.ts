// The recommendation service (SPEC §8): ranks open auctions for a caller from the stores (group tag
// scores, co-bids, popularity) over the candidate index this process keeps of the live listings. The
// index is filled at start from the live auctions and kept by the journal's consumer (./consumer.ts).
// The caller's own auctions and those they lead are left out, by the index and by the auction engine's
// own answer (involving), which knows leaders the index may not have seen yet.
import { OkjError, type AuctionId, type Clock, type UserId } from '../../engine/index.ts';
import type { Logger } from '../../engine/logger.ts';
import type { RecommendationApi, RecommendationSources, WishSignals } from '../../engine/recommendation/api.ts';
import type { IndexChange } from '../../engine/recommendation/journal.ts';
import {
  fill, rankByTags, rankPopular, rankSimilar, SIGNAL_WEIGHTS, TagIndex, type Recommendation,
} from '../../engine/recommendation/index.ts';
import type { RecommendationStores } from '../../storage/recommendation/ports.ts';

/** Group tags read per ranking: the best few hundred carry nearly all of a group's weight. */
const TAGS_READ = 300;
/** Listings read per call at start. */
const CHUNK = 500;

export interface RecommendationServiceOptions {
  stores: RecommendationStores;
  sources: RecommendationSources;
  clock: Clock;
  log: Logger;
}

export class RecommendationService implements RecommendationApi, WishSignals {
  readonly index = new TagIndex();

  constructor(private readonly o: RecommendationServiceOptions) {}

  /** Fill the index with the live auctions (before the consumer starts). */
  async load(): Promise<number> {
    const ids = await this.o.sources.live();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const listings = await this.o.sources.listings(ids.slice(i, i + CHUNK));
      for (const [id, l] of listings) {
        if (l.status === 'OPEN' || l.status === 'PENDING') this.index.put({ id, sellerId: l.sellerId, status: l.status, leader: null, tags: l.tags });
      }
    }
    return this.index.size;
  }

  /** Apply the consumer's changes to the index, in journal order. */
  apply(changes: readonly IndexChange[]): void {
    for (const c of changes) {
      if (c.t === 'put') this.index.put({ id: c.id, sellerId: c.sellerId, status: c.status, leader: c.leader, tags: c.tags });
      else if (c.t === 'remove') this.index.remove(c.id);
      else {
        const known = this.index.get(c.id);
        if (known !== undefined) {
          known.leader = c.leader;
          known.status = c.status;
        }
      }
    }
  }

  async forUser(caller: UserId | null, limit: number): Promise<Recommendation[]> {
    const now = this.o.clock.now();
    const [group, mine] = await Promise.all([
      caller === null ? null : this.o.sources.groupOf(caller),
      this.involving(caller),
    ]);
    const want = limit + mine.size;
    const byTags = group === null ? [] : rankByTags(caller, await this.o.stores.tags.top(group, now, TAGS_READ), this.index, want);
    const popular = byTags.length >= want ? [] : rankPopular(caller, await this.o.stores.popularity.top(now, 4 * want + 100), this.index, want);
    return fill(byTags, popular, want).filter((r) => !mine.has(r.auction)).slice(0, limit);
  }

  async similar(caller: UserId | null, auction: AuctionId, limit: number): Promise<Recommendation[]> {
    if (this.index.get(auction) === undefined && !(await this.o.sources.exists(auction))) throw new OkjError('AUCTION_NOT_FOUND');
    const mine = await this.involving(caller);
    const want = limit + mine.size;
    const similar = await this.o.stores.cobids.similar(auction, 4 * want + 20);
    return rankSimilar(caller, auction, similar, this.index, want).filter((r) => !mine.has(r.auction)).slice(0, limit);
  }

  // A wish is told once, when created: it carries no journal position (wishes are not journal events),
  // so it is applied at most once (lost if the process dies before the stores answer). Never rejects:
  // the wish itself stands whatever happens here.
  async wished(user: UserId, auction: AuctionId, at: number): Promise<void> {
    await this.addWish(user, auction, at).catch((err: unknown) => this.o.log.warn({ err, auction }, 'recommendation: a wish was not counted'));
  }

  private async addWish(user: UserId, auction: AuctionId, at: number): Promise<void> {
    const weight = SIGNAL_WEIGHTS.wish;
    const [group, listing] = await Promise.all([this.o.sources.groupOf(user), this.tagsOf(auction)]);
    await this.o.stores.popularity.add([{ auction, weight, at }]);
    if (group !== null && listing.length > 0) await this.o.stores.tags.add([{ group, tags: listing, weight, at }]);
  }

  private async tagsOf(auction: AuctionId): Promise<readonly string[]> {
    const known = this.index.get(auction);
    if (known !== undefined) return known.tags;
    return (await this.o.sources.listings([auction])).get(auction)?.tags ?? [];
  }

  private async involving(caller: UserId | null): Promise<Set<AuctionId>> {
    return caller === null ? new Set() : new Set(await this.o.sources.involving(caller));
  }
}

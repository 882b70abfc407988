// The recommendation stores in memory: one process, tests, and deployments without REDIS_URL. They keep
// the Redis adapter's bounds by size (tags per group, popular auctions, bids per user, partners per
// auction); there is no expiry by age.
import type { AuctionId, Millis, UserId } from '../../engine/index.ts';
import { cosine, DecayedScores, type AuctionScore, type GroupKey, type TagScore } from '../../engine/recommendation/index.ts';
import { MemoryLifecycle } from '../lifecycle.ts';
import type {
  AuctionPopularity, AuctionSignal, CoBid, CoBids, ConsumerCursor, GroupTagScores, RecommendationOptions, RecommendationStores, SimilarAuction,
  TagSignal,
} from './ports.ts';
import { checkAuctionSignal, checkCoBid, checkPosition, checkTagSignal, pageSize, settings, type Settings } from './options.ts';
import { bySimilarity, similarPool } from './similar.ts';

type Guard = () => void;

/** Whether a signal at `position` is new to a set that applied up to `applied` (and records it). */
function fresh(applied: Map<string, number>, set: string, position: number | undefined): boolean {
  if (position === undefined) return true;
  if (position <= (applied.get(set) ?? 0)) return false;
  applied.set(set, position);
  return true;
}

class MemoryGroupTagScores implements GroupTagScores {
  private readonly groups = new Map<GroupKey, DecayedScores>();
  private readonly applied = new Map<GroupKey, number>();

  constructor(private readonly s: Settings, private readonly guard: Guard) {}

  async add(signals: readonly TagSignal[]): Promise<void> {
    this.guard();
    signals.forEach(checkTagSignal);
    for (const { group, tags, weight, at, position } of signals) {
      if (!fresh(this.applied, group, position)) continue;
      let scores = this.groups.get(group);
      if (scores === undefined) this.groups.set(group, (scores = new DecayedScores(this.s.halfLifeMs, this.s.maxTagsPerGroup)));
      for (const tag of new Set(tags)) scores.add(tag, weight, at);
    }
  }

  async top(group: GroupKey, now: Millis, limit: number): Promise<TagScore[]> {
    this.guard();
    const scores = this.groups.get(group);
    return scores === undefined ? [] : scores.top(now, pageSize(limit)).map(({ key, score }) => ({ tag: key, score }));
  }
}

class MemoryPopularity implements AuctionPopularity {
  private readonly scores: DecayedScores;
  private readonly applied = new Map<string, number>();

  constructor(s: Settings, private readonly guard: Guard) {
    this.scores = new DecayedScores(s.halfLifeMs, s.maxPopular);
  }

  async add(signals: readonly AuctionSignal[]): Promise<void> {
    this.guard();
    signals.forEach(checkAuctionSignal);
    for (const { auction, weight, at, position } of signals) if (fresh(this.applied, '', position)) this.scores.add(auction, weight, at);
  }

  async top(now: Millis, limit: number): Promise<AuctionScore[]> {
    this.guard();
    return this.scores.top(now, pageSize(limit)).map(({ key, score }) => ({ auction: key, score }));
  }

  async forget(auctions: readonly AuctionId[]): Promise<void> {
    this.guard();
    for (const a of auctions) this.scores.delete(a);
  }
}

class MemoryCoBids implements CoBids {
  /** Per user: auction -> time of the first bid recorded. */
  private readonly bids = new Map<UserId, Map<AuctionId, Millis>>();
  /** Per auction: partner -> bidders in common. */
  private readonly partners = new Map<AuctionId, Map<AuctionId, number>>();
  private readonly counts = new Map<AuctionId, number>();

  constructor(private readonly s: Settings, private readonly guard: Guard) {}

  async record(bids: readonly CoBid[]): Promise<void> {
    this.guard();
    bids.forEach(checkCoBid);
    for (const { user, auction, at } of bids) {
      let mine = this.bids.get(user);
      if (mine === undefined) this.bids.set(user, (mine = new Map()));
      if (mine.has(auction)) continue;
      const others = [...mine.keys()];
      mine.set(auction, at);
      keepBest(mine, this.s.bidsPerUser);
      this.counts.set(auction, (this.counts.get(auction) ?? 0) + 1);
      for (const other of others) {
        this.bump(auction, other);
        this.bump(other, auction);
      }
      // Trimmed after all the increments of one bid, as the Redis adapter's pipeline does.
      for (const a of others.length === 0 ? [] : [auction, ...others]) keepBest(this.partners.get(a) as Map<AuctionId, number>, this.s.partnersPerAuction);
    }
  }

  async similar(auction: AuctionId, limit: number): Promise<SimilarAuction[]> {
    this.guard();
    const n = pageSize(limit);
    const partners = this.partners.get(auction);
    if (partners === undefined || n === 0) return [];
    const pool = [...partners].sort(([a, x], [b, y]) => y - x || (a < b ? 1 : a > b ? -1 : 0)).slice(0, similarPool(n, this.s));
    const mine = this.counts.get(auction) ?? 0;
    return pool
      .map(([other, common]) => ({ auction: other, common, score: cosine(common, mine, this.counts.get(other) ?? 0) }))
      .sort(bySimilarity)
      .slice(0, n);
  }

  async bidders(auctions: readonly AuctionId[]): Promise<Map<AuctionId, number>> {
    this.guard();
    return new Map(auctions.map((a) => [a, this.counts.get(a) ?? 0]));
  }

  private bump(auction: AuctionId, partner: AuctionId): void {
    let m = this.partners.get(auction);
    if (m === undefined) this.partners.set(auction, (m = new Map()));
    m.set(partner, (m.get(partner) ?? 0) + 1);
  }
}

/** Keep the `max` entries with the highest values (ties: the greater key stays, as in Redis). */
function keepBest(m: Map<string, number>, max: number): void {
  if (m.size <= max) return;
  const drop = [...m].sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0)).slice(0, m.size - max);
  for (const [key] of drop) m.delete(key);
}

class MemoryCursor implements ConsumerCursor {
  private position = 0;

  constructor(private readonly guard: Guard) {}

  async read(): Promise<number> {
    this.guard();
    return this.position;
  }

  async save(position: number): Promise<void> {
    this.guard();
    checkPosition(position);
    this.position = Math.max(this.position, position);
  }
}

export class MemoryRecommendation extends MemoryLifecycle implements RecommendationStores {
  readonly tags: GroupTagScores;
  readonly cobids: CoBids;
  readonly popularity: AuctionPopularity;
  readonly cursor: ConsumerCursor;

  constructor(options: RecommendationOptions = {}) {
    super('the memory recommendation store');
    const s = settings(options);
    const guard = () => this.assertOpen();
    this.tags = new MemoryGroupTagScores(s, guard);
    this.cobids = new MemoryCoBids(s, guard);
    this.popularity = new MemoryPopularity(s, guard);
    this.cursor = new MemoryCursor(guard);
  }
}

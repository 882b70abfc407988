// Reads the journal (the outbox, by position) after the stores' cursor and turns each page into signals
// (engine/recommendation/journal.ts) and candidate index changes. Every signal carries its journal
// position and each score set applies a position once (storage/recommendation/ports.ts), so a page read
// again after a crash, a restart or by another node changes nothing; the cursor is saved after the page
// is applied and only says where to resume. Co-bids are deduplicated by (user, auction).
import type { Logger } from '../../engine/logger.ts';
import type { GroupKey } from '../../engine/recommendation/index.ts';
import { biddersOf, effectsOf, listingsNeeded, type ListingTags } from '../../engine/recommendation/journal.ts';
import type { RecommendationSources } from '../../engine/recommendation/api.ts';
import type { UserId } from '../../engine/index.ts';
import type { BidJournal } from '../../storage/auction/ports.ts';
import type { RecommendationStores } from '../../storage/recommendation/ports.ts';
import { PollLoop } from '../poll-loop.ts';
import type { RecommendationService } from './service.ts';

/** Journal events read per page. */
const PAGE = 500;

export interface ConsumerOptions {
  journal: Pick<BidJournal, 'after'>;
  stores: RecommendationStores;
  sources: RecommendationSources;
  service: Pick<RecommendationService, 'apply'>;
  log: Logger;
  everyMs: number;
}

export class RecommendationConsumer {
  private position: number | null = null;
  private readonly loop: PollLoop;

  constructor(private readonly o: ConsumerOptions) {
    this.loop = new PollLoop(() => this.consume(), o.everyMs, (err) => o.log.warn({ err }, 'recommendation: reading the journal failed; retrying'));
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Apply what is new in the journal; returns how many events were read. */
  runOnce(): Promise<number> {
    return this.loop.runOnce();
  }

  private async consume(): Promise<number> {
    let total = 0;
    let position = this.position ?? (await this.o.stores.cursor.read());
    for (;;) {
      const page = await this.o.journal.after(position, PAGE);
      if (page.length === 0) break;
      const [listings, groups] = await Promise.all([this.listings(listingsNeeded(page)), this.groups(biddersOf(page))]);
      const fx = effectsOf(page, listings, groups);
      this.o.service.apply(fx.index);
      await this.o.stores.tags.add(fx.tags);
      await this.o.stores.popularity.add(fx.popularity);
      await this.o.stores.popularity.forget(fx.ended);
      await this.o.stores.cobids.record(fx.cobids);
      position = page[page.length - 1].pos;
      await this.o.stores.cursor.save(position);
      this.position = position;
      total += page.length;
    }
    return total;
  }

  private async listings(ids: string[]): Promise<Map<string, ListingTags>> {
    return ids.length === 0 ? new Map() : this.o.sources.listings(ids);
  }

  private async groups(users: UserId[]): Promise<Map<UserId, GroupKey | null>> {
    const groups = await Promise.all(users.map((u) => this.o.sources.groupOf(u)));
    return new Map(users.map((u, i) => [u, groups[i]]));
  }
}

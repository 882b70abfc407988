// What recommendation reads of other domains, built by the composition root from their interfaces: the
// marketplace's listings, the auction engine's live auctions, accounts' profiles (a user's group,
// cached for a minute: a profile change shows within that).
import type { AccountsApi } from '../../engine/accounts/api.ts';
import type { AuctionQueries } from '../../engine/auction/api.ts';
import { OkjError, type AuctionId, type Clock, type UserId } from '../../engine/index.ts';
import type { RecoListing, RecommendationSources } from '../../engine/recommendation/api.ts';
import { groupOf, type GroupKey } from '../../engine/recommendation/index.ts';

const GROUP_TTL_MS = 60_000;
const MAX_GROUPS_CACHED = 100_000;

export interface SourceOptions {
  listings(ids: readonly AuctionId[]): Promise<Map<AuctionId, RecoListing>>;
  auctions: Pick<AuctionQueries, 'live' | 'involving' | 'lookup'>;
  accounts: Pick<AccountsApi, 'account'>;
  clock: Clock;
}

export function recommendationSources(o: SourceOptions): RecommendationSources {
  const groups = new Map<UserId, { group: GroupKey | null; until: number }>();
  return {
    listings: (ids) => o.listings(ids),
    live: () => o.auctions.live(),
    involving: async (user) => (await o.auctions.involving(user)).map((i) => i.id),
    exists: async (id) => (await o.auctions.lookup(id)) !== null,
    async groupOf(user) {
      const now = o.clock.now();
      const hit = groups.get(user);
      if (hit !== undefined && hit.until > now) return hit.group;
      // An unknown or withdrawn user has no group; any other failure (the store) is the caller's to retry.
      const group = await o.accounts.account(user).then(
        (a) => (a.status === 'ACTIVE' ? groupOf(a) : null),
        (err: unknown) => {
          if (err instanceof OkjError && err.code === 'NOT_FOUND') return null;
          throw err;
        },
      );
      if (groups.size >= MAX_GROUPS_CACHED) groups.clear();
      groups.set(user, { group, until: now + GROUP_TTL_MS });
      return group;
    },
  };
}

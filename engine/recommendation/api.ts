// What other parts ask of recommendation (SPEC §8), and what it needs of them, as interfaces only:
// app/server.ts hands them over (the HTTP routes and the marketplace's overview call RecommendationApi;
// the marketplace tells of wishes through WishSignals; the service reads listings and groups through
// RecommendationSources).
import type { AuctionId, AuctionStatus } from '../auction/model.ts';
import type { Millis, UserId } from '../kernel.ts';
import type { GroupKey } from './group.ts';
import type { Recommendation } from './rank.ts';

export interface RecommendationApi {
  /** Open auctions for the caller (null: anonymous), best first: by their group's tags, then popularity. */
  forUser(caller: UserId | null, limit: number): Promise<Recommendation[]>;
  /** "Bidders on this also bid on"; AUCTION_NOT_FOUND when no such auction. */
  similar(caller: UserId | null, auction: AuctionId, limit: number): Promise<Recommendation[]>;
}

/** A new wish (told once per wish created): weighs 1 in the wisher's group and in popularity. */
export interface WishSignals {
  wished(user: UserId, auction: AuctionId, at: Millis): Promise<void>;
}

/** What recommendation reads of an auction's listing. */
export interface RecoListing {
  sellerId: UserId;
  status: AuctionStatus;
  tags: readonly string[];
}

export interface RecommendationSources {
  /** The listings among `ids` that exist. */
  listings(ids: readonly AuctionId[]): Promise<Map<AuctionId, RecoListing>>;
  /** Ids of every PENDING or OPEN auction (the candidates at start). */
  live(): Promise<AuctionId[]>;
  /** PENDING and OPEN auctions the user sells or leads (left out of the user's lists). */
  involving(user: UserId): Promise<AuctionId[]>;
  /** The user's group; null for one missing a part of it, or unknown. */
  groupOf(user: UserId): Promise<GroupKey | null>;
  /** Whether an auction exists at all. */
  exists(id: AuctionId): Promise<boolean>;
}

// Every Redis key this project uses is built here, and nowhere else. Keys carry the configured prefix
// themselves: the client has no `keyPrefix` option, because ioredis does not apply it inside Lua
// scripts (see bullmq #1219), so a prefixed client and its scripts would disagree on key names.
//
//   {prefix}auction:{<id>}:view   hash  seq -> the view's seq, v -> the view as JSON   (AuctionBoard)
//   {prefix}attempts:{<key>}      string  attempts counted in the current window, expiring with it (AttemptCounter);
//                                 <key> is `account:<hash of the email>`, `address:<ip>` or
//                                 `account-address:<hash of the email>:<ip>` (sign-in), `signup-address:<ip>`,
//                                 `signup-email:<hash of the email>` or `verify-address:<ip>` (signup), never
//                                 a raw email
//
// The id sits in a hash tag, so every key of one auction lands in one Redis Cluster slot.
import type { AuctionId } from '../../engine/index.ts';

export const DEFAULT_PREFIX = 'okj:';

export interface RedisKeys {
  readonly prefix: string;
  /** The board's view of one auction. */
  view(auction: AuctionId): string;
  /** Attempts (sign-in, signup, verification) counted under one key (see above). */
  attempts(key: string): string;
  /** A SCAN pattern matching every key under the prefix (operators and tests). */
  all(): string;
}

export function redisKeys(prefix: string = DEFAULT_PREFIX): RedisKeys {
  if (typeof prefix !== 'string' || /[\s*?[\]]/.test(prefix)) {
    throw new TypeError(`Redis: "prefix" must be a string without spaces or glob characters, got ${JSON.stringify(prefix)}`);
  }
  return {
    prefix,
    view: (auction) => `${prefix}auction:{${auction}}:view`,
    attempts: (key) => `${prefix}attempts:{${key}}`,
    all: () => `${prefix}*`,
  };
}

/** Fields of the view hash. */
export const VIEW_FIELDS = { seq: 'seq', json: 'v' } as const;

// ---- recommendation (storage/recommendation/redis.ts) ------------------------------------------------
//
//   {prefix}reco:group:{<group>}:tags      zset  tag -> score stored against the group's epoch (GroupTagScores)
//   {prefix}reco:group:{<group>}:epoch     string  that epoch, ms; <group> is `gender|ageBand|region`
//   {prefix}reco:group:{<group>}:applied   string  the highest journal position applied to those tags
//   {prefix}reco:{popular}:auctions        zset  auction -> score stored against the epoch (AuctionPopularity)
//   {prefix}reco:{popular}:epoch           string  that epoch, ms
//   {prefix}reco:{popular}:applied         string  the highest journal position applied to popularity
//   {prefix}reco:consumer:position         string  where the journal's consumer resumes (ConsumerCursor)
//   {prefix}reco:user:{<user>}:bids        zset  auction -> time of the user's first bid on it (CoBids)
//   {prefix}reco:auction:{<id>}:partners   zset  auction -> bidders in common with <id> (CoBids)
//   {prefix}reco:auction:{<id>}:bidders    string  distinct bidders on <id> (CoBids)
//
// A scores zset, its epoch and its applied position share a hash tag: add-decayed-3.lua touches all three.

export interface RecommendationKeys {
  groupTags(group: string): string;
  groupEpoch(group: string): string;
  groupApplied(group: string): string;
  popular(): string;
  popularEpoch(): string;
  popularApplied(): string;
  consumerPosition(): string;
  userBids(user: string): string;
  partners(auction: AuctionId): string;
  bidders(auction: AuctionId): string;
}

export function recommendationKeys(prefix: string = DEFAULT_PREFIX): RecommendationKeys {
  const p = redisKeys(prefix).prefix; // the same check of the prefix
  return {
    groupTags: (group) => `${p}reco:group:{${group}}:tags`,
    groupEpoch: (group) => `${p}reco:group:{${group}}:epoch`,
    groupApplied: (group) => `${p}reco:group:{${group}}:applied`,
    popular: () => `${p}reco:{popular}:auctions`,
    popularEpoch: () => `${p}reco:{popular}:epoch`,
    popularApplied: () => `${p}reco:{popular}:applied`,
    consumerPosition: () => `${p}reco:consumer:position`,
    userBids: (user) => `${p}reco:user:{${user}}:bids`,
    partners: (auction) => `${p}reco:auction:{${auction}}:partners`,
    bidders: (auction) => `${p}reco:auction:{${auction}}:bidders`,
  };
}

// ---- pricing (storage/pricing/redis-cache.ts) ---------------------------------------------------------
//
//   {prefix}price:{<hash>}   string  the market price (JSON) for a normalised product name, expiring with
//                            the cache's time to live; <hash> is the name's SHA-256 (hex): names hold any text

export function priceCacheKey(prefix: string, nameHash: string): string {
  return `${redisKeys(prefix).prefix}price:{${nameHash}}`;
}

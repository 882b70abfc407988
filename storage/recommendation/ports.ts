// Recommendation ports (SPEC §8), in marketplace terms: a group's taste in tags, auctions bid on by the
// same people, and what is popular now. Scores are decayed by the rules of engine/recommendation; no
// adapter's keys, commands or epochs show through. Adapters: memory (./memory.ts), Redis (./redis.ts).
import type { AuctionId, Millis, UserId } from '../../engine/index.ts';
import type { AuctionScore, GroupKey, TagScore } from '../../engine/recommendation/index.ts';
import type { Lifecycle } from '../auction/ports.ts';

/** A wish or a bid by a member of `group` on an auction with these tags. */
export interface TagSignal {
  group: GroupKey;
  tags: readonly string[];
  /** SIGNAL_WEIGHTS: wish 1, bid 2. */
  weight: number;
  at: Millis;
  /**
   * The journal position of the event it comes from, when it comes from the journal. Each score set
   * keeps the highest position it applied, atomically with the scores: a signal at or below it is a
   * replay and changes nothing. Signals of one set must come in position order. Absent: always applied.
   */
  position?: number;
}

/** Each group's decayed tag scores. */
export interface GroupTagScores {
  /** Add each signal's weight to each of its tags in its group, as given at its time. */
  add(signals: readonly TagSignal[]): Promise<void>;
  /** The group's `limit` best tags with their worth at `now`, best first; [] for a group with none. */
  top(group: GroupKey, now: Millis, limit: number): Promise<TagScore[]>;
}

/** That `user` bid on `auction` (the first bid counts; later ones change nothing). */
export interface CoBid {
  user: UserId;
  auction: AuctionId;
  at: Millis;
}

export interface SimilarAuction extends AuctionScore {
  /** Bidders on both auctions. `score` is their cosine (engine/recommendation/similarity.ts), in [0, 1]. */
  common: number;
}

/** Bidders in common between auctions. */
export interface CoBids {
  /** Record each bid, in order. A pair (user, auction) already recorded is a no-op (redelivery-safe). */
  record(bids: readonly CoBid[]): Promise<void>;
  /** Auctions that bidders on `auction` also bid on, by normalised score, best first; never `auction`. */
  similar(auction: AuctionId, limit: number): Promise<SimilarAuction[]>;
  /** Distinct bidders recorded on each auction; 0 for one with none. */
  bidders(auctions: readonly AuctionId[]): Promise<Map<AuctionId, number>>;
}

/** A wish or a bid on an auction. */
export interface AuctionSignal {
  auction: AuctionId;
  weight: number;
  at: Millis;
  /** As TagSignal.position. */
  position?: number;
}

/** Where the journal's consumer resumes: an optimisation only, the score sets dedupe by position. */
export interface ConsumerCursor {
  /** The last position saved; 0 before any. */
  read(): Promise<number>;
  /** Never moves back: a lower position than the one saved is ignored. */
  save(position: number): Promise<void>;
}

/** Decayed popularity of auctions, for callers with no group or no history. */
export interface AuctionPopularity {
  add(signals: readonly AuctionSignal[]): Promise<void>;
  /** The `limit` most popular auctions with their worth at `now`, best first. */
  top(now: Millis, limit: number): Promise<AuctionScore[]>;
  /** Drop auctions that can no longer be recommended (closed, canceled). */
  forget(auctions: readonly AuctionId[]): Promise<void>;
}

/** The three stores over one backend; closing it closes them all. */
export interface RecommendationStores extends Lifecycle {
  tags: GroupTagScores;
  cobids: CoBids;
  popularity: AuctionPopularity;
  cursor: ConsumerCursor;
}

/** How long and how much the stores keep. Every field has a default (./options.ts). */
export interface RecommendationOptions {
  /** Half-life of tag and popularity scores, in ms. Default 7 days. */
  halfLifeMs?: number;
  /** Tags kept per group (the least worth are trimmed). Default 2,000. */
  maxTagsPerGroup?: number;
  /** Auctions kept in the popularity ranking. Default 20,000. */
  maxPopular?: number;
  /** Auctions a user's bids are remembered for co-bids (most recent first). Default 100. */
  bidsPerUser?: number;
  /** Co-bid partners kept per auction (fewest in common trimmed). Default 500. */
  partnersPerAuction?: number;
  /** A key untouched this long expires (Redis); the memory stores bound their size instead. Default 30 days. */
  ttlMs?: number;
}

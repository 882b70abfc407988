// What transports and other domains may ask of auctions: commands answered once durable, reads of
// what is durable, and the feed of durable commits. The composition root hands the auction service in
// under these interfaces; nobody reaches into its registry (which holds only this process's actors:
// SPEC §9 lets several nodes share the auctions, and these calls are where that stays hidden).
import type { AuctionEvent, AuctionId, AuctionSpec, AuctionStatus, Command, Notice, Reply, UserId } from './model.ts';
import type { BidderBest } from './best-bids.ts';
import type { AuctionView } from './views.ts';
import type { ErrorCode } from '../errors.ts';

export type ReplyCallback = (reply: Reply) => void;

/** A durable batch: its events in order, the notices they made, and each touched auction's view and spec. */
export interface CommittedBatch {
  events: readonly AuctionEvent[];
  notices: readonly Notice[];
  /** The public view of each auction the batch touched, as of the batch (never ahead of the journal). */
  views: ReadonlyMap<AuctionId, AuctionView>;
  /** The spec of each auction the batch touched. */
  specs: ReadonlyMap<AuctionId, AuctionSpec>;
}

export type CommitObserver = (batch: CommittedBatch) => void;

/** Commands to auctions; each reply comes once its outcome is durable (or says why not). */
export interface AuctionCommands {
  submit(cmd: Command, cb: ReplyCallback): void;
  /** Create a PENDING auction from a seller's spec (validated by the engine). */
  create(spec: unknown, by: UserId, rid: string, cb: ReplyCallback): void;
}

/**
 * Asked before a bid or buy-now reaches an auction, on the socket and over HTTP alike: a code refuses it
 * (SPEC §5's BIDDING_SUSPENDED), null lets it through. Synchronous: it sits on every bid's path, so it
 * answers from memory.
 */
export interface BidGate {
  refusal(user: UserId): ErrorCode | null;
}

/** A live (PENDING or OPEN) auction a user takes part in: what withdrawal and orders need to know. */
export interface LiveInvolvement {
  id: AuctionId;
  status: AuctionStatus;
  sellerId: UserId;
  leader: UserId | null;
  bidCount: number;
}

/** A bidder's best offer on an auction: their ceiling, disclosed only to them (second-chance offers). */
export type { BidderBest as BestBid } from './best-bids.ts';

export interface AuctionQueries {
  /** The last durable public view; null when no such auction; rejects STORE_UNAVAILABLE when the store cannot tell. */
  lookup(id: AuctionId): Promise<AuctionView | null>;
  /** The spec of an auction; null when unknown. */
  spec(id: AuctionId): Promise<AuctionSpec | null>;
  /** Ids of every PENDING or OPEN auction. */
  live(): Promise<AuctionId[]>;
  /** PENDING and OPEN auctions the user sells or leads. */
  involving(user: UserId): Promise<LiveInvolvement[]>;
  /** An auction's journal after seq `after`, in seq order, at most `limit` events. */
  history(id: AuctionId, after: number, limit: number): Promise<AuctionEvent[]>;
  /** Each bidder's highest ceiling on a closed auction, best first (ties: the earlier). */
  bestBids(id: AuctionId): Promise<BidderBest[]>;
}

/** Durable commits of this process, in commit order: projections behind the journal subscribe. */
export interface AuctionFeed {
  onCommit(observer: CommitObserver): void;
}

/** A command's reply as a promise. */
export function replyTo(commands: AuctionCommands, cmd: Command): Promise<Reply> {
  return new Promise((resolve) => commands.submit(cmd, resolve));
}

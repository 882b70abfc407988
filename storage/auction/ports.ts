// Storage ports, in auction terms. Adapters speak the technology (knex, ioredis, memory); nothing
// outside storage/ sees a connection, a transaction or a key.
import type { AuctionEvent, AuctionId, AuctionState, AuctionStatus, AuctionView, Millis, Reply, ReplyFingerprint, UserId, Won } from '../../engine/index.ts';

export type { AuctionView };

/** The first reply to a command, kept so that a retry with the same (by, rid) gets it back. */
export interface StoredReply {
  by: UserId;
  rid: string;
  /** The auction the command named, for operators reading the table; null when it named none. */
  auction: AuctionId | null;
  reply: Reply;
  at: Millis;
}

/**
 * An accepted reply the in-memory table dropped before its 24 hours ran out, stored under the table's
 * fingerprint of (user, rid) (engine replyFingerprint): the journal row it came from is found only
 * through its auction, and a repeat may name any auction.
 */
export interface SpilledReply {
  fp: ReplyFingerprint;
  /** Accepted; its rid is the asker's when it is found. */
  reply: Reply;
  /** Kept at least 24 hours from this. */
  at: Millis;
}

/** Names a command for idempotency lookups. */
export interface ReplyKey {
  by: UserId;
  rid: string;
  /**
   * The auction the command named. An accepted reply is kept with its event (see storage/replies.ts),
   * so the store finds it through this auction, or by fingerprint once it has been spilled; a key
   * with null here finds only replies kept on their own (refusals, and commands with no event) and
   * spilled ones.
   */
  auction: AuctionId | null;
}

/** What one group commit writes, atomically. */
export interface JournalBatch {
  /** Accepted events of many auctions; for each auction in seq order with no gaps. */
  events: AuctionEvent[];
  /**
   * The replies to every command in the batch (accepted or rejected by a rule). An accepted reply
   * that its event in this batch reproduces is kept as that journal row, not a second record.
   */
  replies: StoredReply[];
}

/** A journal event with its position: the journal's order across auctions (see storage/positions.ts). */
export interface PositionedEvent {
  pos: number;
  event: AuctionEvent;
}

/** The durable log of every accepted auction event: the source of truth. */
export interface BidJournal {
  /**
   * Write the batch in one transaction: events (each with the next journal position, in batch order),
   * replies, and each touched auction's summary row. Resolves only once durable. Rejects with
   * StoreUnavailableError when the store cannot take it; then nothing of the batch is stored. A
   * duplicate (auction, seq) rejects the whole batch.
   */
  append(batch: JournalBatch): Promise<void>;
  /**
   * At most `limit` events with a position above `position`, in position order: the journal read
   * across auctions, which is the outbox. Positions may have gaps (a failed append burns its range),
   * but this never returns a position while a smaller one may still commit (an append in flight), so
   * a reader that resumes after the last position it saw never misses an event.
   */
  after(position: number, limit: number): Promise<PositionedEvent[]>;
  /** One auction's events with seq > afterSeq, in seq order; at most `limit` of them when given (paging). */
  read(auction: AuctionId, afterSeq?: number, limit?: number): Promise<AuctionEvent[]>;
  /** Ids of auctions whose last event leaves them PENDING or OPEN: the ones recovery must rebuild. */
  live(): Promise<AuctionId[]>;
  /** For each id, its events with seq > after.get(id) (0 when absent), grouped, in seq order. */
  tails(after: ReadonlyMap<AuctionId, number>): Promise<Map<AuctionId, AuctionEvent[]>>;
  /** The summary row of one auction (written with its lifecycle events), or null. */
  summary(auction: AuctionId): Promise<AuctionSummary | null>;
}

/**
 * One auction's facts as of its last lifecycle event (created, edited, opened, bought, closed,
 * canceled), written in the same transaction: what recovery's live() and listings by state need, and
 * the final price once it ends. Bids do not touch it: a row per auction per group commit cost the
 * journal a tenth of its throughput and most of its latency on MySQL. Live figures come from the actor,
 * the board and snapshots.
 */
export interface AuctionSummary {
  id: AuctionId;
  sellerId: UserId;
  productId: string;
  status: AuctionStatus;
  /** The event the row reflects: the auction's last event in the batch that held its last lifecycle event. */
  seq: number;
  price: Won;
  endsAt: Millis;
  updatedAt: Millis;
}

/** Durable idempotency records (written by BidJournal.append in the same transaction). */
export interface IdempotencyStore {
  /** The first reply to `key` recorded at or after `since`, or null. */
  find(key: ReplyKey, since: Millis): Promise<Reply | null>;
  /**
   * The records among `keys` recorded at or after `since` (one round trip for a whole turn's commands);
   * a spilled one comes back with the key's rid and a null auction.
   */
  findMany(keys: readonly ReplyKey[], since: Millis): Promise<StoredReply[]>;
  /** Keep accepted replies evicted from memory, by fingerprint (refusals are ignored); a stored fingerprint keeps its first. */
  spill(replies: readonly SpilledReply[]): Promise<void>;
  /** Every record at or after `since`, those kept with events included, oldest first: warms the in-memory cache at start. */
  since(since: Millis): Promise<StoredReply[]>;
  /**
   * Hand every record at or after `since` to `each`, one at a time (nothing is gathered: recovery warms
   * the in-memory cache with a day of them); returns how many. Refusals first, then journal rows, each
   * oldest first.
   */
  replay(since: Millis, each: (r: StoredReply) => void): Promise<number>;
  /**
   * Delete records kept on their own and spilled ones older than `before` (journal rows stay); returns
   * how many. (since and replay leave spilled ones out: they repeat journal rows.)
   */
  purge(before: Millis): Promise<number>;
}

/** Whole actor states at a seq, so recovery replays only the journal tail after them. */
export interface SnapshotStore {
  /** Keep these states; a state never replaces a newer one (higher seq) of the same auction. */
  put(states: readonly AuctionState[]): Promise<void>;
  get(ids: readonly AuctionId[]): Promise<Map<AuctionId, AuctionState>>;
}

/** Live views of auctions for readers on any node; written behind the journal, never ahead of it. */
export interface AuctionBoard {
  /** Publish views; a view never replaces a newer one (higher seq) of the same auction. */
  put(views: readonly AuctionView[]): Promise<void>;
  get(ids: readonly AuctionId[]): Promise<Map<AuctionId, AuctionView>>;
}

/** Every adapter can be probed and closed. */
export interface Lifecycle {
  /** Resolves when the backing server answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export { StoreUnavailableError, WriteConflictError } from '../errors.ts';

/** A batch that conflicts with what is stored (a duplicate auction+seq): the caller's state is stale. */
export class JournalConflictError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'JournalConflictError';
  }
}

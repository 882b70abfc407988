// The auction domain's model (SPEC §1). Plain data only: the journal, the snapshots and the
// socket protocol all carry these shapes, so they stay JSON- and MessagePack-friendly.
import type { ErrorCode } from '../errors.ts';
import type { Clock, Millis, UserId, Won } from '../kernel.ts';

export type { Clock, Millis, UserId, Won };

export type AuctionId = string;

export const STATUSES = ['PENDING', 'OPEN', 'SOLD', 'UNSOLD', 'CANCELED'] as const;
export type AuctionStatus = (typeof STATUSES)[number];

export interface SoftClose {
  /** A bid accepted with less than this left before endsAt extends the auction. */
  windowMs: number;
  /** How far endsAt moves on each extension. */
  extendMs: number;
  /** At most this many extensions; null means unlimited. */
  maxExtensions: number | null;
}

/** What a seller sets; editable while PENDING. */
export interface AuctionSpec {
  id: AuctionId;
  sellerId: UserId;
  productId: string;
  startPrice: Won;
  /** Minimum raise; null applies the default increment table by price band. */
  bidUnit: Won | null;
  buyNowPrice: Won | null;
  /** Hidden: watchers only ever learn `reserveMet`. */
  reservePrice: Won | null;
  startsAt: Millis;
  endsAt: Millis;
  softClose: SoftClose;
}

/** The whole state of one auction; rebuilt exactly by replaying its events in seq order. */
export interface AuctionState {
  spec: AuctionSpec;
  status: AuctionStatus;
  /** seq of the last applied event; 0 before the `created` event. */
  seq: number;
  /** Standing price; equals startPrice until the first bid. */
  price: Won;
  leader: UserId | null;
  /** The leader's ceiling. Secret: disclosed to its owner only. */
  leaderMax: Won;
  bidCount: number;
  extensions: number;
  /** Current end, moved by soft-close extensions. */
  endsAt: Millis;
  winner: UserId | null;
  closedAt: Millis | null;
  /** Everyone who placed an accepted bid, in order of their first bid (for won/lost notices). */
  participants: Set<UserId>;
}

export type EventType = 'created' | 'edited' | 'opened' | 'bid' | 'bought' | 'closed' | 'canceled';

/**
 * One accepted change. Flat, and carrying the state after it (price, leader, ceiling, end, status),
 * so a journal row is this object and replay only assigns, never re-decides.
 */
export interface AuctionEvent {
  auction: AuctionId;
  seq: number;
  type: EventType;
  at: Millis;
  /** Who caused it: bidder, buyer, seller or operator; null for the system's close. */
  by: UserId | null;
  rid: string | null;
  /** The bid's amount and ceiling as given (bid events only). */
  amount: Won | null;
  max: Won | null;
  price: Won;
  leader: UserId | null;
  leaderMax: Won;
  endsAt: Millis;
  status: AuctionStatus;
  /** created and edited only. */
  spec?: AuctionSpec;
}

export type Role = 'user' | 'operator' | 'system';

interface CommandBase {
  auction: AuctionId;
  /** Client request id, 1 to 64 characters; (by, rid) is idempotent for 24 hours. */
  rid: string;
  by: UserId;
}

export interface BidCommand extends CommandBase { t: 'bid'; amount: unknown; max?: unknown }
export interface BuyCommand extends CommandBase { t: 'buy' }
export interface OpenCommand extends CommandBase { t: 'open'; role: Role }
export interface CancelCommand extends CommandBase { t: 'cancel'; role: Role }
export interface EditCommand extends CommandBase { t: 'edit'; spec: AuctionSpec }
/** Issued by the close scheduler; not cached for idempotency (it is naturally idempotent). */
export interface CloseCommand { t: 'close'; auction: AuctionId; rid?: string; by?: UserId }

export type Command = BidCommand | BuyCommand | OpenCommand | CancelCommand | EditCommand | CloseCommand;

export interface Accepted {
  ok: true;
  rid: string;
  seq: number;
  price: Won;
  leading: boolean;
  endsAt: Millis;
  status: AuctionStatus;
}

export interface Rejected {
  ok: false;
  rid: string;
  code: ErrorCode;
  message: string;
  minNext?: Won;
  price?: Won;
}

export type Reply = Accepted | Rejected;

export type NoticeKind = 'outbid' | 'won' | 'lost' | 'extended' | 'canceled';

/** A personal message for one user, sent on every socket they hold. */
export interface Notice {
  to: UserId;
  kind: NoticeKind;
  auction: AuctionId;
  seq: number;
  price: Won;
  endsAt: Millis;
  minNext?: Won;
}

/** What one command produced: the reply, the event (if it was accepted) and who to tell. */
export interface Outcome {
  reply: Reply;
  event: AuctionEvent | null;
  notices: readonly Notice[];
  /** True when the reply came from the idempotency cache and nothing was applied. */
  replayed: boolean;
}

/** Injected by the runtime: where the engine asks for an auction to be closed at a time. */
export interface CloseTimer {
  schedule(auction: AuctionId, at: Millis): void;
  cancel(auction: AuctionId): void;
}

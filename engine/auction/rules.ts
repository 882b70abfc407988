// The auction rules of SPEC §1 as pure functions: decide(state, command, now) says what happens,
// evolve(state, event) applies it. Live bidding and replay share evolve, so they cannot drift apart.
import { ERRORS, type ErrorCode } from '../errors.ts';
import { defaultIncrement, isAmount } from '../money.ts';
import type {
  AuctionEvent, AuctionSpec, AuctionState, BidCommand, CancelCommand, Command, EditCommand, EventType,
  Accepted, Millis, Notice, NoticeKind, OpenCommand, Reply, UserId, Won,
} from './model.ts';

/** What a command does; shaped as an Outcome so the hot path allocates one object, not two. */
export interface Decision {
  reply: Reply;
  event: AuctionEvent | null;
  notices: readonly Notice[];
  replayed: false;
}

export const NO_NOTICES: readonly Notice[] = Object.freeze([]);

export function bidUnitAt(spec: AuctionSpec, price: Won): Won {
  return spec.bidUnit ?? defaultIncrement(price);
}

/** The lowest amount the next bid may have. */
export function minNext(s: AuctionState): Won {
  return s.leader === null ? s.spec.startPrice : s.price + bidUnitAt(s.spec, s.price);
}

export function reserveMet(s: AuctionState): boolean {
  const reserve = s.spec.reservePrice;
  return reserve === null || (s.leader !== null && s.price >= reserve);
}

export function isOpenAt(s: AuctionState, now: Millis): boolean {
  return s.status === 'OPEN' && now >= s.spec.startsAt && now < s.endsAt;
}

/** 1 to 64 characters, counted as code points (an emoji is one character, two UTF-16 units). */
export function validRid(rid: unknown): rid is string {
  if (typeof rid !== 'string' || rid.length === 0) return false;
  if (rid.length <= 64) return true;
  if (rid.length > 128) return false;
  let n = 0;
  for (const _ of rid) n++;
  return n <= 64;
}

const ID_MAX = 64;
/** An id of 1 to 64 UTF-16 units: what an auction, seller or product id may be. */
export function validId(v: unknown): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= ID_MAX;
}
function validMillis(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Why a spec is invalid, or null when it is valid. Checks types too: specs arrive from the wire. */
export function specProblem(spec: unknown): string | null {
  if (typeof spec !== 'object' || spec === null) return 'spec must be an object';
  const s = spec as Record<string, unknown>;
  if (!validId(s.id)) return 'id must be a string of 1 to 64 characters';
  if (!validId(s.sellerId)) return 'sellerId must be a string of 1 to 64 characters';
  if (!validId(s.productId)) return 'productId must be a string of 1 to 64 characters';
  if (!isAmount(s.startPrice)) return 'startPrice must be whole won from 1 to 10^12';
  if (s.bidUnit !== null && !isAmount(s.bidUnit)) return 'bidUnit must be null or whole won from 1 to 10^12';
  if (s.buyNowPrice !== null && !(isAmount(s.buyNowPrice) && s.buyNowPrice > s.startPrice)) {
    return 'buyNowPrice must be null or greater than startPrice';
  }
  if (s.reservePrice !== null) {
    if (!(isAmount(s.reservePrice) && s.reservePrice >= s.startPrice)) return 'reservePrice must be null or at least startPrice';
    if (s.buyNowPrice !== null && s.reservePrice > (s.buyNowPrice as number)) return 'reservePrice must not exceed buyNowPrice';
  }
  if (!validMillis(s.startsAt) || !validMillis(s.endsAt)) return 'startsAt and endsAt must be epoch milliseconds';
  if (s.endsAt <= s.startsAt) return 'endsAt must be after startsAt';
  const sc = s.softClose as Record<string, unknown> | null;
  if (typeof sc !== 'object' || sc === null) return 'softClose must be an object';
  if (!validMillis(sc.windowMs) || !validMillis(sc.extendMs)) return 'softClose windowMs and extendMs must be non-negative integers';
  if (sc.maxExtensions !== null && !(Number.isSafeInteger(sc.maxExtensions) && (sc.maxExtensions as number) >= 0)) {
    return 'softClose.maxExtensions must be null (unlimited) or a non-negative integer';
  }
  return null;
}

/**
 * A copy of a spec specProblem accepted, with exactly its known members: whatever else it carried (an
 * extra member anywhere, however large or deep) is left behind, never journaled or kept in a state.
 */
export function cleanSpec(s: AuctionSpec): AuctionSpec {
  const sc = s.softClose;
  return {
    id: s.id, sellerId: s.sellerId, productId: s.productId, startPrice: s.startPrice, bidUnit: s.bidUnit,
    buyNowPrice: s.buyNowPrice, reservePrice: s.reservePrice, startsAt: s.startsAt, endsAt: s.endsAt,
    softClose: { windowMs: sc.windowMs, extendMs: sc.extendMs, maxExtensions: sc.maxExtensions },
  };
}

/**
 * Why a spec cannot be created or edited at `now`, or null. Beyond specProblem: the end must be in the
 * future, since a PENDING auction whose end has passed can never open (nor close) and would be rebuilt
 * at every start for nothing. (startsAt may be past: opening late is fine.)
 */
export function specProblemAt(spec: unknown, now: Millis): string | null {
  const p = specProblem(spec);
  if (p !== null) return p;
  return (spec as AuctionSpec).endsAt <= now ? 'endsAt must be in the future' : null;
}

// ---- replies and events -------------------------------------------------------------------------

export function reject(rid: string, code: ErrorCode, extra?: { minNext?: Won; price?: Won }): Reply {
  const r: Reply = { ok: false, rid, code, message: ERRORS[code].message };
  if (extra?.minNext !== undefined) r.minNext = extra.minNext;
  if (extra?.price !== undefined) r.price = extra.price;
  return r;
}

/** The reply to the command that produced `e`: a pure function of the event, so the journal row is its record. */
export function acceptedReply(rid: string, e: Pick<AuctionEvent, 'seq' | 'price' | 'leader' | 'endsAt' | 'status'>, by: UserId | null): Accepted {
  return { ok: true, rid, seq: e.seq, price: e.price, leading: by !== null && e.leader === by, endsAt: e.endsAt, status: e.status };
}

function eventFrom(s: AuctionState, type: EventType, at: Millis, by: UserId | null, rid: string | null): AuctionEvent {
  return {
    auction: s.spec.id, seq: s.seq + 1, type, at, by, rid, amount: null, max: null,
    price: s.price, leader: s.leader, leaderMax: s.leaderMax, endsAt: s.endsAt, status: s.status,
  };
}

function notice(to: UserId, kind: NoticeKind, e: AuctionEvent, minNextAfter?: Won): Notice {
  const n: Notice = { to, kind, auction: e.auction, seq: e.seq, price: e.price, endsAt: e.endsAt };
  if (minNextAfter !== undefined) n.minNext = minNextAfter;
  return n;
}

// ---- evolve ---------------------------------------------------------------------------------------

/** The state a `created` event starts from. */
export function createdEvent(spec: AuctionSpec, by: UserId, rid: string, at: Millis): AuctionEvent {
  return {
    auction: spec.id, seq: 1, type: 'created', at, by, rid, amount: null, max: null,
    price: spec.startPrice, leader: null, leaderMax: 0, endsAt: spec.endsAt, status: 'PENDING', spec,
  };
}

export function initialState(e: AuctionEvent): AuctionState {
  if (e.type !== 'created' || !e.spec) throw new Error(`an auction's first event must be created, got ${e.type}`);
  return {
    spec: e.spec, status: e.status, seq: e.seq, price: e.price, leader: null, leaderMax: 0, bidCount: 0,
    extensions: 0, endsAt: e.endsAt, winner: null, closedAt: null, participants: new Set(),
  };
}

/** Apply one accepted event in place. The only function that changes an auction's state. */
export function evolve(s: AuctionState, e: AuctionEvent): void {
  if (e.seq !== s.seq + 1) throw new Error(`event seq ${e.seq} does not follow ${s.seq} on auction ${s.spec.id}`);
  switch (e.type) {
    case 'created':
      throw new Error('created can only start an auction');
    case 'edited':
      s.spec = e.spec as AuctionSpec;
      break;
    case 'bid':
      if (e.endsAt !== s.endsAt) s.extensions++;
      s.bidCount++;
      if (e.by !== null) s.participants.add(e.by);
      break;
    case 'bought':
    case 'closed':
      s.winner = e.status === 'SOLD' ? e.leader : null;
      s.closedAt = e.at;
      break;
    case 'canceled':
      s.closedAt = e.at;
      break;
    case 'opened':
      break;
  }
  s.seq = e.seq;
  s.status = e.status;
  s.price = e.price;
  s.leader = e.leader;
  s.leaderMax = e.leaderMax;
  s.endsAt = e.endsAt;
}

/** Rebuild an auction's state from its whole event log. */
export function replay(events: readonly AuctionEvent[]): AuctionState {
  if (events.length === 0) throw new Error('cannot replay an empty log');
  const s = initialState(events[0]);
  for (let i = 1; i < events.length; i++) evolve(s, events[i]);
  return s;
}

export function cloneState(s: AuctionState): AuctionState {
  return { ...s, participants: new Set(s.participants) };
}

// ---- decide ---------------------------------------------------------------------------------------

/** Check 1 of SPEC §1: the auction takes bids now. */
function windowProblem(s: AuctionState, now: Millis): ErrorCode | null {
  if (s.status === 'PENDING') return 'AUCTION_NOT_STARTED';
  if (s.status !== 'OPEN' || now >= s.endsAt) return 'AUCTION_CLOSED';
  if (now < s.spec.startsAt) return 'AUCTION_NOT_STARTED';
  return null;
}

function decideBid(s: AuctionState, c: BidCommand, now: Millis): Decision {
  const shut = windowProblem(s, now);
  if (shut) return rejected(c.rid, shut);
  if (c.by === s.spec.sellerId) return rejected(c.rid, 'SELF_BID');
  const amount = c.amount;
  const m = c.max === undefined || c.max === null ? amount : c.max;
  if (!isAmount(amount) || !isAmount(m) || m < amount) return rejected(c.rid, 'INVALID_AMOUNT');

  const buyNow = s.spec.buyNowPrice;
  if (buyNow !== null && amount >= buyNow && s.price < buyNow) return buyOut(s, c.by, c.rid, now);

  const floor = minNext(s);
  if (amount < floor) return { reply: reject(c.rid, 'BID_TOO_LOW', { minNext: floor, price: s.price }), event: null, notices: NO_NOTICES, replayed: false };

  const prevLeader = s.leader;
  let leader = s.leader;
  let leaderMax = s.leaderMax;
  let price: Won;
  if (c.by === leader) {
    leaderMax = Math.max(leaderMax, m);
    price = Math.max(s.price, amount);
  } else if (leader === null) {
    leader = c.by;
    price = amount;
    leaderMax = m;
  } else if (m > leaderMax) {
    // The raise over the beaten ceiling is the increment at that ceiling's level, as eBay does.
    price = Math.max(amount, Math.min(m, leaderMax + bidUnitAt(s.spec, leaderMax)));
    leader = c.by;
    leaderMax = m;
  } else {
    // Outbid at once by the standing ceiling; equal ceilings keep the earlier one.
    price = Math.min(leaderMax, m + bidUnitAt(s.spec, m));
  }
  const reserve = s.spec.reservePrice;
  if (reserve !== null && price < reserve && leaderMax >= reserve) price = reserve;

  let endsAt = s.endsAt;
  const sc = s.spec.softClose;
  const extended = endsAt - now < sc.windowMs && (sc.maxExtensions === null || s.extensions < sc.maxExtensions);
  if (extended) endsAt += sc.extendMs;

  const e = eventFrom(s, 'bid', now, c.by, c.rid);
  e.amount = amount;
  e.max = c.max === undefined || c.max === null ? null : m;
  e.price = price;
  e.leader = leader;
  e.leaderMax = leaderMax;
  e.endsAt = endsAt;

  let notices: Notice[] | readonly Notice[] = NO_NOTICES;
  if (prevLeader !== null && prevLeader !== leader) {
    const next = price + bidUnitAt(s.spec, price);
    notices = [notice(prevLeader, 'outbid', e, next)];
  }
  if (extended && e.endsAt !== s.endsAt) {
    const list = notices === NO_NOTICES ? [] : (notices as Notice[]);
    for (const p of s.participants) list.push(notice(p, 'extended', e));
    if (!s.participants.has(c.by)) list.push(notice(c.by, 'extended', e));
    notices = list;
  }
  return { reply: acceptedReply(c.rid, e, c.by), event: e, notices, replayed: false };
}

function buyOut(s: AuctionState, buyer: UserId, rid: string, now: Millis): Decision {
  const e = eventFrom(s, 'bought', now, buyer, rid);
  e.price = s.spec.buyNowPrice as Won;
  e.leader = buyer;
  e.leaderMax = e.price; // the buyer committed to exactly this much: the ceiling never trails the price
  e.status = 'SOLD';
  return { reply: acceptedReply(rid, e, buyer), event: e, notices: endNotices(s, e, buyer), replayed: false };
}

/** won to the winner, lost to every other participant. */
function endNotices(s: AuctionState, e: AuctionEvent, winner: UserId | null): Notice[] {
  const list: Notice[] = [];
  if (winner !== null) list.push(notice(winner, 'won', e));
  for (const p of s.participants) if (p !== winner) list.push(notice(p, 'lost', e));
  return list;
}

function decideBuy(s: AuctionState, c: { rid: string; by: UserId }, now: Millis): Decision {
  const shut = windowProblem(s, now);
  if (shut) return rejected(c.rid, shut);
  if (c.by === s.spec.sellerId) return rejected(c.rid, 'SELF_BID');
  const buyNow = s.spec.buyNowPrice;
  if (buyNow === null || s.price >= buyNow) return { reply: reject(c.rid, 'BUY_NOW_UNAVAILABLE', { price: s.price }), event: null, notices: NO_NOTICES, replayed: false };
  return buyOut(s, c.by, c.rid, now);
}

function decideOpen(s: AuctionState, c: OpenCommand, now: Millis): Decision {
  if (c.by !== s.spec.sellerId && c.role === 'user') return rejected(c.rid, 'NOT_SELLER');
  if (s.status !== 'PENDING') return rejected(c.rid, 'INVALID_TRANSITION');
  if (s.endsAt <= now) return rejected(c.rid, 'INVALID_AUCTION');
  const e = eventFrom(s, 'opened', now, c.by, c.rid);
  e.status = 'OPEN';
  return { reply: acceptedReply(c.rid, e, c.by), event: e, notices: NO_NOTICES, replayed: false };
}

function decideCancel(s: AuctionState, c: CancelCommand, now: Millis): Decision {
  const privileged = c.role !== 'user';
  if (!privileged && c.by !== s.spec.sellerId) return rejected(c.rid, 'NOT_SELLER');
  if (s.status !== 'PENDING' && s.status !== 'OPEN') return rejected(c.rid, 'INVALID_TRANSITION');
  // Past its end an auction's outcome is settled; only an operator may still cancel it.
  if (!privileged && s.status === 'OPEN' && now >= s.endsAt) return rejected(c.rid, 'AUCTION_CLOSED');
  if (!privileged && s.bidCount > 0) return rejected(c.rid, 'CANCEL_NOT_ALLOWED');
  const e = eventFrom(s, 'canceled', now, c.by, c.rid);
  e.status = 'CANCELED';
  const notices = [...s.participants].map((p) => notice(p, 'canceled', e));
  return { reply: acceptedReply(c.rid, e, c.by), event: e, notices, replayed: false };
}

function decideEdit(s: AuctionState, c: EditCommand, now: Millis): Decision {
  if (c.by !== s.spec.sellerId) return rejected(c.rid, 'NOT_SELLER');
  if (s.status !== 'PENDING') return rejected(c.rid, 'INVALID_TRANSITION');
  if (specProblemAt(c.spec, now) !== null || c.spec.id !== s.spec.id || c.spec.sellerId !== s.spec.sellerId) {
    return rejected(c.rid, 'INVALID_AUCTION');
  }
  const e = eventFrom(s, 'edited', now, c.by, c.rid);
  e.spec = cleanSpec(c.spec);
  e.price = e.spec.startPrice;
  e.endsAt = e.spec.endsAt;
  return { reply: acceptedReply(c.rid, e, c.by), event: e, notices: NO_NOTICES, replayed: false };
}

function decideClose(s: AuctionState, rid: string, now: Millis): Decision {
  if (s.status !== 'OPEN') return rejected(rid, 'AUCTION_CLOSED');
  if (now < s.endsAt) return { reply: reject(rid, 'AUCTION_NOT_ENDED'), event: null, notices: NO_NOTICES, replayed: false };
  const sold = s.leader !== null && reserveMet(s);
  const e = eventFrom(s, 'closed', now, null, null);
  e.status = sold ? 'SOLD' : 'UNSOLD';
  return { reply: acceptedReply(rid, e, null), event: e, notices: endNotices(s, e, sold ? s.leader : null), replayed: false };
}

function rejected(rid: string, code: ErrorCode): Decision {
  return { reply: reject(rid, code), event: null, notices: NO_NOTICES, replayed: false };
}

/** Decide what a command does to an auction at `now`. Pure: the caller applies the event with evolve. */
export function decide(s: AuctionState, c: Command, now: Millis): Decision {
  switch (c.t) {
    case 'bid': return decideBid(s, c, now);
    case 'buy': return decideBuy(s, c, now);
    case 'open': return decideOpen(s, c, now);
    case 'cancel': return decideCancel(s, c, now);
    case 'edit': return decideEdit(s, c, now);
    case 'close': return decideClose(s, c.rid ?? 'close', now);
  }
}

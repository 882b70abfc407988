// Plain auction data for storage tests: consistent event chains, replies, states and views, each in a
// namespace of its own (`auction-${uuid}`) so tests sharing a store never see each other's rows.
import { randomUUID } from 'node:crypto';
import type { AuctionEvent, AuctionSpec, AuctionState, AuctionStatus, Reply, UserId } from '../../engine/index.ts';
import type { AuctionView, StoredReply } from '../../storage/auction/ports.ts';

export const T0 = 1_700_000_000_000;

export const newAuctionId = (): string => `auction-${randomUUID()}`;
export const newUserId = (tag = 'u'): string => `${tag}-${randomUUID().slice(0, 13)}`;

export function specOf(id: string, over: Partial<AuctionSpec> = {}): AuctionSpec {
  return {
    id,
    sellerId: `seller-${id.slice(8, 20)}`,
    productId: `product-${id.slice(8, 20)}`,
    startPrice: 10_000,
    bidUnit: 1_000,
    buyNowPrice: 1_000_000_000_000, // 10^12: the largest amount
    reservePrice: null,
    startsAt: T0,
    endsAt: T0 + 86_400_000,
    softClose: { windowMs: 60_000, extendMs: 180_000, maxExtensions: null },
    ...over,
  };
}

/** Builds one auction's events in seq order, each carrying the state after it. */
export class Chain {
  readonly events: AuctionEvent[] = [];
  spec: AuctionSpec;
  private price: number;
  private leader: UserId | null = null;
  private leaderMax = 0;
  private endsAt: number;
  private status: AuctionStatus = 'PENDING';
  private at: number;
  private rids = 0;

  constructor(
    readonly id: string = newAuctionId(),
    over: Partial<AuctionSpec> = {},
    at = T0,
  ) {
    this.spec = specOf(id, over);
    this.price = this.spec.startPrice;
    this.endsAt = this.spec.endsAt;
    this.at = at;
  }

  get seq(): number {
    return this.events.length;
  }

  private push(e: Omit<AuctionEvent, 'auction' | 'seq' | 'at' | 'price' | 'leader' | 'leaderMax' | 'endsAt' | 'status'>): AuctionEvent {
    const event: AuctionEvent = {
      auction: this.id, seq: this.seq + 1, at: ++this.at, price: this.price, leader: this.leader,
      leaderMax: this.leaderMax, endsAt: this.endsAt, status: this.status, ...e,
    };
    this.events.push(event);
    return event;
  }

  private rid(): string {
    return `rid-${++this.rids}-${this.id.slice(8, 16)}`;
  }

  created(): AuctionEvent {
    return this.push({ type: 'created', by: this.spec.sellerId, rid: this.rid(), amount: null, max: null, spec: this.spec });
  }

  edited(over: Partial<AuctionSpec>): AuctionEvent {
    this.spec = { ...this.spec, ...over };
    this.endsAt = this.spec.endsAt;
    this.price = this.spec.startPrice;
    return this.push({ type: 'edited', by: this.spec.sellerId, rid: this.rid(), amount: null, max: null, spec: this.spec });
  }

  opened(): AuctionEvent {
    this.status = 'OPEN';
    return this.push({ type: 'opened', by: this.spec.sellerId, rid: this.rid(), amount: null, max: null });
  }

  bid(by: UserId, amount: number, max: number | null = null): AuctionEvent {
    this.price = amount;
    this.leader = by;
    this.leaderMax = max ?? amount;
    return this.push({ type: 'bid', by, rid: this.rid(), amount, max });
  }

  closed(): AuctionEvent {
    this.status = this.leader === null ? 'UNSOLD' : 'SOLD';
    return this.push({ type: 'closed', by: null, rid: null, amount: null, max: null });
  }

  canceled(): AuctionEvent {
    this.status = 'CANCELED';
    return this.push({ type: 'canceled', by: this.spec.sellerId, rid: this.rid(), amount: null, max: null });
  }
}

export function acceptedReply(e: AuctionEvent): Reply {
  return { ok: true, rid: e.rid ?? 'none', seq: e.seq, price: e.price, leading: e.leader === e.by, endsAt: e.endsAt, status: e.status };
}

/** The stored reply to the command that produced `e`. */
export function replyFor(e: AuctionEvent): StoredReply {
  return { by: e.by ?? 'system', rid: e.rid ?? `close-${e.auction}-${e.seq}`, auction: e.auction, reply: acceptedReply(e), at: e.at };
}

export function storedReply(by: UserId, rid: string, at: number, auction: string | null = null, ok = true): StoredReply {
  const reply: Reply = ok
    ? { ok: true, rid, seq: 3, price: 12_000, leading: true, endsAt: T0 + 1, status: 'OPEN' }
    : { ok: false, rid, code: 'BID_TOO_LOW', message: 'the bid is below the minimum next bid', minNext: 13_000, price: 12_000 };
  return { by, rid, auction, reply, at };
}

export function stateOf(id: string, seq: number, over: Partial<AuctionState> = {}): AuctionState {
  return {
    spec: specOf(id),
    status: 'OPEN',
    seq,
    price: 10_000 + seq * 1_000,
    leader: 'bidder-b',
    leaderMax: 50_000,
    bidCount: seq - 2,
    extensions: 1,
    endsAt: T0 + 86_400_000,
    winner: null,
    closedAt: null,
    participants: new Set(['bidder-c', 'bidder-a', 'bidder-b']),
    ...over,
  };
}

export function viewOf(id: string, seq: number, over: Partial<AuctionView> = {}): AuctionView {
  return {
    auction: id,
    seq,
    status: 'OPEN',
    price: 10_000 + seq * 1_000,
    bidCount: seq - 2,
    leader: 'b***r',
    minNext: 11_000 + seq * 1_000,
    endsAt: T0 + 86_400_000,
    buyNowPrice: null,
    reserveMet: true,
    ...over,
  };
}

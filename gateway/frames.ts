// Server frames built from the engine's values. Every public frame is made by picking fields one by
// one from the public view, never by spreading state, so no ceiling or reserve can leak into it.
import type { AuctionEvent, Millis, Notice, Reply } from '../engine/index.ts';
import type { AuctionView } from '../storage/auction/ports.ts';
import type { AckFrame, EndFrame, NoticeFrame, PublicFrame, PxFrame, SnapFrame } from './protocol.ts';

export function snapOf(v: AuctionView, now: Millis): SnapFrame {
  return {
    t: 'snap', auction: v.auction, seq: v.seq, status: v.status, price: v.price, bidCount: v.bidCount,
    leader: v.leader, minNext: v.minNext, endsAt: v.endsAt, buyNowPrice: v.buyNowPrice, reserveMet: v.reserveMet, now,
  };
}

/** A kept public frame sent again (a resume): a snap's `now` is when it is sent, not when it was made. */
export function resent(f: PublicFrame, now: Millis): PublicFrame {
  return f.t === 'snap' ? { ...f, now } : f;
}

export function pxOf(v: AuctionView): PxFrame {
  return { t: 'px', auction: v.auction, seq: v.seq, price: v.price, bidCount: v.bidCount, leader: v.leader, minNext: v.minNext, endsAt: v.endsAt };
}

export function endOf(v: AuctionView): EndFrame {
  return { t: 'end', auction: v.auction, seq: v.seq, status: v.status, price: v.price, winner: v.status === 'SOLD' ? v.leader : null };
}

const ENDING = new Set<AuctionEvent['type']>(['bought', 'closed', 'canceled']);
const RESHAPING = new Set<AuctionEvent['type']>(['created', 'opened', 'edited']);

/**
 * The one public frame for an auction's events in one commit (coalesced): `end` if it ended, a full
 * `snap` if its status or terms changed, else a `px` with the latest figures.
 */
export function publicFrame(types: ReadonlySet<AuctionEvent['type']>, v: AuctionView, now: Millis): PublicFrame {
  for (const t of types) if (ENDING.has(t)) return endOf(v);
  for (const t of types) if (RESHAPING.has(t)) return snapOf(v, now);
  return pxOf(v);
}

export function noticeOf(n: Notice): NoticeFrame {
  const f: NoticeFrame = { t: 'notice', kind: n.kind, auction: n.auction, seq: n.seq, price: n.price, endsAt: n.endsAt };
  if (n.minNext !== undefined) f.minNext = n.minNext;
  return f;
}

export function ackOf(r: Reply): AckFrame {
  if (r.ok) return { t: 'ack', rid: r.rid, ok: true, seq: r.seq, price: r.price, leading: r.leading, endsAt: r.endsAt, status: r.status };
  const f: AckFrame = { t: 'ack', rid: r.rid, ok: false, code: r.code, message: r.message };
  if (r.minNext !== undefined) f.minNext = r.minNext;
  if (r.price !== undefined) f.price = r.price;
  return f;
}

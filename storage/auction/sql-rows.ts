// Journal and reply rows as the SQL adapters read them: arrays in select order (no object per row from
// the driver), decoded here once for the journal and the idempotency store.
import {
  acceptedReply, type AuctionEvent, type AuctionStatus, type EventType, type Reply,
} from '../../engine/index.ts';
import { parseJson } from './codec.ts';
import type { StoredReply } from './ports.ts';
import { EVENT_COLUMNS } from './sql-statements.ts';

export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

/** The journal's columns, qualified by the alias `e`, in EVENT_COLUMNS order. */
export const EVENT_SELECT = EVENT_COLUMNS.map((c) => `e.${c}`).join(', ');

/** A journal row, as an array in EVENT_COLUMNS order. */
export function eventFromRow(r: unknown[]): AuctionEvent {
  const e: AuctionEvent = {
    auction: r[0] as string,
    seq: num(r[1]),
    type: r[2] as EventType,
    at: num(r[3]),
    by: r[4] as string | null,
    rid: r[5] as string | null,
    amount: numOrNull(r[6]),
    max: numOrNull(r[7]),
    price: num(r[8]),
    leader: r[9] as string | null,
    leaderMax: num(r[10]),
    endsAt: num(r[11]),
    status: r[12] as AuctionStatus,
  };
  if (r[13] !== null && r[13] !== undefined) e.spec = parseJson(r[13]);
  return e;
}

/** A reply row, as an array in REPLY_COLUMNS order. */
export function replyFromRow(r: unknown[]): StoredReply {
  return { by: r[0] as string, rid: r[1] as string, auction: r[2] as string | null, reply: parseJson<Reply>(r[3]), at: num(r[4]) };
}

/** The columns of a journal row that an accepted reply needs (REPLY_FROM_EVENT_COLUMNS order). */
export const REPLY_FROM_EVENT_COLUMNS = 'by_user, rid, auction_id, seq, price, leader, ends_at, status, at';

/** A row of REPLY_FROM_EVENT_COLUMNS as the reply acceptedReply() made for it. */
export function replyFromEventRow(r: unknown[]): StoredReply {
  const by = r[0] as string;
  const rid = r[1] as string;
  const e = { seq: num(r[3]), price: num(r[4]), leader: r[5] as string | null, endsAt: num(r[6]), status: r[7] as AuctionStatus };
  return { by, rid, auction: r[2] as string, reply: acceptedReply(rid, e, by), at: num(r[8]) };
}

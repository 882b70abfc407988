// Where a reply is kept. An accepted command's reply is a pure function of the event it produced
// (engine `acceptedReply`), so its journal row is its record: writing it a second time, as a row keyed
// (user, rid), cost the SQL journal half its throughput (a random index insert per bid). Only replies
// that no event of the batch carries (refusals, mostly) are kept on their own.
import { acceptedReply, type AuctionEvent, type Reply } from '../../engine/index.ts';
import type { ReplyKey, StoredReply } from './ports.ts';

/** The stored record of an accepted command, read back from its event; null for events with no command (closes). */
export function replyOfEvent(e: AuctionEvent): StoredReply | null {
  if (e.by === null || e.rid === null) return null;
  return { by: e.by, rid: e.rid, auction: e.auction, reply: acceptedReply(e.rid, e, e.by), at: e.at };
}

function sameReply(a: Reply, b: Reply): boolean {
  return a.ok && b.ok && a.rid === b.rid && a.seq === b.seq && a.price === b.price && a.leading === b.leading &&
    a.endsAt === b.endsAt && a.status === b.status;
}

/**
 * The replies of a batch that must be kept on their own: every one except an accepted reply whose event
 * is in the same batch and reproduces it exactly.
 */
export function repliesKeptApart(events: readonly AuctionEvent[], replies: readonly StoredReply[]): StoredReply[] {
  if (events.length === 0) return replies as StoredReply[];
  const byKey = new Map<string, AuctionEvent>();
  for (const e of events) if (e.rid !== null) byKey.set(e.auction + '\u0000' + e.seq, e);
  const apart: StoredReply[] = [];
  for (const r of replies) {
    const e = r.reply.ok && r.auction !== null ? byKey.get(r.auction + '\u0000' + r.reply.seq) : undefined;
    if (e === undefined || e.by !== r.by || e.rid !== r.rid || !sameReply(r.reply, acceptedReply(e.rid, e, e.by))) apart.push(r);
  }
  return apart;
}

export const replyKeyOf = (by: string, rid: string): string => by + '\u0000' + rid;

/** Oldest first; ties by user, then rid (the order every adapter returns). */
export function compareReplies(a: StoredReply, b: StoredReply): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.by !== b.by) return a.by < b.by ? -1 : 1;
  return a.rid < b.rid ? -1 : a.rid > b.rid ? 1 : 0;
}

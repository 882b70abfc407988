// What a page of journal events means for recommendation, pure: the signals to add (a bid weighs 2 in
// the bidder's group and in popularity, and is a co-bid) and the changes to the candidate index
// (created and edited put the listing, opened and each bid update it, an end removes it). Each signal
// carries its event's journal position, so the stores apply it once however often the page is read.
import type { AuctionEvent, AuctionId, AuctionStatus, UserId } from '../auction/model.ts';
import type { Millis } from '../kernel.ts';
import type { GroupKey } from './group.ts';
import { SIGNAL_WEIGHTS } from './signals.ts';

export interface JournalEntry {
  pos: number;
  event: AuctionEvent;
}

export interface ListingTags {
  sellerId: UserId;
  tags: readonly string[];
}

export type IndexChange =
  | { t: 'put'; id: AuctionId; sellerId: UserId; status: AuctionStatus; leader: UserId | null; tags: readonly string[] }
  | { t: 'lead'; id: AuctionId; leader: UserId | null; status: AuctionStatus }
  | { t: 'remove'; id: AuctionId };

export interface PageEffects {
  tags: { group: GroupKey; tags: readonly string[]; weight: number; at: Millis; position: number }[];
  popularity: { auction: AuctionId; weight: number; at: Millis; position: number }[];
  cobids: { user: UserId; auction: AuctionId; at: Millis }[];
  index: IndexChange[];
  /** Auctions that ended: dropped from popularity. */
  ended: AuctionId[];
}

const ENDS = new Set(['closed', 'bought', 'canceled']);

/** Auctions whose listing the page needs (to put them, or to know a bid's tags). */
export function listingsNeeded(entries: readonly JournalEntry[]): AuctionId[] {
  const ids = new Set<AuctionId>();
  for (const { event: e } of entries) if (e.type === 'created' || e.type === 'edited' || e.type === 'opened' || e.type === 'bid' || e.type === 'bought') ids.add(e.auction);
  return [...ids];
}

/** Bidders whose group the page needs. */
export function biddersOf(entries: readonly JournalEntry[]): UserId[] {
  const ids = new Set<UserId>();
  for (const { event: e } of entries) if ((e.type === 'bid' || e.type === 'bought') && e.by !== null) ids.add(e.by);
  return [...ids];
}

export function effectsOf(
  entries: readonly JournalEntry[],
  listings: ReadonlyMap<AuctionId, ListingTags>,
  groups: ReadonlyMap<UserId, GroupKey | null>,
): PageEffects {
  const out: PageEffects = { tags: [], popularity: [], cobids: [], index: [], ended: [] };
  for (const { pos, event: e } of entries) {
    const listing = listings.get(e.auction);
    if (e.type === 'created' || e.type === 'edited' || e.type === 'opened') {
      const sellerId = e.spec?.sellerId ?? listing?.sellerId;
      if (sellerId !== undefined) out.index.push({ t: 'put', id: e.auction, sellerId, status: e.status, leader: e.leader, tags: listing?.tags ?? [] });
    }
    if ((e.type === 'bid' || e.type === 'bought') && e.by !== null) {
      const weight = SIGNAL_WEIGHTS.bid;
      const group = groups.get(e.by) ?? null;
      if (group !== null && listing !== undefined && listing.tags.length > 0) out.tags.push({ group, tags: listing.tags, weight, at: e.at, position: pos });
      out.popularity.push({ auction: e.auction, weight, at: e.at, position: pos });
      out.cobids.push({ user: e.by, auction: e.auction, at: e.at });
      if (e.type === 'bid') out.index.push({ t: 'lead', id: e.auction, leader: e.leader, status: e.status });
    }
    if (ENDS.has(e.type)) {
      out.index.push({ t: 'remove', id: e.auction });
      out.ended.push(e.auction);
    }
  }
  return out;
}

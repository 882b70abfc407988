// The open auctions a list can recommend, by tag: what the ranking walks, so that scoring reads only the
// auctions carrying the group's best tags rather than every open auction. Pure: the caller keeps it up
// to date from the listings (put on create, edit and each bid that moves the leader; remove on close).
import type { AuctionId, AuctionStatus, UserId } from '../types.ts';

/** What ranking needs to know of an auction. */
export interface Candidate {
  id: AuctionId;
  sellerId: UserId;
  leader: UserId | null;
  status: AuctionStatus;
  /** Distinct tags (the index dedupes what it is given). */
  tags: readonly string[];
}

/** What ranking reads: an auction by id, and the auctions with a tag. */
export interface Candidates {
  get(id: AuctionId): Candidate | undefined;
  withTag(tag: string): Iterable<Candidate>;
}

export class TagIndex implements Candidates {
  private readonly byId = new Map<AuctionId, Candidate>();
  private readonly byTag = new Map<string, Map<AuctionId, Candidate>>();

  get size(): number {
    return this.byId.size;
  }

  /** Add or replace an auction. */
  put(c: Candidate): void {
    this.remove(c.id);
    const own: Candidate = { ...c, tags: [...new Set(c.tags)] };
    this.byId.set(own.id, own);
    for (const tag of own.tags) {
      let m = this.byTag.get(tag);
      if (m === undefined) this.byTag.set(tag, (m = new Map()));
      m.set(own.id, own);
    }
  }

  /** A bid moved the lead: the one fact that changes often, updated in place. */
  setLeader(id: AuctionId, leader: UserId | null): void {
    const c = this.byId.get(id);
    if (c !== undefined) c.leader = leader;
  }

  remove(id: AuctionId): boolean {
    const old = this.byId.get(id);
    if (old === undefined) return false;
    this.byId.delete(id);
    for (const tag of old.tags) {
      const m = this.byTag.get(tag);
      m?.delete(id);
      if (m?.size === 0) this.byTag.delete(tag);
    }
    return true;
  }

  get(id: AuctionId): Candidate | undefined {
    return this.byId.get(id);
  }

  withTag(tag: string): Iterable<Candidate> {
    return this.byTag.get(tag)?.values() ?? [];
  }
}

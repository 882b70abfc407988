// Commit lanes: the auctions split over N group committers by a hash of their id, each with one batch
// in flight. A lane's batches hold only its auctions, so lanes never wait on each other, and a failed
// batch sets aside only its own auctions. On MySQL several lanes let the server commit on several
// connections (and cores) at once; SQLite has one writer, so it runs one lane.
import type { AuctionEvent, AuctionId, Notice } from '../../engine/index.ts';
import type { BidJournal, StoredReply } from '../../storage/auction/ports.ts';
import { GroupCommitter, type CommitListener, type CommitStats, type Done } from './committer.ts';

/** FNV-1a over the id's UTF-16 units: cheap, and spreads sequential ids. */
export function laneOf(id: AuctionId, lanes: number): number {
  if (lanes === 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % lanes;
}

export class CommitLanes<S> {
  private readonly lanes: GroupCommitter<S>[];

  constructor(journal: BidJournal, listener: CommitListener<S>, private readonly o: { lanes: number; maxPending: number }) {
    // Each lane may hold the whole budget; `full` checks the sum.
    this.lanes = Array.from({ length: Math.max(1, o.lanes) }, () => new GroupCommitter(journal, listener, { maxPending: o.maxPending }));
  }

  get pending(): number {
    let n = 0;
    for (const l of this.lanes) n += l.pending;
    return n;
  }

  get full(): boolean {
    return this.pending >= this.o.maxPending;
  }

  get stats(): CommitStats {
    const s: CommitStats = { batches: 0, entries: 0, lastBatchSize: 0, lastCommitMs: 0 };
    for (const l of this.lanes) {
      s.batches += l.stats.batches;
      s.entries += l.stats.entries;
      s.lastBatchSize = Math.max(s.lastBatchSize, l.stats.lastBatchSize);
      s.lastCommitMs = Math.max(s.lastCommitMs, l.stats.lastCommitMs);
    }
    return s;
  }

  /** Queue one command's outcome on its auction's lane. */
  add(auction: AuctionId, event: AuctionEvent | null, reply: StoredReply | null, notices: readonly Notice[], done: Done): void {
    this.lanes[laneOf(auction, this.lanes.length)].add(event, reply, notices, done);
  }

  /** `done` once everything accepted so far on the auction's lane is durable. */
  afterPending(auction: AuctionId, done: Done): void {
    this.lanes[laneOf(auction, this.lanes.length)].afterPending(done);
  }

  /**
   * `done` once everything accepted so far on every lane is durable, with the first failure if any: a
   * repeat may name another auction than its first reply's, which can sit on any lane.
   */
  afterAll(done: Done): void {
    let left = this.lanes.length;
    let failure: Error | null = null;
    for (const l of this.lanes) {
      l.afterPending((err) => {
        failure ??= err;
        if (--left === 0) done(failure);
      });
    }
  }

  async drain(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.drain()));
  }
}

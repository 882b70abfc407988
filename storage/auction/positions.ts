// Journal positions: every appended event gets the next number of one process-wide sequence, so the
// journal can be read across auctions in the order events were appended (the outbox, storage/ports.ts
// BidJournal.after). Appends run concurrently (MySQL commit lanes), so a later range may commit before
// an earlier one; a reader must never pass a range still in flight, or it would skip it for good.
//
//   take(n) -> range         [range.first, range.first + n) is in flight
//   release(range)           that range is committed, or surely never will be
//   horizon                  every position below it is settled: readable, or a gap forever
//
// One engine process owns a database (the actors of its auctions live in it), so the sequence is kept
// here and starts after the largest stored position.
export interface PositionRange {
  readonly first: number;
  readonly count: number;
}

export class JournalPositions {
  private next: number;
  /** Ranges in flight (a few at a time: one per commit lane, plus failed ones awaiting an answer). */
  private readonly inFlight = new Set<PositionRange>();

  constructor(last: number) {
    this.next = last + 1;
  }

  /** Reserve `count` consecutive positions. An empty range is never in flight. */
  take(count: number): PositionRange {
    const range = { first: this.next, count };
    this.next += count;
    if (count > 0) this.inFlight.add(range);
    return range;
  }

  release(range: PositionRange): void {
    this.inFlight.delete(range);
  }

  /** The least position not yet known to be settled: a reader stops below it. */
  get horizon(): number {
    let h = this.next;
    for (const r of this.inFlight) if (r.first < h) h = r.first;
    return h;
  }
}

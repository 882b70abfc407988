// Journal positions: every appended event gets the next number of one process-wide sequence, so the
// journal can be read across auctions in the order events were appended (the outbox, storage/ports.ts
// BidJournal.after). Appends run concurrently (MySQL commit lanes), so a later range may commit before
// an earlier one; a reader must never pass a range still in flight, or it would skip it for good.
//
//   take(n) -> first         [first, first + n) is in flight
//   settle(first)            that range is committed, or surely never will be
//   horizon                  every position below it is settled: readable, or a gap forever
//
// One engine process owns a database (the actors of its auctions live in it), so the sequence is kept
// here and starts after the largest stored position.
export class JournalPositions {
  private next: number;
  /** First position of each range in flight (a few at a time: one per commit lane, plus failed ones). */
  private readonly inFlight = new Set<number>();

  constructor(last: number) {
    this.next = last + 1;
  }

  /** Reserve `n` consecutive positions; returns the first. */
  take(n: number): number {
    const first = this.next;
    this.next += n;
    if (n > 0) this.inFlight.add(first);
    return first;
  }

  settle(first: number): void {
    this.inFlight.delete(first);
  }

  /** The least position not yet known to be settled: a reader stops below it. */
  get horizon(): number {
    let h = this.next;
    for (const first of this.inFlight) if (first < h) h = first;
    return h;
  }
}

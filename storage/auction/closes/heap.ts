// A binary min-heap of (at, auction) due times. Entries are never removed from the middle: a cancel or
// a new time leaves the old entry behind, and it is skipped when it surfaces (the scheduler checks it
// against the auction's current time).
import type { AuctionId, Millis } from '../../../engine/index.ts';

export interface Due {
  at: Millis;
  auction: AuctionId;
}

export class DueHeap {
  private readonly a: Due[] = [];

  get size(): number {
    return this.a.length;
  }

  push(d: Due): void {
    const a = this.a;
    a.push(d);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].at <= a[i].at) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }

  peek(): Due | undefined {
    return this.a[0];
  }

  pop(): Due | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].at < a[m].at) m = l;
        if (r < a.length && a[r].at < a[m].at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.a.length = 0;
  }
}

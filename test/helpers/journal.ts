// A journal that is another one but for its append: for tests that slow, hold or break commits.
import type { BidJournal, JournalBatch } from '../../storage/auction/ports.ts';

export function withAppend(j: BidJournal, append: (batch: JournalBatch) => Promise<void>): BidJournal {
  return {
    read: (a, after, limit) => j.read(a, after, limit),
    live: () => j.live(),
    tails: (after) => j.tails(after),
    summary: (a) => j.summary(a),
    after: (p, n) => j.after(p, n),
    append,
  };
}

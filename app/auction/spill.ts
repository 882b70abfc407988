// Accepted replies the in-memory table evicts before their 24 hours are written to the store by
// fingerprint (IdempotencyStore.spill), so that a repeat naming another auction than its first reply's
// still finds it once memory has let it go: the journal row that holds it is found only through its
// auction, and a (user, rid) index on the journal would cost every append a random insert. Refusals
// need no spill: command_replies holds them by (user, rid).
//
// An evicted generation keeps answering in memory until the runtime releases it. The service releases
// durable spills only right before it asks the store (its pre-check), and in pre-check mode decides a
// command only in the turn that handles a store answer asked after the last release: so a reply is
// always either in memory or in the answer, never in neither.
import type { EvictedReplies, RecentReplies } from '../../engine/index.ts';
import type { IdempotencyStore, SpilledReply } from '../../storage/auction/ports.ts';
import type { Done } from './committer.ts';
import type { Logger } from '../../engine/logger.ts';

export interface SpillOptions {
  store: IdempotencyStore;
  replies: RecentReplies;
  /** `done` once everything decided so far is durable or failed (and so forgotten). */
  settled: (done: Done) => void;
  log: Logger;
  /** Wait after a failed spill before trying again. */
  retryMs: number;
}

interface Pending {
  evicted: EvictedReplies;
  durable: boolean;
}

export class ReplySpill {
  private readonly queue: Pending[] = [];
  private running = false;
  private stopped = false;

  constructor(private readonly o: SpillOptions) {
    o.replies.onEvict = (evicted) => {
      this.queue.push({ evicted, durable: false });
      void this.run();
    };
  }

  /** Evicted generations the store has not taken yet (each stays in memory until it has). */
  get waiting(): number {
    let n = 0;
    for (const p of this.queue) if (!p.durable) n++;
    return n;
  }

  /** Let go of the generations whose replies the store now answers for. */
  releaseDurable(): void {
    while (this.queue.length > 0 && this.queue[0].durable) this.o.replies.release((this.queue.shift() as Pending).evicted);
  }

  stop(): void {
    this.stopped = true;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.find((p) => !p.durable); next !== undefined && !this.stopped; next = this.queue.find((p) => !p.durable)) {
        // Only what is durable is spilled: a reply whose commit fails is forgotten first (and so left out).
        await new Promise<void>((resolve) => this.o.settled(() => resolve()));
        const evicted = next.evicted;
        const rows: SpilledReply[] = evicted.entries().filter((e) => e.reply.ok).map((e) => ({ fp: e.fp, reply: e.reply, at: evicted.to }));
        try {
          await this.o.store.spill(rows);
          next.durable = true;
        } catch (err) {
          this.o.log.warn({ err, replies: rows.length }, 'spilling evicted replies failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, this.o.retryMs).unref());
        }
      }
    } finally {
      this.running = false;
    }
  }
}

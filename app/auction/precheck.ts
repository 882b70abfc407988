// Idempotency past the in-memory bound. Once the in-memory reply table has dropped replies younger than
// 24 hours (size pressure), a retry's first reply may be only in the store. Then every command passes
// through this FIFO pre-check, which asks the store for a whole turn's (user, rid) keys in one query and
// keeps arrival order: a key the store answers gets its first reply, the others proceed.
import { reject, REPLY_TTL_MS, validRid, type Clock, type RecentReplies, type Reply, type ReplyCallback } from '../../engine/index.ts';
import type { Logger } from '../../engine/logger.ts';
import type { IdempotencyStore, ReplyKey } from '../../storage/auction/ports.ts';

interface Waiting extends ReplyKey {
  proceed: () => void;
  cb: ReplyCallback;
}

export interface PrecheckOptions {
  store: Pick<IdempotencyStore, 'findMany'>;
  replies: RecentReplies;
  clock: Clock;
  log: Logger;
  /** Called before each question to the store: evicted replies it has taken go now (its answer covers them). */
  beforeAsking(): void;
}

export class ReplyPrecheck {
  private readonly queue: Waiting[] = [];
  private running = false;

  constructor(private readonly o: PrecheckOptions) {}

  /** True while commands must pass through here: the table may have dropped replies, or some wait already (order). */
  get needed(): boolean {
    return this.running || this.queue.length > 0 || this.o.replies.mayHaveEvicted(this.o.clock.now());
  }

  /** Ask the store about `key` (with the turn's others); `proceed` when it knows no first reply. */
  check(key: ReplyKey, proceed: () => void, cb: ReplyCallback): void {
    this.queue.push({ ...key, proceed, cb });
    if (this.running) return;
    this.running = true;
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    this.o.beforeAsking();
    const batch = this.queue.splice(0);
    const now = this.o.clock.now();
    let found: Map<string, Reply> | null = null;
    try {
      const keys = batch.filter((q) => typeof q.by === 'string' && validRid(q.rid)).map(({ by, rid, auction }) => ({ by, rid, auction }));
      const rows = await this.o.store.findMany(keys, now - REPLY_TTL_MS);
      found = new Map(rows.map((r) => [`${r.by}\u0000${r.rid}`, r.reply]));
    } catch (err) {
      this.o.log.warn({ err }, 'idempotency lookup failed');
    }
    for (const q of batch) {
      if (found === null) q.cb(reject(q.rid, 'STORE_UNAVAILABLE'));
      else {
        const first = this.o.replies.get(q.by, q.rid, now) === undefined ? found.get(`${q.by}\u0000${q.rid}`) : undefined;
        if (first !== undefined) q.cb(first);
        else q.proceed();
      }
    }
    this.running = false;
    if (this.queue.length > 0) {
      this.running = true;
      setImmediate(() => void this.run());
    }
  }
}

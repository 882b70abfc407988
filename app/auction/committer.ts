// Group commit: every outcome the actors produce within one turn of the event loop goes to the journal
// in one transaction, and only then are its replies released. One batch is in flight at a time; while
// it is, the next one fills, so batches grow with load and the store sees one write per round trip.
//
//   actors --outcome--> [open batch] --seal--> [in flight] --commit ok--> replies, onCommitted
//                                                         \--failure--> every pending reply fails
import type { AuctionEvent, Notice } from '../../engine/index.ts';
import type { BidJournal, JournalBatch, StoredReply } from '../../storage/auction/ports.ts';

export type Done = (err: Error | null) => void;

interface Batch<S> {
  events: AuctionEvent[];
  replies: StoredReply[];
  notices: Notice[];
  waiters: Done[];
  sealed: S | undefined;
}

export interface CommitListener<S> {
  /**
   * Called as a batch is sealed for writing. At that moment every actor's state is exactly the state
   * after the batch's events, so what it returns (views, snapshots) is never ahead of the journal.
   */
  sealed(events: readonly AuctionEvent[]): S;
  /** Called after a batch is durable, before its replies are released. Must not throw. */
  committed(events: readonly AuctionEvent[], notices: readonly Notice[], sealed: S): void;
  /** Called when a batch (and everything queued behind it) could not be made durable. */
  failed(events: readonly AuctionEvent[], replies: readonly StoredReply[], err: Error): void;
}

export interface CommitterOptions {
  /** Most entries waiting (open + in flight) before new commands are refused with OVERLOADED. */
  maxPending: number;
}

export interface CommitStats {
  batches: number;
  entries: number;
  lastBatchSize: number;
  lastCommitMs: number;
}

function emptyBatch<S>(): Batch<S> {
  return { events: [], replies: [], notices: [], waiters: [], sealed: undefined };
}

export class GroupCommitter<S> {
  private open: Batch<S> = emptyBatch();
  private inFlight: Batch<S> | null = null;
  private scheduled = false;
  readonly stats: CommitStats = { batches: 0, entries: 0, lastBatchSize: 0, lastCommitMs: 0 };

  constructor(
    private readonly journal: BidJournal,
    private readonly listener: CommitListener<S>,
    private readonly opts: CommitterOptions,
  ) {}

  /** Entries waiting to be durable. */
  get pending(): number {
    return this.open.waiters.length + (this.inFlight?.waiters.length ?? 0);
  }

  get full(): boolean {
    return this.pending >= this.opts.maxPending;
  }

  /** Queue one command's outcome; `done` runs once it is durable (or failed). */
  add(event: AuctionEvent | null, reply: StoredReply | null, notices: readonly Notice[], done: Done): void {
    const b = this.open;
    if (event !== null) b.events.push(event);
    if (reply !== null) b.replies.push(reply);
    for (let i = 0; i < notices.length; i++) b.notices.push(notices[i]);
    b.waiters.push(done);
    this.kick();
  }

  /**
   * Run `done` once everything accepted so far is durable: for a retry whose first reply may still be
   * in a batch that has not committed.
   */
  afterPending(done: Done): void {
    if (this.inFlight === null && this.open.waiters.length === 0) return done(null);
    this.open.waiters.push(done);
    this.kick();
  }

  /** Resolves when nothing is pending. */
  async drain(): Promise<void> {
    while (this.inFlight !== null || this.open.waiters.length > 0) {
      await new Promise<void>((resolve) => this.afterPending(() => resolve()));
    }
  }

  private kick(): void {
    if (this.scheduled || this.inFlight !== null) return;
    this.scheduled = true;
    // setImmediate: let every command already read from the sockets this turn join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight !== null || this.open.waiters.length === 0) return;
    const batch = this.open;
    this.open = emptyBatch();
    this.inFlight = batch;
    if (batch.events.length === 0 && batch.replies.length === 0) {
      this.finish(batch, null); // only waiters for earlier batches: nothing to write
      return;
    }
    batch.sealed = this.listener.sealed(batch.events);
    const started = performance.now();
    const write: JournalBatch = { events: batch.events, replies: batch.replies };
    this.journal.append(write).then(
      () => {
        this.stats.batches++;
        this.stats.entries += batch.waiters.length;
        this.stats.lastBatchSize = batch.replies.length;
        this.stats.lastCommitMs = performance.now() - started;
        this.finish(batch, null);
      },
      (err: unknown) => this.finish(batch, err instanceof Error ? err : new Error(String(err))),
    );
  }

  private finish(batch: Batch<S>, err: Error | null): void {
    if (err === null) {
      this.inFlight = null;
      // The next batch goes to the journal before this one's replies go out, so the writer works while
      // the event loop fans out (what queued meanwhile is what makes batches grow with load).
      if (this.open.waiters.length > 0 && (this.open.events.length > 0 || this.open.replies.length > 0)) this.flush();
      if (batch.events.length > 0 || batch.notices.length > 0) this.listener.committed(batch.events, batch.notices, batch.sealed as S);
      for (const w of batch.waiters) w(null);
    } else {
      // Everything behind the failed batch was decided on top of it: it fails too.
      const behind = this.open;
      this.open = emptyBatch();
      this.inFlight = null;
      this.listener.failed(batch.events.concat(behind.events), batch.replies.concat(behind.replies), err);
      for (const w of batch.waiters) w(err);
      for (const w of behind.waiters) w(err);
    }
    // What queued while this batch was in flight goes at once (waiters only, or after a failure).
    if (this.open.waiters.length > 0) this.flush();
  }
}

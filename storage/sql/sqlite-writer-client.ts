// The main thread's handle on the SQLite writer thread (./sqlite-writer.ts): append() resolves once the
// batch is committed there, write() with each statement's count. A writer that dies fails what it held
// and is started afresh on next use.
// A write rides the next append (in its transaction, under a savepoint): a commit and an fsync of its
// own would hold up the appends queued behind it, and so the bids' acks. With the journal idle it goes
// alone at once; waiting behind an append with none after it, after RIDE_WAIT_MS.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { BatchParams } from '../auction/sql-statements.ts';
import type { Outcome, WriterError, WriterInit } from './sqlite-writer.ts';
import { writerSource } from './sqlite-writer-source.ts';
import { writeConflict, type SqlWrite } from './write.ts';

interface Pending {
  resolve(counts: number[] | undefined): void;
  reject(err: Error): void;
}

interface Rider {
  statements: SqlWrite[];
  resolve(counts: number[]): void;
  reject(err: Error): void;
}

const CHECKPOINT_EVERY_MS = 200;
/** Longest a rider waits for an append to carry it before it is written on its own. */
const RIDE_WAIT_MS = 20;

export class SqliteWriter {
  private worker: Worker | null = null;
  private checkpointer: Worker | null = null;
  private readonly pending = new Map<number, Pending & { rider?: Rider }>();
  private riders: Rider[] = [];
  private rideTimer: NodeJS.Timeout | null = null;
  private next = 1;
  /** Appends sent and not answered yet: while there are, the next one is coming soon. */
  private appending = 0;
  private readonly closing = new WeakSet<Worker>();
  /** Writes carried by an append, or written on their own. */
  readonly stats = { rode: 0, alone: 0 };

  constructor(private readonly init: WriterInit) {}

  append(p: BatchParams): Promise<void> {
    // One rider per append: what it adds to the append's time stays small.
    const rider = this.riders.shift();
    if (rider !== undefined) this.stats.rode++;
    this.appending++;
    const done = this.send(rider === undefined ? { p } : { p, ride: rider.statements }, rider);
    const settled = () => {
      this.appending--;
    };
    done.then(settled, settled);
    return done.then(() => {});
  }

  /**
   * Statements in one transaction on the writer thread: in the next append's (as a savepoint: their
   * failure is theirs alone), or in one of their own when none comes soon. Resolves with each count.
   */
  write(statements: SqlWrite[]): Promise<number[]> {
    // No append in flight: the journal is idle, no next append may come, and there is nobody to hold up.
    if (this.appending === 0 && this.riders.length === 0) {
      this.stats.alone++;
      return this.send({ write: statements }) as Promise<number[]>;
    }
    return new Promise<number[]>((resolve, reject) => {
      this.riders.push({ statements, resolve, reject });
      this.rideTimer ??= setTimeout(this.sendRiders, RIDE_WAIT_MS);
    });
  }

  private readonly sendRiders = (): void => {
    this.rideTimer = null;
    const riders = this.riders;
    this.riders = [];
    this.stats.alone += riders.length;
    for (const r of riders) this.send({ write: r.statements }).then((counts) => r.resolve(counts as number[]), r.reject);
  };

  /** Never throws: a thread that cannot start or a message it cannot take rejects this write (and its rider) alone. */
  private send(body: object, rider?: Rider): Promise<number[] | undefined> {
    return new Promise((resolve, reject) => {
      const id = this.next++;
      let worker: Worker | undefined;
      try {
        worker = this.worker ?? this.start();
        this.pending.set(id, { resolve, reject, rider });
        if (this.pending.size === 1) worker.ref(); // keep the process alive while a write is out
        worker.postMessage({ id, ...body });
      } catch (err) {
        // Nothing will answer this id: forget it, so it holds neither the process nor anything else.
        this.pending.delete(id);
        if (worker !== undefined && this.pending.size === 0 && !this.closing.has(worker)) worker.unref();
        rider?.reject(err as Error);
        reject(err as Error);
      }
    });
  }

  /** Start the thread and run one empty transaction through it: resolves once it can write. */
  warm(): Promise<void> {
    return this.append({ events: [], eventRows: 0, replies: [], replyRows: 0, summaries: [], summaryRows: 0 });
  }

  async close(): Promise<void> {
    if (this.rideTimer !== null) clearTimeout(this.rideTimer);
    this.sendRiders(); // before the close message: the thread takes messages in order
    const workers = [this.worker, this.checkpointer].filter((w): w is Worker => w !== null);
    this.worker = null;
    this.checkpointer = null;
    await Promise.all(workers.map((w) => {
      const exited = new Promise((resolve) => w.once('exit', resolve));
      // Held until it has closed the database, or a process with nothing else to do exits first.
      this.closing.add(w);
      w.ref();
      w.postMessage('close');
      return exited;
    }));
  }

  private start(): Worker {
    // No execArgv: the script needs no loader, and the process's --import tsx would load one anyway.
    const worker = new Worker(writerSource(), { eval: true, execArgv: [], workerData: { ...this.init } });
    worker.unref();
    worker.on('message', (m: { id: number; ride?: Outcome } & Outcome) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0 && !this.closing.has(worker)) worker.unref();
      if (p.rider !== undefined && m.ride !== undefined) settle(m.ride, p.rider);
      settle(m, p);
    });
    const died = (why: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values()) {
        p.rider?.reject(why);
        p.reject(why);
      }
      this.pending.clear();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`the SQLite writer thread exited (${code})`)));
    this.worker = worker;
    this.checkpointer ??= this.startCheckpointer();
    return worker;
  }

  private startCheckpointer(): Worker {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(new URL('./sqlite-checkpointer.cjs', import.meta.url), {
      execArgv: [], // plain CommonJS: the process's --import tsx would only load a loader it never uses
      workerData: { filename: this.init.filename, driver, everyMs: CHECKPOINT_EVERY_MS },
    });
    w.unref();
    w.on('error', () => {}); // a checkpointer that fails only lets the WAL grow until the next start
    w.on('exit', () => {
      if (this.checkpointer === w) this.checkpointer = null;
    });
    return w;
  }
}

function settle(o: Outcome, to: { resolve(counts: number[] | undefined): void; reject(err: Error): void }): void {
  if ('error' in o) return to.reject(driverError(o.error));
  if ('conflict' in o) {
    const { statement, rows, expect } = o.conflict;
    return to.reject(writeConflict(statement, rows, expect));
  }
  to.resolve(o.counts);
}

/** The thread's error rebuilt as the driver's, so callers map it as they would in-thread (busy, constraint...). */
function driverError(e: WriterError): Error {
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name;
  err.code = e.code;
  return err;
}

// The main thread's handle on the SQLite writer thread (./sqlite-writer.ts): append() resolves once the
// batch is committed there. A writer that dies fails what it held and is started afresh on next use.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { BatchParams } from './statements.ts';
import type { WriterInit } from './sqlite-writer.ts';

interface Pending {
  resolve(): void;
  reject(err: Error): void;
}

const CHECKPOINT_EVERY_MS = 200;

export class SqliteWriter {
  private worker: Worker | null = null;
  private checkpointer: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private next = 1;

  constructor(private readonly init: WriterInit) {}

  append(p: BatchParams): Promise<void> {
    return this.send({ p });
  }

  /** Upsert snapshot rows (SNAPSHOT_COLUMNS order) in one transaction on the writer thread. */
  putSnapshots(snapshots: unknown[], rows: number): Promise<void> {
    return this.send({ snapshots, rows });
  }

  private send(body: object): Promise<void> {
    const worker = this.worker ?? this.start();
    const id = this.next++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref(); // keep the process alive while a write is out
      worker.postMessage({ id, ...body });
    });
  }

  /** Start the thread and run one empty transaction through it: resolves once it can write. */
  warm(): Promise<void> {
    return this.append({ events: [], eventRows: 0, replies: [], replyRows: 0, summaries: [], summaryRows: 0 });
  }

  async close(): Promise<void> {
    const workers = [this.worker, this.checkpointer].filter((w): w is Worker => w !== null);
    this.worker = null;
    this.checkpointer = null;
    await Promise.all(workers.map((w) => {
      const exited = new Promise((resolve) => w.once('exit', resolve));
      w.postMessage('close');
      return exited;
    }));
  }

  private start(): Worker {
    const worker = new Worker(new URL('./sqlite-writer.boot.mjs', import.meta.url), {
      workerData: { ...this.init, tsx: import.meta.resolve('tsx/esm/api'), entry: new URL('./sqlite-writer.ts', import.meta.url).href },
    });
    worker.unref();
    worker.on('message', (m: { id: number; error?: { name: string; message: string; code?: string } }) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.error === undefined) return p.resolve();
      // Rebuilt as the driver's error so the store maps it as it would in-thread (busy, constraint...).
      const err = new Error(m.error.message) as Error & { code?: string };
      err.name = m.error.name;
      err.code = m.error.code;
      p.reject(err);
    });
    const died = (why: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values()) p.reject(why);
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

// The one SQL database handle (SQLite or MySQL/MariaDB) every SQL adapter runs over. It owns knex (one
// SQLite connection for reads, or the MySQL pool), runs the migrations, owns the SQLite writer thread,
// and gives every adapter the same two ways in:
//   reads   read() (rows as objects), rows()/eachRow() (as arrays: the journal's large reads), on the
//           driver directly; SQL is built with `builder`, a knex that has no connection;
//   writes  write(): statements in ONE transaction, each with the rows it must affect. On SQLite with a
//           file it runs on the writer thread, riding the next journal append under a savepoint (or
//           alone when none comes), so the event loop never waits for the disk or the write lock; on
//           MySQL on a pooled connection. The journal's append keeps its specialised path
//           (appendJournal) through the same handle and thread.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { BatchParams } from '../auction/sql-statements.ts';
import { sqliteAppender } from '../auction/sqlite-append.ts';
import { StoreUnavailableError } from '../errors.ts';
import type { SqliteDatabase, SqliteStatement } from './better-sqlite3.ts';
import { unavailable } from './errors.ts';
import { knexConfig, sqlBuilder } from './knex-config.ts';
import { migrateLatest } from './migrations/index.ts';
import { mysqlQuery, mysqlRows, mysqlWrite, type MysqlConnection } from './mysql.ts';
import { sqliteWrites, UnmetExpectation, type SqliteWrites } from './sqlite-write.ts';
import { SqliteWriter } from './sqlite-writer-client.ts';
import { parseSqlUrl, redact, type SqlDialect } from './url.ts';
import { sqliteParams, writeConflict, type SqlBuildable, type SqlWrite } from './write.ts';

export type { SqlBuildable, SqlDialect, SqlWrite };
export type { WriteExpectation } from './write.ts';

export interface SqlDatabaseOptions {
  /** `mysql://user:pass@host:port/db`, or a SQLite file path (`sqlite:path` also accepted). */
  url: string;
  /**
   * How long a write waits for a lock before failing: SQLite's busy_timeout, MySQL's
   * innodb_lock_wait_timeout (rounded up to whole seconds). Default 5000 ms.
   */
  lockTimeoutMs?: number;
  /** How long to wait to connect or for a free pooled connection. Default 10000 ms. */
  connectTimeoutMs?: number;
  /** MySQL connections in the pool. Default 10. (SQLite always reads on one connection.) */
  poolSize?: number;
  /** SQLite files: write on a writer thread, off the event loop (default true). */
  writerThread?: boolean;
  /** Told of every error the database client reports outside a call (for health and metrics). */
  onError?: (err: Error) => void;
}

export type SqlRow = Record<string, unknown>;

export interface SqlDatabase {
  readonly dialect: SqlDialect;
  /** For messages: `sqlite:<file>`, or the URL without its password. */
  readonly label: string;
  /** Builds SQL for this dialect (`.toSQL().toNative()`, statement(), or pass it to read()); it has no connection, so nothing runs through it. */
  readonly builder: Knex;
  /** Writes go to the SQLite writer thread, where each one holds up the journal appends queued behind it: keep them small. */
  readonly writesOnThread: boolean;
  /** Rows of one query, as objects by column name. Rejects with the driver's error. */
  read<R extends object = SqlRow>(query: string | SqlBuildable, params?: readonly unknown[]): Promise<R[]>;
  /** Rows as arrays in select order (no object per row), prepared once per SQL text on SQLite. */
  rows(sql: string, params: readonly unknown[]): Promise<unknown[][]>;
  /** Like rows(), handed on one at a time (on SQLite, straight from the cursor: nothing is gathered). */
  eachRow(sql: string, params: readonly unknown[], each: (row: unknown[]) => void): Promise<void>;
  /**
   * The statements in one transaction; resolves with each one's affected-row count (see ./write.ts for
   * what a count means on each dialect). A statement that misses its `expect` rolls the whole write back
   * and rejects with WriteConflictError; any other failure rolls it back and rejects with the driver's
   * error (a duplicate key, a lock wait timeout, a lost connection); a closed database with
   * StoreUnavailableError.
   */
  write(statements: readonly SqlWrite[]): Promise<number[]>;
  /**
   * SQLite only: the journal's batch (storage/auction/sqlite-append.ts) in one IMMEDIATE transaction of
   * cached multi-row statements, on the writer thread when there is one (a waiting write rides it). On
   * MySQL the journal's append is a write().
   */
  appendJournal(p: BatchParams): Promise<void>;
  /** Resolves when the database answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  /** Stops the writer thread and the connections; every call after it rejects with StoreUnavailableError. */
  close(): Promise<void>;
  readonly closed: boolean;
}

/** What the database keeps per SQLite connection (knex may replace the connection). */
interface SqliteCaches {
  objects: Map<string, SqliteStatement>;
  arrays: Map<string, SqliteStatement>;
  cursors: Map<string, SqliteStatement>;
  writes: SqliteWrites;
  append: ((p: BatchParams) => void) | null;
}

/** Read SQL texts vary with list lengths: each cache stays bounded. */
const PREPARED_MAX = 1000;

class Database implements SqlDatabase {
  readonly builder: Knex;
  readonly writesOnThread: boolean;
  private isClosed = false;
  private readonly sqlite = new WeakMap<SqliteDatabase, SqliteCaches>();

  constructor(
    private readonly knex: Knex,
    readonly dialect: SqlDialect,
    readonly label: string,
    private readonly writer: SqliteWriter | null,
  ) {
    this.builder = sqlBuilder(dialect);
    this.writesOnThread = writer !== null;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  read<R extends object = SqlRow>(query: string | SqlBuildable, params: readonly unknown[] = []): Promise<R[]> {
    if (typeof query !== 'string') {
      const n = query.toSQL().toNative();
      return this.read<R>(n.sql, n.bindings);
    }
    return this.withConnection(async (conn) => {
      if (this.dialect === 'sqlite') {
        return prepared(this.caches(conn as SqliteDatabase).objects, conn as SqliteDatabase, query, false).all(sqliteParams(params)) as R[];
      }
      const rows = await mysqlQuery(conn as MysqlConnection, query, params);
      // (SQLite refuses a statement that returns no rows in all() the same way.)
      if (!Array.isArray(rows)) throw new TypeError(`read() runs queries that return rows; write with write(): ${query}`);
      return rows as R[];
    });
  }

  rows(sql: string, params: readonly unknown[]): Promise<unknown[][]> {
    return this.withConnection(async (conn) => {
      if (this.dialect === 'sqlite') {
        return prepared(this.caches(conn as SqliteDatabase).arrays, conn as SqliteDatabase, sql, true).all(sqliteParams(params)) as unknown[][];
      }
      return mysqlRows(conn as MysqlConnection, sql, params);
    });
  }

  async eachRow(sql: string, params: readonly unknown[], each: (row: unknown[]) => void): Promise<void> {
    if (this.dialect !== 'sqlite') {
      for (const row of await this.rows(sql, params)) each(row);
      return;
    }
    await this.withConnection(async (conn) => {
      const db = conn as SqliteDatabase;
      for (const row of prepared(this.caches(db).cursors, db, sql, true).iterate(sqliteParams(params))) each(row as unknown[]);
    });
  }

  async write(statements: readonly SqlWrite[]): Promise<number[]> {
    this.assertOpen();
    if (statements.length === 0) return [];
    if (this.dialect === 'mysql') return this.withConnection((conn) => mysqlWrite(conn as MysqlConnection, statements));
    const normalized = statements.map((s) => ({ ...s, params: sqliteParams(s.params) }));
    if (this.writer !== null) return this.writer.write(normalized);
    return this.withConnection(async (conn) => {
      try {
        return this.caches(conn as SqliteDatabase).writes.alone(normalized);
      } catch (err) {
        if (err instanceof UnmetExpectation) throw writeConflict(err.statement, err.rows, err.expect);
        throw err;
      }
    });
  }

  async appendJournal(p: BatchParams): Promise<void> {
    this.assertOpen();
    if (this.dialect !== 'sqlite') throw new TypeError('appendJournal is the SQLite journal path; on MySQL the journal writes with write()');
    if (this.writer !== null) return this.writer.append(p);
    await this.withConnection(async (conn) => {
      const c = this.caches(conn as SqliteDatabase);
      c.append ??= sqliteAppender(conn as SqliteDatabase, new Map());
      c.append(p);
    });
  }

  async ping(): Promise<void> {
    try {
      await this.read('SELECT 1');
    } catch (err) {
      throw unavailable('SQL database', `ping of ${this.label}`, err);
    }
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.writer?.close();
    await this.knex.destroy();
  }

  private assertOpen(): void {
    if (this.isClosed) throw new StoreUnavailableError(`SQL database ${this.label} is closed`);
  }

  /** A connection of knex's pool for the call, given back however it ends (knex validates it on the next acquire). */
  private async withConnection<T>(f: (conn: unknown) => Promise<T>): Promise<T> {
    this.assertOpen();
    const conn: unknown = await this.knex.client.acquireConnection();
    try {
      return await f(conn);
    } finally {
      await this.knex.client.releaseConnection(conn);
    }
  }

  private caches(db: SqliteDatabase): SqliteCaches {
    let c = this.sqlite.get(db);
    if (c === undefined) {
      c = { objects: new Map(), arrays: new Map(), cursors: new Map(), writes: sqliteWrites(db), append: null };
      this.sqlite.set(db, c);
    }
    return c;
  }
}

function prepared(cache: Map<string, SqliteStatement>, db: SqliteDatabase, sql: string, arrays: boolean): SqliteStatement {
  let st = cache.get(sql);
  if (st === undefined) {
    if (cache.size >= PREPARED_MAX) cache.clear();
    st = db.prepare(sql);
    if (arrays) st.raw(true);
    cache.set(sql, st);
  }
  return st;
}

/** Open the database named by `url`, creating the SQLite file's directory, and migrate it to the latest schema. */
export async function openSqlDatabase(options: SqlDatabaseOptions): Promise<SqlDatabase> {
  const target = parseSqlUrl(options.url);
  const o = {
    lockTimeoutMs: options.lockTimeoutMs ?? 5000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    poolSize: options.poolSize ?? 10,
  };
  for (const [name, v] of Object.entries(o)) {
    if (!Number.isFinite(v) || v < (name === 'poolSize' ? 1 : 0)) {
      throw new TypeError(`SQL database: option "${name}" must be a ${name === 'poolSize' ? 'positive' : 'non-negative'} number, got ${v}`);
    }
  }
  const report = (err: Error): void => {
    try {
      options.onError?.(err);
    } catch {
      // a faulty reporter must not take the database down
    }
  };
  const file = target.dialect === 'sqlite' ? target.filename : null;
  if (file !== null && file !== ':memory:' && !file.startsWith('file:')) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const threaded = file !== null && file !== ':memory:' && file !== '' && (options.writerThread ?? true);
  const label = target.dialect === 'sqlite' ? `sqlite:${target.filename}` : redact(options.url);
  const knex = knexFactory(knexConfig(target, { ...o, writerThread: threaded }, report));
  const failed = async (what: string, err: unknown, writer?: SqliteWriter | null): Promise<never> => {
    await writer?.close().catch(() => {});
    await knex.destroy().catch(() => {});
    throw unavailable('SQL database', `${what} ${label}`, err);
  };
  try {
    await migrateLatest(knex);
  } catch (err) {
    return failed('opening', err);
  }
  const writer = threaded ? new SqliteWriter({ filename: file, busyMs: Math.max(0, Math.round(o.lockTimeoutMs)) }) : null;
  try {
    // Booting the thread (and TypeScript in it) takes a second or more: pay it now, not on the first write.
    await writer?.warm();
  } catch (err) {
    return failed('starting the writer thread of', err, writer);
  }
  return new Database(knex, target.dialect, label, writer);
}

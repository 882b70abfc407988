// How knex connects, per dialect: one SQLite connection (WAL, synchronous=FULL, a large page cache, no
// checkpoints on the event loop), or a pool of mysql2 connections (each with an error listener and the
// lock wait timeout). Also the builder-only knex that adapters build SQL with.
import knexFactory, { type Knex } from 'knex';
import type { SqliteDatabase } from './better-sqlite3.ts';
import type { MysqlConnection } from './mysql.ts';
import type { SqlDialect, SqlTarget } from './url.ts';

export interface ConnectOptions {
  lockTimeoutMs: number;
  connectTimeoutMs: number;
  poolSize: number;
  /** SQLite: writes run on the writer thread, which also checkpoints. */
  writerThread: boolean;
}

export function knexConfig(target: SqlTarget, o: ConnectOptions, report: (err: Error) => void): Knex.Config {
  const log = {
    warn() {}, // acquire errors and the like also reject the call that met them
    deprecate() {},
    debug() {},
    error(message: unknown) {
      report(message instanceof Error ? message : new Error(String(message)));
    },
  };
  if (target.dialect === 'sqlite') {
    const busy = Math.max(0, Math.round(o.lockTimeoutMs));
    return {
      client: 'better-sqlite3',
      connection: { filename: target.filename },
      useNullAsDefault: true,
      acquireConnectionTimeout: o.connectTimeoutMs,
      log,
      pool: {
        min: 1,
        max: 1,
        afterCreate(db: SqliteDatabase, done: (err: Error | null, db: SqliteDatabase) => void) {
          try {
            db.pragma(`busy_timeout = ${busy}`);
            const mode = db.pragma('journal_mode = WAL', { simple: true });
            if (mode !== 'wal' && target.filename !== ':memory:' && target.filename !== '') {
              throw new Error(`SQLite refused WAL mode (journal_mode is ${String(mode)})`);
            }
            // FULL in WAL mode: the WAL is synced at every commit, so a resolved append survives a power
            // cut. (NORMAL would only survive a process crash.)
            db.pragma('synchronous = FULL');
            // Each batch dirties a page per touched auction in the (auction_id, seq) index: a bigger page
            // cache and rarer checkpoints (each copies those pages back into the database file and syncs
            // it) roughly double append throughput. The WAL is truncated back after a checkpoint.
            db.pragma('cache_size = -65536');
            // Checkpoints run on the checkpointer thread (sqlite-writer-client.ts); never here, on the event loop.
            db.pragma(`wal_autocheckpoint = ${o.writerThread ? 0 : 10_000}`);
            db.pragma('journal_size_limit = 67108864');
            done(null, db);
          } catch (err) {
            done(err as Error, db);
          }
        },
      },
    };
  }
  const lockWaitSec = Math.max(1, Math.ceil(o.lockTimeoutMs / 1000));
  return {
    client: 'mysql2',
    connection: {
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database,
      charset: 'utf8mb4',
      connectTimeout: o.connectTimeoutMs,
      supportBigNumbers: true,
      bigNumberStrings: false,
      enableKeepAlive: true,
    },
    acquireConnectionTimeout: o.connectTimeoutMs,
    log,
    pool: {
      min: 0,
      max: o.poolSize,
      idleTimeoutMillis: 30_000,
      afterCreate(conn: MysqlConnection, done: (err: Error | null, conn: MysqlConnection) => void) {
        // knex marks a connection that emits 'error' as disposed; we also report it. Without a listener
        // an 'error' event would crash the process.
        conn.on('error', (err: Error) => report(err));
        conn.query(`SET SESSION innodb_lock_wait_timeout = ${lockWaitSec}`, (err: Error | null) => done(err, conn));
      },
    },
  };
}

/** A knex with no connection: it builds SQL for the dialect (toSQL) and cannot run any. */
export function sqlBuilder(dialect: SqlDialect): Knex {
  return knexFactory(dialect === 'sqlite' ? { client: 'better-sqlite3', useNullAsDefault: true } : { client: 'mysql2' });
}

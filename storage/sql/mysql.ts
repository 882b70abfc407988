// The slice of a mysql2 (callback API) connection the database drives directly: knex owns the pool, but
// its per-query overhead (binding rewrite, result shaping) is a large part of the journal's hot paths.
import { writeConflict, meets, type SqlWrite } from './write.ts';

export interface MysqlConnection {
  on(event: 'error', listener: (err: Error) => void): unknown;
  query(sql: string, cb: (err: Error | null) => void): unknown;
  query(sql: string, values: readonly unknown[], cb: (err: Error | null, result?: unknown) => void): unknown;
  query(options: { sql: string; values: readonly unknown[]; rowsAsArray: true }, cb: (err: Error | null, rows?: unknown) => void): unknown;
}

export function mysqlRows(conn: MysqlConnection, sql: string, values: readonly unknown[]): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    conn.query({ sql, values, rowsAsArray: true }, (err: Error | null, rows?: unknown) =>
      err ? reject(err) : resolve(rows as unknown[][]));
  });
}

/** A statement's result: rows for a read, an OkPacket ({affectedRows, ...}) for a write. */
export function mysqlQuery(conn: MysqlConnection, sql: string, values: readonly unknown[] = []): Promise<unknown> {
  return new Promise((resolve, reject) => {
    conn.query(sql, values, (err: Error | null, result?: unknown) => (err ? reject(err) : resolve(result)));
  });
}

export function mysqlRun(conn: MysqlConnection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    conn.query(sql, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

/** Tries of a write that InnoDB chose as a deadlock's victim. */
const DEADLOCK_ATTEMPTS = 3;

const isDeadlock = (err: unknown): boolean => (err as { errno?: unknown } | null)?.errno === 1213;

/**
 * One transaction on a pooled connection: START TRANSACTION, the statements with their expectations,
 * COMMIT. Anything that fails rolls back (on a dead connection the server has already done so). A
 * deadlock's victim was rolled back whole by the server, so it is run again (its expectations are checked
 * afresh); a lock wait timeout is not (it already waited its time). If the connection dies during COMMIT
 * itself the outcome is unknowable; keyed writes can simply be repeated.
 */
export async function mysqlWrite(conn: MysqlConnection, statements: readonly SqlWrite[]): Promise<number[]> {
  for (let i = 1; ; i++) {
    try {
      return await transaction(conn, statements);
    } catch (err) {
      if (!isDeadlock(err) || i >= DEADLOCK_ATTEMPTS) throw err;
    }
  }
}

async function transaction(conn: MysqlConnection, statements: readonly SqlWrite[]): Promise<number[]> {
  const counts = new Array<number>(statements.length);
  let inTransaction = false;
  try {
    await mysqlRun(conn, 'START TRANSACTION');
    inTransaction = true;
    for (let i = 0; i < statements.length; i++) {
      const { sql, params, expect } = statements[i];
      const rows = (await mysqlQuery(conn, sql, params) as { affectedRows: number }).affectedRows;
      if (expect !== undefined && !meets(rows, expect)) throw writeConflict(i, rows, expect);
      counts[i] = rows;
    }
    await mysqlRun(conn, 'COMMIT');
    inTransaction = false;
    return counts;
  } catch (err) {
    if (inTransaction) await mysqlRun(conn, 'ROLLBACK').catch(() => {});
    throw err;
  }
}

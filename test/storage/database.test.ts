// The SQL database handle's contract (storage/sql/database.ts), on SQLite writing on its writer thread,
// SQLite writing on the event loop, and MariaDB: write() is one transaction that reports each
// statement's affected rows the same way on both dialects, an unmet expectation rolls all of it back as
// a WriteConflictError, and on SQLite with a file no write waits on the event loop.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { StoreUnavailableError, WriteConflictError } from '../../storage/errors.ts';
import { SqlAccounts } from '../../storage/accounts/sql.ts';
import { betterSqlite3 } from '../../storage/sql/better-sqlite3.ts';
import { openSqlDatabase, type SqlDatabase, type SqlWrite } from '../../storage/sql/database.ts';
import { isDuplicateKey } from '../../storage/sql/errors.ts';
import { MARKET_TABLES } from '../../storage/sql/tables.ts';
import { statement } from '../../storage/sql/write.ts';
import { sqlDatabaseSubjects, tempSqlitePath } from '../helpers/stores.ts';

const C = MARKET_TABLES.outboxCursors; // (name PK, position, updated_at): a plain keyed table to write in
const tag = () => `db-${randomUUID().slice(0, 8)}`;

function rows(db: SqlDatabase, prefix: string) {
  return db.read<{ name: string; position: number }>(db.builder(C).select('name', 'position').where('name', 'like', `${prefix}%`).orderBy('name'));
}

for (const subject of sqlDatabaseSubjects()) {
  t.test(subject.name, async (t) => {
    const db = await subject.open(t);
    if (db === null) return;
    const q = db.builder;
    const insert = (name: string, position: number, expect?: SqlWrite['expect']) =>
      statement(q(C).insert({ name, position, updated_at: 0 }), expect);

    await t.test('one transaction; each statement\'s affected rows; an insert-if-absent of a present row counts 0', async (t) => {
      const p = tag();
      const counts = await db.write([
        insert(`${p}-a`, 1),
        insert(`${p}-b`, 1),
        statement(q(C).where('name', 'like', `${p}%`).update({ position: 2 })),
        statement(q(C).insert({ name: `${p}-a`, position: 9, updated_at: 0 }).onConflict('name').ignore()),
        statement(q(C).where('name', `${p}-none`).del()),
      ]);
      t.same(counts, [1, 1, 2, 0, 0]);
      t.same((await rows(db, p)).map((r) => [r.name, Number(r.position)]), [[`${p}-a`, 2], [`${p}-b`, 2]]);
      t.same(await db.write([]), [], 'an empty write is a no-op');
    });

    await t.test('an UPDATE counts the rows it matched, changed or not (the same on both dialects)', async (t) => {
      const p = tag();
      await db.write([insert(`${p}-a`, 5)]);
      t.same(await db.write([statement(q(C).where('name', `${p}-a`).update({ position: 5 }), { exactly: 1 })]), [1]);
    });

    await t.test('a statement that misses its expectation rolls back the whole write: WriteConflictError', async (t) => {
      const p = tag();
      await db.write([insert(`${p}-v`, 1)]);
      // A version check: move from 1 to 2 only if still at 1.
      const bump = (from: number) => statement(q(C).where({ name: `${p}-v`, position: from }).update({ position: from + 1 }), { exactly: 1 });
      t.same(await db.write([bump(1)]), [1]);
      const err = await db.write([insert(`${p}-w`, 1), bump(1)]).then(() => null, (e: unknown) => e);
      t.type(err, WriteConflictError, 'a stale version');
      t.match(err, { statement: 1, rows: 0 });
      t.same((await rows(db, p)).map((r) => [r.name, Number(r.position)]), [[`${p}-v`, 2]], 'nor is the first statement stored');
      // At least one: a debit that may not take a balance below zero.
      const debit = (n: number) => statement(q(C).where('name', `${p}-v`).where('position', '>=', n).decrement('position', n), { atLeast: 1 });
      t.same(await db.write([debit(2)]), [1]);
      await t.rejects(db.write([debit(1)]), WriteConflictError, 'an overdraft');
      t.same((await rows(db, p)).map((r) => Number(r.position)), [0]);
      // Insert-if-absent that must be new.
      await t.rejects(db.write([statement(q(C).insert({ name: `${p}-v`, position: 7, updated_at: 0 }).onConflict('name').ignore(), { exactly: 1 })]), WriteConflictError);
    });

    await t.test('any other failure rolls back the whole write and rejects with the driver\'s error', async (t) => {
      const p = tag();
      const err = await db.write([insert(`${p}-a`, 1), insert(`${p}-a`, 2)]).then(() => null, (e: unknown) => e);
      t.ok(isDuplicateKey(err), 'a duplicate key, as the driver reports it');
      t.same(await rows(db, p), [], 'nothing stored');
    });

    await t.test('reads: objects by column (SQL or a builder), or arrays in select order', async (t) => {
      const p = tag();
      await db.write([insert(`${p}-a`, 3)]);
      t.match(await db.read(`SELECT name, position FROM ${C} WHERE name = ?`, [`${p}-a`]), [{ name: `${p}-a`, position: 3 }]);
      t.match(await db.read(q(C).first('position').where('name', `${p}-a`)), [{ position: 3 }]);
      t.same(await db.rows(`SELECT name, position FROM ${C} WHERE name = ?`, [`${p}-a`]), [[`${p}-a`, 3]]);
      const each: unknown[][] = [];
      await db.eachRow(`SELECT position FROM ${C} WHERE name = ?`, [`${p}-a`], (r) => each.push(r));
      t.same(each, [[3]]);
      await t.rejects(q(C).select('name'), 'the builder runs nothing');
    });
  });
}

t.test('a closed database refuses every call with StoreUnavailableError', async (t) => {
  const db = await openSqlDatabase({ url: tempSqlitePath(t) });
  await db.close();
  await t.rejects(db.read('SELECT 1'), StoreUnavailableError);
  await t.rejects(db.write([{ sql: 'SELECT 1', params: [] }]), StoreUnavailableError);
  await t.rejects(db.ping(), StoreUnavailableError);
  t.equal(db.closed, true);
});

t.test('sqlite: a write waiting for the write lock leaves the event loop free (accounts included)', async (t) => {
  const file = tempSqlitePath(t);
  const db = await openSqlDatabase({ url: file, lockTimeoutMs: 300 });
  t.teardown(() => db.close());
  t.equal(db.writesOnThread, true);
  const locker = new (betterSqlite3())(file, { timeout: 0 });
  t.teardown(() => locker.close());
  const accounts = new SqlAccounts(db);
  const account = {
    id: randomUUID(), email: `${tag()}@example.com`, passwordHash: null, googleSubject: null, emailVerifiedAt: null, nickname: tag(),
    name: 'n', gender: null, ageBand: null, region: null, phone: null, preferredCategory: null, payoutAccount: null,
    role: 'USER' as const, status: 'ACTIVE' as const, createdAt: 0, updatedAt: 0, withdrawnAt: null,
  };
  locker.exec('BEGIN IMMEDIATE');
  // Count the event loop's turns while the writes wait out busy_timeout: on the event loop (better-sqlite3
  // waits synchronously) there would be none.
  let turns = 0;
  let waiting = true;
  const spin = () => {
    turns++;
    if (waiting) setImmediate(spin);
  };
  setImmediate(spin);
  const results = await Promise.allSettled([db.write([{ sql: `INSERT INTO ${C} (name, position, updated_at) VALUES (?, 1, 0)`, params: [tag()] }]), accounts.create(account)]);
  waiting = false;
  t.match(results, [{ status: 'rejected', reason: { code: 'SQLITE_BUSY' } }, { status: 'rejected', reason: StoreUnavailableError }], 'both waited for the lock, and gave up');
  t.ok(turns > 20, `the event loop turned ${turns} times meanwhile`);
  locker.exec('ROLLBACK');
  t.equal(await accounts.create(account), 'created', 'once the lock is free, the write goes through');
});

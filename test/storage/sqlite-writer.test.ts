// The SQLite writer thread's riders: writes (SqlDatabase.write) carried by the next journal append, in
// its transaction under a savepoint, so that they cost no commit of their own; their failure (or missed
// expectation) is theirs alone, an append's failure is theirs too, and with no append coming they go on
// their own.
import t from 'tap';
import { betterSqlite3 } from '../../storage/sql/better-sqlite3.ts';
import { WriteConflictError } from '../../storage/errors.ts';
import { openSqlDatabase } from '../../storage/sql/database.ts';
import { SqliteWriter } from '../../storage/sql/sqlite-writer-client.ts';
import type { SqlWrite } from '../../storage/sql/write.ts';
import type { BatchParams } from '../../storage/auction/sql-statements.ts';
import type { ServiceTest } from '../helpers/services.ts';
import { tempSqlitePath } from '../helpers/stores.ts';

/** A migrated database file with a side table for the riders, and a writer on it. */
async function setup(t: ServiceTest): Promise<{ writer: SqliteWriter; rows: (sql: string) => unknown[] }> {
  const file = tempSqlitePath(t);
  const db = await openSqlDatabase({ url: file, writerThread: false });
  await db.close();
  const raw = new (betterSqlite3())(file);
  raw.exec('CREATE TABLE side (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  raw.close();
  const writer = new SqliteWriter({ filename: file, busyMs: 2_000 });
  t.teardown(() => writer.close());
  const rows = (sql: string) => {
    const db = new (betterSqlite3())(file, { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };
  return { writer, rows };
}

const EMPTY: BatchParams = { events: [], eventRows: 0, replies: [], replyRows: 0, summaries: [], summaryRows: 0 };

/** One idempotency record (command_replies), the simplest row an append writes. */
function replyBatch(rid: string): BatchParams {
  return { ...EMPTY, replies: ['u1', rid, 'a1', '{"ok":true}', 1_000], replyRows: 1 };
}

/** Two events with the same (auction, seq): the append fails on the journal's unique key. */
function conflictingBatch(): BatchParams {
  const event = (pos: number) => ['a1', 1, 'created', 1_000, null, null, null, null, 0, null, 0, 2_000, 'PENDING', null, pos];
  return { ...EMPTY, events: [...event(1), ...event(2)], eventRows: 2 };
}

const insert = (k: string, v: number): SqlWrite => ({ sql: 'INSERT INTO side (k, v) VALUES (?, ?)', params: [k, v] });

t.test('while an append is in flight, statements ride the next one and commit with it', async (t) => {
  const { writer, rows } = await setup(t);
  await writer.warm();
  const first = writer.append(replyBatch('r1'));
  const rode = writer.write([insert('a', 1), insert('b', 2)]);
  const [, , counts] = await Promise.all([first, writer.append(replyBatch('r2')), rode]);
  t.same(counts, [1, 1], "each statement's affected rows");
  t.same(writer.stats, { rode: 1, alone: 0 }, 'carried by the append, not written alone');
  t.same(rows('SELECT k, v FROM side ORDER BY k'), [{ k: 'a', v: 1 }, { k: 'b', v: 2 }]);
  t.same(rows('SELECT rid FROM command_replies ORDER BY rid'), [{ rid: 'r1' }, { rid: 'r2' }]);
});

t.test('one rider per append, in the order they came', async (t) => {
  const { writer, rows } = await setup(t);
  await writer.warm();
  const inFlight = writer.append(replyBatch('r0'));
  const first = writer.write([insert('a', 1)]);
  const second = writer.write([{ sql: 'UPDATE side SET v = 2 WHERE k = ?', params: ['a'] }]);
  await Promise.all([inFlight, writer.append(replyBatch('r1')), writer.append(replyBatch('r2')), first, second]);
  t.same(writer.stats, { rode: 2, alone: 0 });
  t.same(rows('SELECT k, v FROM side'), [{ k: 'a', v: 2 }], 'the second ran after the first');
});

t.test("a rider's failure rolls back only the rider; the append commits", async (t) => {
  const { writer, rows } = await setup(t);
  await writer.warm();
  const inFlight = writer.append(replyBatch('r0'));
  // The first statement succeeds, the second breaks the key: the savepoint undoes both.
  const rider = writer.write([insert('a', 1), insert('a', 2)]);
  const append = writer.append(replyBatch('r1'));
  await t.rejects(rider, { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }, 'the driver error, as thrown in the thread');
  await t.resolves(Promise.all([inFlight, append]));
  t.equal(writer.stats.rode, 1);
  t.same(rows('SELECT * FROM side'), [], 'nothing of the rider is stored');
  t.same(rows('SELECT rid FROM command_replies ORDER BY rid'), [{ rid: 'r0' }, { rid: 'r1' }], 'the append is');
});

t.test('an append that fails fails its rider, and stores neither', async (t) => {
  const { writer, rows } = await setup(t);
  await writer.warm();
  const inFlight = writer.append(replyBatch('r0'));
  const rider = writer.write([insert('a', 1)]);
  const append = writer.append(conflictingBatch());
  await t.rejects(append, { code: 'SQLITE_CONSTRAINT_UNIQUE' });
  await t.rejects(rider, { code: 'SQLITE_CONSTRAINT_UNIQUE' });
  await inFlight;
  t.equal(writer.stats.rode, 1);
  t.same(rows('SELECT * FROM side'), []);
  t.same(rows('SELECT * FROM auction_events'), []);
});

t.test('a message the thread cannot take fails its append and its rider at once; the next append goes through', async (t) => {
  const { writer, rows } = await setup(t);
  await writer.warm();
  const inFlight = writer.append(replyBatch('r0'));
  // A binding structured clone cannot copy: postMessage throws, after the write was registered.
  const rider = writer.write([{ sql: 'INSERT INTO side (k, v) VALUES (?, ?)', params: ['a', () => 1] }]);
  const append = writer.append(replyBatch('r1'));
  // Bounded, so that a rider left waiting for an answer that never comes fails here rather than hangs.
  const within = <T>(p: Promise<T>) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('never settled')), 5_000).unref())]);
  await t.rejects(within(append), { name: 'DataCloneError' }, 'the append is refused');
  await t.rejects(within(rider), { name: 'DataCloneError' }, 'and so is its rider, not left waiting');
  await inFlight;
  await writer.append(replyBatch('r2'));
  t.same(rows('SELECT rid FROM command_replies ORDER BY rid'), [{ rid: 'r0' }, { rid: 'r2' }]);
  t.same(rows('SELECT * FROM side'), []);
});

t.test('with the journal idle, statements go on their own at once', async (t) => {
  const { writer, rows } = await setup(t);
  await writer.warm();
  await writer.write([insert('a', 1)]);
  t.same(writer.stats, { rode: 0, alone: 1 });
  t.same(rows('SELECT k, v FROM side'), [{ k: 'a', v: 1 }]);
  await t.rejects(writer.write([insert('a', 9)]), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }, 'a failure alone is reported too');
});

t.test('waiting behind an append with none after it, statements go on their own', async (t) => {
  const { writer, rows } = await setup(t);
  await writer.warm();
  const inFlight = writer.append(replyBatch('r0'));
  await writer.write([insert('a', 1)]);
  await inFlight;
  t.same(writer.stats, { rode: 0, alone: 1 });
  t.same(rows('SELECT k FROM side'), [{ k: 'a' }]);
});

t.test('close writes the statements still waiting for a ride', async (t) => {
  const { writer, rows } = await setup(t);
  await writer.warm();
  const inFlight = writer.append(replyBatch('r0'));
  const waiting = writer.write([insert('a', 1)]);
  await writer.close();
  await t.resolves(Promise.all([inFlight, waiting]));
  t.same(writer.stats, { rode: 0, alone: 1 });
  t.same(rows('SELECT k FROM side'), [{ k: 'a' }]);
});

const bump = (k: string, expect?: SqlWrite['expect']): SqlWrite => ({ sql: 'UPDATE side SET v = v + 1 WHERE k = ?', params: [k], ...(expect ? { expect } : {}) });

t.test("a rider that misses its expectation is rolled back alone, as a WriteConflictError; the append commits", async (t) => {
  const { writer, rows } = await setup(t);
  await writer.warm();
  await writer.write([insert('a', 1)]);
  const inFlight = writer.append(replyBatch('r0'));
  // The first statement takes; the second matches no row and expected one: the savepoint undoes both.
  const rider = writer.write([bump('a', { exactly: 1 }), bump('missing', { atLeast: 1 })]);
  const append = writer.append(replyBatch('r1'));
  const err = await rider.then(() => null, (e: unknown) => e);
  t.type(err, WriteConflictError);
  t.match(err, { statement: 1, rows: 0 }, 'which statement missed, and by how much');
  await t.resolves(Promise.all([inFlight, append]));
  t.equal(writer.stats.rode, 1);
  t.same(rows('SELECT k, v FROM side'), [{ k: 'a', v: 1 }], 'nothing of the rider is stored');
  t.same(rows('SELECT rid FROM command_replies ORDER BY rid'), [{ rid: 'r0' }, { rid: 'r1' }], 'the append is');
});

t.test('alone: each count comes back; a missed expectation rolls back the whole write', async (t) => {
  const { writer, rows } = await setup(t);
  await writer.warm();
  t.same(await writer.write([insert('a', 1), insert('b', 1), { sql: 'UPDATE side SET v = 5', params: [] }]), [1, 1, 2]);
  await t.rejects(writer.write([bump('a'), bump('b', { exactly: 2 })]), WriteConflictError);
  t.same(rows('SELECT k, v FROM side ORDER BY k'), [{ k: 'a', v: 5 }, { k: 'b', v: 5 }], 'the first statement undone too');
  t.same(await writer.write([bump('a', { exactly: 1 })]), [1]);
});

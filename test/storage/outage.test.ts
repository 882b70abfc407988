// When a store stops answering, a write rejects with StoreUnavailableError and stores nothing; when it
// comes back, the same batch goes through. The process never crashes on a client error.
import t, { type Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { betterSqlite3 } from '../../storage/sql/better-sqlite3.ts';
import { openRedisBoard } from '../../storage/auction/redis-board.ts';
import { StoreUnavailableError, type JournalBatch } from '../../storage/auction/ports.ts';
import { Chain, newUserId, replyFor, storedReply, T0, viewOf } from '../helpers/auctions.ts';
import { eventually, tcpProxy } from '../helpers/proxy.ts';
import { mariaDbDatabase, redisPrefix, requireRedis } from '../helpers/services.ts';
import { openSqlite, openSqlStore, tempSqlitePath, type SqlStore, type SqlStoreOptions } from '../helpers/stores.ts';

/** A fresh auction's first two events and a stray reply: what must be all stored, or none of it. */
function freshBatch(): { batch: JournalBatch; chain: Chain; stray: ReturnType<typeof storedReply> } {
  const chain = new Chain();
  chain.created();
  chain.opened();
  const stray = storedReply(newUserId(), `rid-${randomUUID()}`, T0 + 1);
  return { chain, stray, batch: { events: chain.events, replies: [...chain.events.map(replyFor), stray] } };
}

async function assertNothingStored(t: Test, store: SqlStore, f: ReturnType<typeof freshBatch>): Promise<void> {
  t.same(await store.read(f.chain.id), [], 'no event of the failed batch');
  t.equal(await store.summary(f.chain.id), null, 'no summary row of the failed batch');
  t.equal(await store.find({ by: f.stray.by, rid: f.stray.rid, auction: null }, 0), null, 'no reply of the failed batch');
}

async function assertAllStored(t: Test, store: SqlStore, f: ReturnType<typeof freshBatch>): Promise<void> {
  t.same(await store.read(f.chain.id), f.chain.events, 'the batch is stored');
  t.ok(await store.find({ by: f.stray.by, rid: f.stray.rid, auction: null }, 0), 'with its replies');
}

/** A store on a database of its own, with an admin connection to the same server. */
async function mariaDbStore(t: Test, options: Omit<SqlStoreOptions, 'url'> = {}) {
  let store: SqlStore | null = null;
  const db = await mariaDbDatabase(t, async () => store?.close());
  if (db === null) return null;
  store = await openSqlStore({ ...options, url: db.url });
  return { store, ...db };
}

t.test('sqlite: a write lock held elsewhere is StoreUnavailableError, then the batch goes through', async (t) => {
  const file = tempSqlitePath(t);
  const store = await openSqlStore({ url: file, lockTimeoutMs: 200 });
  t.teardown(() => store.close());
  const Database = betterSqlite3();
  const locker = new Database(file, { timeout: 0 });
  t.teardown(() => locker.close());

  const f = freshBatch();
  locker.exec('BEGIN EXCLUSIVE');
  const started = Date.now();
  await t.rejects(store.append(f.batch), StoreUnavailableError);
  t.ok(Date.now() - started >= 150, 'it waited for busy_timeout first');
  await assertNothingStored(t, store, f);
  locker.exec('ROLLBACK');

  await store.append(f.batch);
  await assertAllStored(t, store, f);
});

t.test('sqlite: a closed store rejects with StoreUnavailableError', async (t) => {
  const store = await openSqlite(t);
  await store.close();
  await t.rejects(store.append(freshBatch().batch), StoreUnavailableError);
  await t.rejects(store.read('x'), StoreUnavailableError);
  await t.rejects(store.ping(), StoreUnavailableError);
});

t.test('mariadb: the server going away is StoreUnavailableError, then the batch goes through', async (t) => {
  let store: SqlStore | null = null;
  const db = await mariaDbDatabase(t, async () => store?.close());
  if (db === null) return;
  const target = new URL(db.url);
  const proxy = await tcpProxy(target.hostname, Number(target.port || 3306));
  t.teardown(() => proxy.close());
  const via = new URL(db.url);
  via.hostname = '127.0.0.1';
  via.port = String(proxy.port);
  const errors: Error[] = [];
  store = await openSqlStore({ url: via.toString(), connectTimeoutMs: 1000, onError: (e) => errors.push(e) });
  await store.append(freshBatch().batch);

  proxy.down();
  const f = freshBatch();
  await t.rejects(store.append(f.batch), StoreUnavailableError, 'append');
  await t.rejects(store.ping(), StoreUnavailableError, 'ping');
  await t.rejects(store.read(f.chain.id), StoreUnavailableError, 'read');
  proxy.up();

  await eventually(() => (store as SqlStore).append(f.batch));
  await assertAllStored(t, store, f);
  await store.ping();
  t.comment(`client errors reported: ${errors.length}`);
});

t.test('mariadb: killed connections never crash the process; the pool reconnects', async (t) => {
  const errors: Error[] = [];
  const m = await mariaDbStore(t, { onError: (e) => errors.push(e) });
  if (m === null) return;
  const { store, admin, name } = m;
  await store.append(freshBatch().batch);
  const [rows] = (await admin.query('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [
    name,
  ])) as unknown as [{ ID: number }[]];
  t.ok(rows.length > 0, 'the store holds connections');
  for (const r of rows) await admin.query(`KILL ${Number(r.ID)}`);
  await new Promise((r) => setTimeout(r, 100));

  const f = freshBatch();
  try {
    await store.append(f.batch);
  } catch (err) {
    t.type(err, StoreUnavailableError, 'a write on a killed connection is StoreUnavailableError');
  }
  await eventually(async () => {
    if ((await store.read(f.chain.id)).length === 0) await store.append(f.batch);
  });
  await assertAllStored(t, store, f);
  t.comment(`client errors reported: ${errors.map((e) => (e as Error & { code?: string }).code ?? e.message).join(', ')}`);
});

t.test('mariadb: a lock wait timeout is StoreUnavailableError and rolls back the whole batch', async (t) => {
  const m = await mariaDbStore(t, { lockTimeoutMs: 1000 });
  if (m === null) return;
  const { store, admin, name } = m;

  const held = new Chain();
  held.created();
  await store.append({ events: held.events, replies: [] });
  held.opened();

  await admin.query('BEGIN');
  await admin.query(`SELECT * FROM \`${name}\`.auctions WHERE id = ? FOR UPDATE`, [held.id]);
  const f = freshBatch();
  // The fresh auction's rows go in first; the summary of `held` then waits on the lock and times out.
  const batch: JournalBatch = { events: [...f.batch.events, held.events[1]], replies: f.batch.replies };
  await t.rejects(store.append(batch), StoreUnavailableError);
  await admin.query('ROLLBACK');
  await assertNothingStored(t, store, f);
  t.same(await store.read(held.id), held.events.slice(0, 1), 'nor any other row of it');

  await store.append(batch);
  await assertAllStored(t, store, f);
  t.match(await store.summary(held.id), { status: 'OPEN', seq: 2 });
});

t.test('redis: the server going away is StoreUnavailableError, then the board catches up', async (t) => {
  const url = await requireRedis(t);
  if (url === null) return;
  const target = new URL(url);
  const proxy = await tcpProxy(target.hostname, Number(target.port || 6379));
  t.teardown(() => proxy.close());
  const errors: Error[] = [];
  let close: (() => Promise<void>) | null = null;
  const prefix = await redisPrefix(t, url, async () => close?.());
  const board = await openRedisBoard({ url: `redis://127.0.0.1:${proxy.port}`, prefix, commandTimeoutMs: 1000, onError: (e) => errors.push(e) });
  close = () => board.close();
  const id = new Chain().id;
  await board.put([viewOf(id, 3)]);

  proxy.down();
  await t.rejects(board.put([viewOf(id, 4)]), StoreUnavailableError, 'put');
  await t.rejects(board.get([id]), StoreUnavailableError, 'get');
  proxy.up();

  await eventually(() => board.put([viewOf(id, 5)]));
  t.equal((await board.get([id])).get(id)?.seq, 5);
  t.ok(errors.length > 0, 'the client reported its errors to onError instead of crashing');
});

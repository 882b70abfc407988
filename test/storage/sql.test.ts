// What the SQL adapter adds to the contracts: where it opens, how durable SQLite is, its migrations.
import t, { type Test } from 'tap';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { betterSqlite3 } from '../../storage/sql/better-sqlite3.ts';
import knexFactory from 'knex';
import { JournalConflictError } from '../../storage/auction/ports.ts';
import { MIGRATIONS, type SqlMigration } from '../../storage/sql/migrations/index.ts';
import { parseSqlUrl } from '../../storage/sql/url.ts';
import { TABLES } from '../../storage/sql/tables.ts';
import { Chain, replyFor } from '../helpers/auctions.ts';
import { openSqlStore, tempSqlitePath } from '../helpers/stores.ts';
import { mariaDbDatabase } from '../helpers/services.ts';

t.test('parseSqlUrl', async (t) => {
  t.same(parseSqlUrl('mysql://app:p%40ss@db.local:3307/okj'), {
    dialect: 'mysql', host: 'db.local', port: 3307, user: 'app', password: 'p@ss', database: 'okj',
  });
  t.match(parseSqlUrl('mariadb://root@127.0.0.1/test'), { dialect: 'mysql', port: 3306, user: 'root', password: '' });
  t.same(parseSqlUrl('./data/okj.db'), { dialect: 'sqlite', filename: './data/okj.db' });
  t.same(parseSqlUrl('sqlite:data/okj.db'), { dialect: 'sqlite', filename: 'data/okj.db' });
  t.same(parseSqlUrl('sqlite:///var/okj.db'), { dialect: 'sqlite', filename: '/var/okj.db' });
  t.throws(() => parseSqlUrl('mysql://root@127.0.0.1:3306/'), /names no database/);
  t.throws(() => parseSqlUrl('postgres://x/y'), /unsupported scheme/);
  t.throws(() => parseSqlUrl(''), /"url"/);
});

t.test('sqlite: creates its directory, runs in WAL with synchronous=FULL, migrates once', async (t) => {
  const file = tempSqlitePath(t);
  t.notOk(existsSync(path.dirname(file)));
  const store = await openSqlStore({ url: `sqlite:${file}`, lockTimeoutMs: 1234 });
  t.ok(existsSync(file), 'the file and its directory exist');
  const pragma = async (name: string) => (await store.db.rows(`PRAGMA ${name}`, []))[0][0];
  t.equal(await pragma('journal_mode'), 'wal');
  t.equal(await pragma('synchronous'), 2, 'FULL: durable at commit, not only at checkpoint');
  t.equal(await pragma('busy_timeout'), 1234);
  const c = new Chain();
  c.created();
  await store.append({ events: c.events, replies: c.events.map(replyFor) });
  await store.close();

  const again = await openSqlStore({ url: file });
  t.same(await again.read(c.id), c.events, 'reopening keeps the data and re-runs no migration');
  c.opened();
  await again.append({ events: c.events.slice(1), replies: [] });
  t.same((await again.after(0, 10)).map((p) => [p.pos, p.event.seq]), [[1, 1], [2, 2]], 'positions go on after the stored ones');
  await again.close();
  const raw = new (betterSqlite3())(file, { readonly: true });
  const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
  t.ok(Object.values(TABLES).every((n) => tables.includes(n)), 'every table exists');
  t.equal((raw.prepare('SELECT COUNT(*) AS n FROM okj_migrations').get() as { n: number }).n, MIGRATIONS.length);
  raw.close();
});

t.test('mariadb: tables are InnoDB, utf8mb4 with a binary collation, money and time BIGINT', async (t) => {
  let close: (() => Promise<void>) | null = null;
  const db = await mariaDbDatabase(t, async () => close?.());
  if (db === null) return;
  const store = await openSqlStore({ url: db.url });
  close = () => store.close();
  const [tables] = (await db.admin.query(
    'SELECT TABLE_NAME AS name, ENGINE AS engine, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
    [db.name],
  )) as unknown as [{ name: string; engine: string; collation: string }[]];
  for (const name of Object.values(TABLES)) {
    t.match(tables.find((x) => x.name === name), { engine: 'InnoDB', collation: 'utf8mb4_bin' }, name);
  }
  const [cols] = (await db.admin.query(
    'SELECT TABLE_NAME AS t, COLUMN_NAME AS c, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?',
    [db.name],
  )) as unknown as [{ t: string; c: string; type: string }[]];
  const type = (table: string, col: string) => cols.find((x) => x.t === table && x.c === col)?.type;
  for (const [table, col] of [[TABLES.events, 'price'], [TABLES.events, 'at'], [TABLES.auctions, 'price'], [TABLES.replies, 'at']]) {
    t.equal(type(table, col), 'bigint', `${table}.${col}`);
  }
  const [keys] = (await db.admin.query(
    "SELECT COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
    [db.name, TABLES.events],
  )) as unknown as [{ c: string }[]];
  t.same(keys.map((k) => k.c), ['auction_id', 'seq'], 'the journal is keyed by (auction_id, seq)');
});

/** A journal written before positions existed (migrations up to 0005), then migrated: numbered by time. */
async function positionsMigrated(t: Test, url: string): Promise<void> {
  const target = parseSqlUrl(url);
  if (target.dialect === 'sqlite') mkdirSync(path.dirname(target.filename), { recursive: true });
  const knex = knexFactory(target.dialect === 'sqlite'
    ? { client: 'better-sqlite3', connection: { filename: target.filename }, useNullAsDefault: true }
    : { client: 'mysql2', connection: { host: target.host, port: target.port, user: target.user, password: target.password, database: target.database } });
  const before = MIGRATIONS.filter((m) => m.name < '0006');
  const source = (list: readonly SqlMigration[]) => ({
    getMigrations: async () => [...list], getMigrationName: (m: SqlMigration) => m.name, getMigration: async (m: SqlMigration) => m,
  });
  try {
    await knex.migrate.latest({ migrationSource: source(before), tableName: 'okj_migrations' });
    const a = new Chain();
    const b = new Chain();
    a.created();
    b.created();
    a.opened();
    // Stored out of time order on purpose: b's event is the earliest.
    const rows = [a.events[1], a.events[0], { ...b.events[0], at: a.events[0].at - 10 }].map((e) => ({
      auction_id: e.auction, seq: e.seq, type: e.type, at: e.at, by_user: e.by, rid: e.rid, amount: e.amount, max_amount: e.max,
      price: e.price, leader: e.leader, leader_max: e.leaderMax, ends_at: e.endsAt, status: e.status, spec: e.spec ? JSON.stringify(e.spec) : null,
    }));
    await knex(TABLES.events).insert(rows);
    await knex.migrate.latest({ migrationSource: source(MIGRATIONS), tableName: 'okj_migrations' });
    await knex.destroy();
    const store = await openSqlStore({ url });
    t.teardown(() => store.close());
    t.same((await store.after(0, 10)).map((p) => [p.pos, p.event.auction, p.event.seq]), [[1, b.id, 1], [2, a.id, 1], [3, a.id, 2]], 'numbered in time order');
    t.same(await store.read(a.id), a.events, 'the events themselves unchanged');
    a.bid('bidder', 10_000);
    await store.append({ events: [a.events[2]], replies: [] });
    t.same((await store.after(3, 10)).map((p) => p.pos), [4], 'new events go on from there');
    await t.rejects(store.append({ events: [a.events[2]], replies: [] }), JournalConflictError, '(auction, seq) is still unique');
  } finally {
    await knex.destroy();
  }
}

t.test('sqlite: journal positions migrate an existing journal', async (t) => {
  await positionsMigrated(t, tempSqlitePath(t));
});

t.test('mariadb: journal positions migrate an existing journal', async (t) => {
  // The store opened inside closes at its own teardown, which runs before the database is dropped.
  const db = await mariaDbDatabase(t, async () => {});
  if (db === null) return;
  await positionsMigrated(t, db.url);
});

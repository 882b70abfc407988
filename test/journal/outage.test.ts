// The store stops answering under the running service: bids get STORE_UNAVAILABLE, nothing is
// acknowledged that is not stored, and bidding resumes by itself when the store returns.
// SQLite: another connection holds an exclusive lock. MariaDB: a TCP proxy in front of it goes down.
import t, { type Test } from 'tap';
import { isDeepStrictEqual } from 'node:util';
import { minNext, replay, systemClock, type Reply } from '../../engine/index.ts';
import { AuctionService } from '../../app/auction/service.ts';
import { MemoryBoard } from '../../storage/auction/memory-board.ts';
import { betterSqlite3 } from '../../storage/sql/better-sqlite3.ts';
import { openSqlStore, type SqlStore } from '../helpers/stores.ts';
import { eventually, tcpProxy } from '../helpers/proxy.ts';
import { mariaDbDatabase } from '../helpers/services.ts';
import { tempSqlitePath } from '../helpers/stores.ts';

interface Outage {
  store: SqlStore;
  down(): void;
  up(): void;
}

async function sqliteOutage(t: Test): Promise<Outage> {
  const file = tempSqlitePath(t);
  const store = await openSqlStore({ url: file, lockTimeoutMs: 200 });
  const Database = betterSqlite3();
  const locker = new Database(file);
  t.teardown(() => locker.close());
  return { store, down: () => locker.exec('BEGIN EXCLUSIVE'), up: () => locker.exec('ROLLBACK') };
}

async function mariaDbOutage(t: Test): Promise<Outage | null> {
  const db = await mariaDbDatabase(t);
  if (db === null) return null;
  const real = new URL(db.url);
  const proxy = await tcpProxy(real.hostname, Number(real.port || 3306));
  t.teardown(() => proxy.close());
  const via = new URL(db.url);
  via.port = String(proxy.port);
  const store = await openSqlStore({ url: via.toString(), lockTimeoutMs: 500, connectTimeoutMs: 1000 });
  return { store, down: () => proxy.down(), up: () => proxy.up() };
}

for (const [name, open] of [['sqlite', sqliteOutage], ['mariadb', mariaDbOutage]] as const) {
  t.test(`${name}: a store outage refuses bids, acknowledges nothing unstored, and heals by itself`, async (t) => {
    const o = await open(t);
    if (o === null) return;
    const { store } = o;
    const svc = new AuctionService({
      clock: systemClock, journal: store, idempotency: store, snapshots: store, board: new MemoryBoard(), reloadEveryMs: 100,
    });
    t.teardown(async () => { await svc.shutdown(); await store.close(); });
    const now = Date.now();
    const id = `outage-${name}-${now}`;
    const spec = {
      id, sellerId: 'seller', productId: 'p', startPrice: 1000, bidUnit: 10, buyNowPrice: null, reservePrice: null,
      startsAt: now - 1000, endsAt: now + 3_600_000, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 },
    };
    t.equal((await svc.createAsync(spec, 'seller', 'c')).ok, true);
    t.equal((await svc.submitAsync({ t: 'open', auction: id, rid: 'o', by: 'seller', role: 'user' })).ok, true);
    const bid = (rid: string, by: string, amount: number) => svc.submitAsync({ t: 'bid', auction: id, rid, by, amount });
    const before = await bid('before', 'ann', 1000);
    t.equal(before.ok, true, 'a bid is acknowledged while the store answers');

    o.down();
    const during: { rid: string; reply: Reply }[] = [];
    await Promise.all(Array.from({ length: 10 }, (_, i) =>
      bid(`down-${i}`, 'bob', 1010 + i * 10).then((reply) => during.push({ rid: `down-${i}`, reply }))));
    t.ok(during.every((d) => !d.reply.ok && d.reply.code === 'STORE_UNAVAILABLE'), 'every bid during the outage gets STORE_UNAVAILABLE');
    const again = await bid('down-late', 'cho', 5000);
    t.match(again, { ok: false, code: 'STORE_UNAVAILABLE' }, 'and so does the next one, while the auction waits to be rebuilt');

    o.up();
    let n = 0;
    const healed = await eventually(async () => {
      const s = svc.registry.get(id)?.state;
      if (s === undefined) throw new Error('not rebuilt yet');
      const r = await bid(`up-${n++}`, 'dan', minNext(s));
      if (!r.ok) throw new Error(r.code);
      return r;
    }, 15_000, 100);
    t.equal(healed.ok, true, 'bidding resumed by itself');

    const events = await store.read(id);
    const rids = new Set(events.map((e) => e.rid));
    t.ok(rids.has('before'), 'the bid acknowledged before the outage is journaled');
    t.ok(during.every((d) => !rids.has(d.rid)) && !rids.has('down-late'), 'no refused bid is journaled');
    t.ok(events.every((e, i) => e.seq === i + 1), 'seq has no gaps');
    const live = svc.registry.get(id)!.state;
    t.ok(isDeepStrictEqual(replay(events), live), 'the rebuilt actor equals a replay of the journal');
    const retry = await bid('down-0', 'bob', minNext(live));
    t.equal(retry.ok, true, 'a refused rid is decided afresh when retried');
  });
}

// Past the in-memory bound, a retry's first reply comes from the store: nothing applies twice.
import t, { type Test } from 'tap';
import { RecentReplies, systemClock } from '../../engine/index.ts';
import { AuctionService } from '../../app/auction/service.ts';
import { MemoryBoard } from '../../storage/auction/memory-board.ts';
import { MemoryJournal } from '../../storage/auction/memory-journal.ts';
import { MemorySnapshots } from '../../storage/auction/memory-snapshots.ts';
import { StoreUnavailableError, type BidJournal, type IdempotencyStore, type SnapshotStore } from '../../storage/auction/ports.ts';
import { openSqlite } from '../helpers/stores.ts';

type Stores = { j: BidJournal & IdempotencyStore; s: SnapshotStore };
const subjects: [string, (t: Test) => Promise<Stores>][] = [
  ['memory', async () => ({ j: new MemoryJournal(), s: new MemorySnapshots() })],
  ['sqlite', async (t) => { const store = await openSqlite(t); return { j: store, s: store }; }],
];

for (const [name, open] of subjects) {
  t.test(`${name}: a retry older than the in-memory table is answered from the store`, async (t) => {
    const { j, s } = await open(t);
    const replies = new RecentReplies({ maxEntries: 32 });
    const svc = new AuctionService({ clock: systemClock, journal: j, idempotency: j, snapshots: s, board: new MemoryBoard(), replies });
    t.teardown(() => svc.shutdown());
    const now = Date.now();
    const id = `idem-${now}`;
    const spec = {
      id, sellerId: 'seller', productId: 'p', startPrice: 1000, bidUnit: 10, buyNowPrice: null, reservePrice: null,
      startsAt: now - 1000, endsAt: now + 3_600_000, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 },
    };
    await svc.createAsync(spec, 'seller', 'c');
    await svc.submitAsync({ t: 'open', auction: id, rid: 'o', by: 'seller', role: 'user' });
    const first = await svc.submitAsync({ t: 'bid', auction: id, rid: 'first', by: 'ann', amount: 1000 });
    t.equal(first.ok, true);
    for (let i = 0; i < 100; i++) {
      const r = await svc.submitAsync({ t: 'bid', auction: id, rid: `b${i}`, by: `u${i % 3}`, amount: 1010 + i * 10 });
      t.equal(r.ok, true, `bid ${i}`);
    }
    t.ok(replies.mayHaveEvicted(Date.now()), 'the in-memory table has dropped replies younger than 24 hours');
    t.equal(replies.get('ann', 'first', Date.now()), undefined, 'and the first bid\'s reply is no longer in memory');
    const seq = svc.registry.get(id)!.state.seq;
    const again = await svc.submitAsync({ t: 'bid', auction: id, rid: 'first', by: 'ann', amount: 1000 });
    t.same(again, first, 'the retry gets the first reply from the store');
    t.equal(svc.registry.get(id)!.state.seq, seq, 'and applies nothing');
    const fresh = await svc.submitAsync({ t: 'bid', auction: id, rid: 'fresh', by: 'ann', amount: svc.registry.get(id)!.state.price + 10 });
    t.equal(fresh.ok, true, 'a new rid still goes through the pre-check and is applied');
  });
}

t.test('a commit that succeeded but reported failure is not applied twice on retry', async (t) => {
  const inner = new MemoryJournal();
  let lieOnce = false;
  // What a connection lost during COMMIT looks like: the batch is durable, the caller hears an error.
  const journal = Object.assign(Object.create(inner) as MemoryJournal, {
    async append(batch: Parameters<MemoryJournal['append']>[0]) {
      await inner.append(batch);
      if (lieOnce) {
        lieOnce = false;
        throw new StoreUnavailableError('connection lost during COMMIT');
      }
    },
  });
  const svc = new AuctionService({
    clock: systemClock, journal, idempotency: inner, snapshots: new MemorySnapshots(), board: new MemoryBoard(), reloadEveryMs: 20,
  });
  t.teardown(() => svc.shutdown());
  const now = Date.now();
  const id = `unsure-${now}`;
  await svc.createAsync({
    id, sellerId: 'seller', productId: 'p', startPrice: 1000, bidUnit: 10, buyNowPrice: null, reservePrice: null,
    startsAt: now - 1000, endsAt: now + 3_600_000, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 },
  }, 'seller', 'c');
  await svc.submitAsync({ t: 'open', auction: id, rid: 'o', by: 'seller', role: 'user' });
  lieOnce = true;
  const heard = await svc.submitAsync({ t: 'bid', auction: id, rid: 'x', by: 'ann', amount: 1000 });
  t.match(heard, { ok: false, code: 'STORE_UNAVAILABLE' }, 'the bidder hears the failure');
  const stored = (await inner.read(id)).filter((e) => e.rid === 'x');
  t.equal(stored.length, 1, 'yet the bid is durable');
  let retry = heard;
  for (let i = 0; i < 50 && !retry.ok; i++) {
    await new Promise((r) => setTimeout(r, 20));
    retry = await svc.submitAsync({ t: 'bid', auction: id, rid: 'x', by: 'ann', amount: 1000 });
  }
  t.match(retry, { ok: true, seq: stored[0].seq }, 'the retry gets the durable first reply');
  t.equal((await inner.read(id)).filter((e) => e.rid === 'x').length, 1, 'and nothing applied twice');
});

// The SnapshotStore contract, run against every adapter: memory, SQLite, MariaDB.
import t from 'tap';
import type { AuctionState } from '../../engine/index.ts';
import { newAuctionId, stateOf, T0 } from '../helpers/auctions.ts';
import { snapshotSubjects } from '../helpers/stores.ts';

for (const subject of snapshotSubjects()) {
  t.test(subject.name, async (t) => {
    const store = await subject.open(t);
    if (store === null) return;

    await t.test('a state round-trips whole, participants as a Set in first-bid order', async (t) => {
      const id = newAuctionId();
      const s = stateOf(id, 7, {
        winner: '낙찰자-😀', closedAt: T0 + 5, status: 'SOLD', price: 1_000_000_000_000,
        spec: { ...stateOf(id, 7).spec, reservePrice: 50_000, bidUnit: null, softClose: { windowMs: 1, extendMs: 2, maxExtensions: null } },
      });
      await store.put([s]);
      const got = (await store.get([id])).get(id) as AuctionState;
      t.same(got, s);
      t.type(got.participants, Set);
      t.same([...got.participants], ['bidder-c', 'bidder-a', 'bidder-b'], 'order kept');
      t.equal(got.spec.softClose.maxExtensions, null);
    });

    await t.test('a state never replaces a newer one', async (t) => {
      const id = newAuctionId();
      await store.put([stateOf(id, 5)]);
      await store.put([stateOf(id, 3)]);
      t.equal((await store.get([id])).get(id)?.seq, 5, 'an older state is ignored');
      await store.put([stateOf(id, 5, { price: 1 })]);
      t.not((await store.get([id])).get(id)?.price, 1, 'the same seq does not replace');
      await store.put([stateOf(id, 9, { price: 77_000 })]);
      t.match((await store.get([id])).get(id), { seq: 9, price: 77_000 }, 'a newer state does');
      const other = newAuctionId();
      await store.put([stateOf(other, 4), stateOf(other, 8), stateOf(other, 6)]);
      t.equal((await store.get([other])).get(other)?.seq, 8, 'the newest of one put wins');
    });

    await t.test('get returns only the ids it has, for many ids at once', async (t) => {
      const ids = Array.from({ length: 1200 }, () => newAuctionId());
      await store.put(ids.filter((_, i) => i % 3 !== 0).map((id, i) => stateOf(id, 3 + (i % 5))));
      const unknown = newAuctionId();
      const got = await store.get([...ids, unknown, ids[1]]);
      t.equal(got.size, 800);
      t.notOk(got.has(unknown));
      t.notOk(got.has(ids[0]));
      t.ok(ids.filter((_, i) => i % 3 !== 0).every((id) => got.get(id)?.spec.id === id));
      t.same((await store.get([])).size, 0);
      await store.put([]);
    });

    await t.test('what a caller gets back is a copy', async (t) => {
      const id = newAuctionId();
      const s = stateOf(id, 4);
      await store.put([s]);
      s.participants.add('late');
      s.spec.productId = 'changed';
      const got = (await store.get([id])).get(id) as AuctionState;
      t.notOk(got.participants.has('late'));
      t.not(got.spec.productId, 'changed');
      got.participants.add('later');
      t.notOk((await store.get([id])).get(id)?.participants.has('later'));
    });
  });
}

// The AuctionBoard contract, run against every adapter: memory, Redis.
import t from 'tap';
import { newAuctionId, viewOf } from '../helpers/auctions.ts';
import { boardSubjects } from '../helpers/stores.ts';

for (const subject of boardSubjects()) {
  t.test(subject.name, async (t) => {
    const board = await subject.open(t);
    if (board === null) return;

    await t.test('a view round-trips whole', async (t) => {
      const id = newAuctionId();
      const v = viewOf(id, 5, { leader: null, buyNowPrice: 1_000_000_000_000, reserveMet: false, status: 'PENDING' });
      await board.put([v]);
      t.same((await board.get([id])).get(id), v);
    });

    await t.test('a view never replaces a newer one', async (t) => {
      const id = newAuctionId();
      await board.put([viewOf(id, 6)]);
      await board.put([viewOf(id, 4)]);
      t.equal((await board.get([id])).get(id)?.seq, 6, 'an older view is ignored');
      await board.put([viewOf(id, 6, { price: 1 })]);
      t.not((await board.get([id])).get(id)?.price, 1, 'the same seq does not replace');
      await board.put([viewOf(id, 8, { status: 'SOLD' })]);
      t.match((await board.get([id])).get(id), { seq: 8, status: 'SOLD' }, 'a newer view does');
      const other = newAuctionId();
      await board.put([viewOf(other, 3), viewOf(other, 9), viewOf(other, 5)]);
      t.equal((await board.get([other])).get(other)?.seq, 9, 'the newest of one put wins');
    });

    await t.test('many views in one put, get returns only the ids it has', async (t) => {
      const ids = Array.from({ length: 2000 }, () => newAuctionId());
      await board.put(ids.slice(0, 1500).map((id, i) => viewOf(id, 3 + (i % 7))));
      const got = await board.get([...ids, ids[0]]);
      t.equal(got.size, 1500);
      t.notOk(got.has(ids[1999]));
      t.ok(ids.slice(0, 1500).every((id, i) => got.get(id)?.seq === 3 + (i % 7)));
      t.equal((await board.get([])).size, 0);
      await board.put([]);
    });

    await t.test('what a caller gets back is a copy', async (t) => {
      const id = newAuctionId();
      const v = viewOf(id, 4);
      await board.put([v]);
      v.price = 1;
      const got = (await board.get([id])).get(id);
      t.not(got?.price, 1);
    });

    await t.test('ping answers while open', async (t) => {
      await board.ping();
      t.pass();
    });
  });
}

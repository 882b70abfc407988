// The Orders contract, run against every adapter: memory, SQLite (writing on its writer thread), SQLite
// writing on the event loop, MariaDB. Orders come from a close's projection (Listings.project).
import t from 'tap';
import { closedAuction, emptyProjection, marketSubjects } from '../helpers/market.ts';

for (const subject of marketSubjects()) {
  t.test(subject.name, async (t) => {
    const ports = await subject.open(t);
    if (ports === null) return;
    const { orders: store, listings } = ports;

    await t.test('a close leaves one order, also when re-run; buyer and seller both see it', async (t) => {
      const { chain, closedAt, settlement } = await closedAuction(listings);
      await listings.project({ ...emptyProjection(), closes: [settlement] });
      await listings.project({ ...emptyProjection(), closes: [settlement] }); // a re-run after a crash
      const orders = (await store.ordersOf('bob', 100)).filter((o) => o.auctionId === chain.id);
      t.equal(orders.length, 1, 'one order');
      t.match(orders[0], { buyerId: 'bob', sellerId: chain.spec.sellerId, amount: 11_000, status: 'AWAITING_PAYMENT', payBy: closedAt + 72 * 3_600_000 });
      t.same(await store.order(orders[0].id), orders[0]);
      t.same((await store.ordersOf(chain.spec.sellerId, 100)).map((o) => o.id), [orders[0].id], 'the seller sees it too');
      t.same((await store.ordersOf('alice', 100)).filter((o) => o.auctionId === chain.id), [], 'a loser has none');
      t.equal(await store.order('no-such-order'), null);
    });

    await t.test('newest first, at most `limit`', async (t) => {
      const first = await closedAuction(listings);
      const second = await closedAuction(listings);
      for (const c of [first, second]) await listings.project({ ...emptyProjection(), closes: [c.settlement] });
      const mine = new Set([first.chain.id, second.chain.id]);
      const listed = (await store.ordersOf('bob', 1_000)).filter((o) => mine.has(o.auctionId));
      t.equal(listed.length, 2);
      t.ok(listed[0].createdAt >= listed[1].createdAt, 'newest first');
      t.equal((await store.ordersOf('bob', 1)).length, 1);
    });
  });
}

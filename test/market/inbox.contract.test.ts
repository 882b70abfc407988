// The Inbox contract, run against every adapter: memory, SQLite (writing on its writer thread), SQLite
// writing on the event loop, MariaDB. Inbox rows come from a close's projection (Listings.project).
import t from 'tap';
import { T0 } from '../helpers/auctions.ts';
import { closedAuction, emptyProjection, marketSubjects } from '../helpers/market.ts';

for (const subject of marketSubjects()) {
  t.test(subject.name, async (t) => {
    const ports = await subject.open(t);
    if (ports === null) return;
    const { inbox: store, listings, orders } = ports;

    await t.test('a close leaves a row for everyone involved, once; only its owner reads or deletes it', async (t) => {
      const { chain, settlement } = await closedAuction(listings);
      await listings.project({ ...emptyProjection(), closes: [settlement] });
      await listings.project({ ...emptyProjection(), closes: [settlement] }); // a re-run after a crash
      const [order] = (await orders.ordersOf('bob', 100)).filter((o) => o.auctionId === chain.id);
      t.match((await store.inbox('bob', 100)).filter((i) => i.auctionId === chain.id), [{ kind: 'won', orderId: order.id, readAt: null }]);
      const alices = (await store.inbox('alice', 100)).filter((i) => i.auctionId === chain.id);
      t.match(alices, [{ kind: 'lost', orderId: null }]);
      t.match((await store.inbox(chain.spec.sellerId, 100)).filter((i) => i.auctionId === chain.id), [{ kind: 'sold' }]);
      t.equal(await store.readInbox('bob', alices[0].id, T0), false, "another's item is not there");
      t.equal(await store.deleteInbox('bob', alices[0].id), false);
      t.equal(await store.readInbox('alice', alices[0].id, T0 + 5), true);
      t.equal(await store.readInbox('alice', alices[0].id, T0 + 9), true);
      t.equal((await store.inbox('alice', 100)).find((i) => i.id === alices[0].id)?.readAt, T0 + 5, 'the first read time stays');
      t.equal(await store.deleteInbox('alice', alices[0].id), true);
      t.equal((await store.inbox('alice', 100)).some((i) => i.id === alices[0].id), false);
      t.equal(await store.readInbox('alice', alices[0].id, T0 + 10), false, 'a deleted item is not there');
      t.equal(await store.deleteInbox('alice', alices[0].id), false);
    });
  });
}

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

    await t.test("another domain's items (chat) are added once by id", async (t) => {
      const item = { id: 'chat:room-1:carol', userId: 'carol', auctionId: 'a-1', kind: 'chat' as const, price: 0, orderId: null, createdAt: T0, readAt: null };
      await store.addInbox([item]);
      await store.addInbox([{ ...item, createdAt: T0 + 5 }]);
      await store.addInbox([]);
      t.same(await store.inbox('carol', 10), [item], 'the first stays');
      t.equal(await store.deleteInbox('carol', item.id), true);
      await store.addInbox([{ ...item, createdAt: T0 + 9 }]);
      t.match(await store.inbox('carol', 10), [{ id: item.id, createdAt: T0 + 9 }], 'raised again once deleted');
    });
  });
}

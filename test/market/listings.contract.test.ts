// The Listings contract (projection, details, search, bidders, views), run against every adapter:
// memory, SQLite (writing on its writer thread), SQLite writing on the event loop, MariaDB.
import t from 'tap';
import type { ListingQuery } from '../../engine/market/model.ts';
import { sortValue } from '../../engine/market/rules.ts';
import { MemoryMarket } from '../../storage/market/memory.ts';
import { T0 } from '../helpers/auctions.ts';
import { closedAuction, emptyProjection as empty, facts, marketSubjects, tag } from '../helpers/market.ts';

for (const subject of marketSubjects()) {
  t.test(subject.name, async (t) => {
    const ports = await subject.open(t);
    if (ports === null) return;
    const { listings: store, catalogue } = ports;

    await t.test('facts never go back to an older seq; meta and facts fill one row', async (t) => {
      const id = `a-${tag()}`;
      await store.project({ ...empty(), facts: [facts(id, 3, { price: 13_000, bidCount: 2 })] });
      await store.project({ ...empty(), facts: [facts(id, 2, { price: 12_000 })] });
      t.match(await store.listing(id), { seq: 3, price: 13_000, bidCount: 2, title: '', closeRecorded: false });
      await store.putMeta({ id, sellerId: 'seller-x', productId: 'product-x', title: 'Radio', categoryId: 'audio', tags: ['vintage', 'radio'], createdAt: T0 });
      await store.project({ ...empty(), facts: [facts(id, 4, { price: 14_000, status: 'SOLD' })] });
      t.match(await store.listing(id), { seq: 4, price: 14_000, status: 'SOLD', title: 'Radio', categoryId: 'audio', tags: ['vintage', 'radio'], views: 0, wishes: 0 });
      await store.putMeta({ id, sellerId: 'seller-x', productId: 'product-x', title: 'Radio', categoryId: 'audio', tags: ['radio'], createdAt: T0 });
      t.same((await store.listing(id))?.tags, ['radio'], 'tags replaced');
      t.equal(await store.listing(`a-${tag()}`), null);
    });

    await t.test('search: filters, every sort, cursor paging without gaps or repeats', async (t) => {
      const seller = `s-${tag()}`;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const id = `a-${tag()}-${i}`;
        ids.push(id);
        await store.putMeta({ id, sellerId: seller, productId: 'p', title: i % 2 === 0 ? `Camera ${i}` : `Lens ${i}`, categoryId: i < 4 ? 'cam' : 'lens', tags: i % 3 === 0 ? ['film'] : [], createdAt: T0 + (i * 37) % 5 });
        await store.project({ ...empty(), facts: [facts(id, 2, { sellerId: seller, price: 10_000 + (i % 3) * 1000, endsAt: T0 + 1000 + (i % 2) * 10, bidCount: i, status: i === 6 ? 'SOLD' : 'OPEN' })] });
      }
      await store.addViews(new Map([[ids[1], 5], [ids[2], 1]]));
      await catalogue.wish(`w-${tag()}`, ids[3], T0);
      const base: ListingQuery = { statuses: ['OPEN'], sellerId: seller, sort: 'ending', limit: 100 };
      t.equal((await store.search(base)).length, 6, 'status filter');
      t.same((await store.search({ ...base, categoryIds: ['lens'] })).map((l) => l.id).sort(), [ids[4], ids[5]].sort());
      t.same((await store.search({ ...base, tag: 'film' })).map((l) => l.id).sort(), [ids[0], ids[3]].sort());
      t.same((await store.search({ ...base, text: 'CAMERA' })).map((l) => l.id).sort(), [ids[0], ids[2], ids[4]].sort());
      t.same((await store.search({ ...base, minPrice: 12_000 })).map((l) => l.id).sort(), [ids[2], ids[5]].sort());
      t.same((await store.search({ ...base, maxPrice: 10_000 })).map((l) => l.id).sort(), [ids[0], ids[3]].sort());
      const oracle = new MemoryMarket();
      for (const l of (await store.listings(ids)).values()) {
        await oracle.putMeta({ id: l.id, sellerId: l.sellerId, productId: l.productId, title: l.title, categoryId: l.categoryId, tags: l.tags, createdAt: l.createdAt });
        await oracle.project({ ...empty(), facts: [l] });
        await oracle.addViews(new Map([[l.id, l.views]]));
        for (let w = 0; w < l.wishes; w++) await oracle.wish(`w-${w}`, l.id, T0);
      }
      for (const sort of ['ending', 'newest', 'price_asc', 'price_desc', 'popular'] as const) {
        const all = await store.search({ ...base, sort });
        t.same(all.map((l) => l.id), (await oracle.search({ ...base, sort })).map((l) => l.id), `${sort}: same order as the reference`);
        const paged: string[] = [];
        let after: ListingQuery['after'];
        for (let guard = 0; guard < 10; guard++) {
          const page = await store.search({ ...base, sort, limit: 2, after });
          paged.push(...page.map((l) => l.id));
          if (page.length < 2) break;
          const last = page[page.length - 1];
          after = { value: sortValue(last, sort), id: last.id };
        }
        t.same(paged, all.map((l) => l.id), `${sort}: pages join up`);
      }
    });

    await t.test('search: % and _ in the words are matched literally', async (t) => {
      const seller = `s-${tag()}`;
      const titles = ['100% cotton', '1000 cotton', 'snake_case book', 'snakes and ladders', 'wow! 50% off', 'wow 50 off', 'back\\slash'];
      for (const [i, title] of titles.entries()) {
        const id = `a-${tag()}-${i}`;
        await store.putMeta({ id, sellerId: seller, productId: 'p', title, categoryId: null, tags: [], createdAt: T0 });
        await store.project({ ...empty(), facts: [facts(id, 2, { sellerId: seller })] });
      }
      const found = async (text: string) => (await store.search({ statuses: ['OPEN'], sellerId: seller, sort: 'ending', limit: 100, text })).map((l) => l.title).sort();
      t.same(await found('100%'), ['100% cotton'], '% is not a wildcard');
      t.same(await found('snake_'), ['snake_case book'], '_ is not a wildcard');
      t.same(await found('!'), ['wow! 50% off'], 'nor is the escape character itself special');
      t.same(await found('! 50%'), ['wow! 50% off']);
      t.same(await found('k\\s'), ['back\\slash'], 'a backslash is an ordinary character');
      t.same(await found('COTTON'), ['1000 cotton', '100% cotton'].sort(), 'case-insensitive as before');
    });

    await t.test('addMeta: a new listing\'s details, inserted only if absent; unlisted until it has facts', async (t) => {
      const seller = `s-${tag()}`;
      const id = `a-${tag()}`;
      const first = { id, sellerId: seller, productId: 'p1', title: 'First', categoryId: 'cam', tags: ['film'], createdAt: T0 };
      await store.addMeta(first);
      await store.addMeta({ ...first, productId: 'p2', title: 'Second', categoryId: 'lens', tags: ['digital'], createdAt: T0 + 5 });
      t.match(await store.listing(id), { seq: 0, productId: 'p1', title: 'First', categoryId: 'cam', tags: ['film'], createdAt: T0 }, 'a second add never overwrites');
      const q: ListingQuery = { statuses: ['PENDING', 'OPEN', 'SOLD', 'UNSOLD', 'CANCELED'], sellerId: seller, sort: 'newest', limit: 10 };
      t.same(await store.search(q), [], 'details without facts (a create that may have failed) are listed nowhere');
      await store.project({ ...empty(), facts: [facts(id, 1, { sellerId: seller, productId: 'p1', status: 'PENDING' })] });
      t.same((await store.search(q)).map((l) => l.id), [id], 'listed once the create is projected');
      t.same((await store.search({ ...q, tag: 'film' })).map((l) => l.id), [id], 'under the first tags');
      t.same(await store.search({ ...q, tag: 'digital' }), [], 'not the replay\'s');
      await store.putMeta({ ...first, tags: ['digital'] });
      t.same((await store.search({ ...q, tag: 'digital' })).map((l) => l.id), [id], 'an edit (putMeta) still replaces them');
      await store.addMeta(first);
      t.same((await store.listing(id))?.tags, ['digital'], 'and a later add leaves the edit alone');
      t.same((await store.search({ ...q, tag: 'film' })), [], 'its tag rows too');
    });

    await t.test('addMeta over a row a close made first (no details yet) adds nothing, and lists no tags', async (t) => {
      const id = `a-${tag()}`;
      await store.project({ ...empty(), closes: [{ auctionId: id, order: null, inbox: [] }] });
      await store.addMeta({ id, sellerId: 's', productId: 'p', title: 'Late', categoryId: null, tags: ['late'], createdAt: T0 });
      t.match(await store.listing(id), { title: '', tags: [], closeRecorded: true });
    });

    await t.test('bidders and views', async (t) => {
      const id = `a-${tag()}`;
      const user = `u-${tag()}`;
      await store.project({ ...empty(), facts: [facts(id, 2)], bidders: [{ auctionId: id, userId: user }, { auctionId: id, userId: user }] });
      t.same((await store.bidOn(user, 10)).map((l) => l.id), [id]);
      await store.addViews(new Map([[id, 3]]));
      await store.addViews(new Map([[id, 2]]));
      t.equal((await store.listing(id))?.views, 5);
      const unknown = `a-${tag()}`;
      await store.addViews(new Map([[unknown, 4]]));
      t.equal(await store.listing(unknown), null, 'views of an unknown listing make no row');
    });

    await t.test('a close settles its listing once, also when re-run', async (t) => {
      const { chain, settlement } = await closedAuction(store);
      t.ok((await store.awaitingCloseEffects()).some((u) => u.id === chain.id), 'awaiting its close effects before');
      await store.project({ ...empty(), closes: [settlement] });
      await store.project({ ...empty(), closes: [settlement] }); // a re-run after a crash
      t.notOk((await store.awaitingCloseEffects()).some((u) => u.id === chain.id), 'recorded after');
      t.match(await store.listing(chain.id), { status: 'SOLD', closeRecorded: true });
    });
  });
}

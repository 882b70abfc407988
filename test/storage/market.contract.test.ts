// The marketplace store contract (Catalogue, Market, CloseSchedules), run against every adapter: memory,
// SQLite, MariaDB. Ids are namespaced per test so subtests sharing a store never see each other's rows.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { ListingFacts, ListingQuery, Projection } from '../../storage/market/ports.ts';
import { MemoryMarket } from '../../storage/market/memory.ts';
import { SqlMarket } from '../../storage/market/sql.ts';
import { settlementOf } from '../../app/market/settle.ts';
import type { MarketStore } from '../../app/market/index.ts';
import { Chain, T0 } from '../helpers/auctions.ts';
import { sqlSubjects, type Subject } from '../helpers/stores.ts';

const subjects: Subject<MarketStore>[] = [
  { name: 'memory', open: async () => new MemoryMarket() },
  ...sqlSubjects().filter((s) => s.name !== 'sqlite-inline').map((s) => ({
    name: s.name,
    async open(t: Parameters<typeof s.open>[0]) {
      const store = await s.open(t);
      return store === null ? null : new SqlMarket(store.db, store.statementWriter);
    },
  })),
];

const empty = (): Projection => ({ facts: [], bidders: [], settlements: [] });
const tag = () => randomUUID().slice(0, 8);

function facts(id: string, seq: number, over: Partial<ListingFacts> = {}): ListingFacts {
  return { id, seq, sellerId: 'seller-x', productId: 'product-x', status: 'OPEN', price: 10_000, bidCount: 0, startsAt: T0, endsAt: T0 + 1000, buyNowPrice: null, ...over };
}

for (const subject of subjects) {
  t.test(subject.name, async (t) => {
    const store = await subject.open(t);
    if (store === null) return;

    await t.test('facts never go back to an older seq; meta and facts fill one row', async (t) => {
      const id = `a-${tag()}`;
      await store.project({ ...empty(), facts: [facts(id, 3, { price: 13_000, bidCount: 2 })] });
      await store.project({ ...empty(), facts: [facts(id, 2, { price: 12_000 })] });
      t.match(await store.listing(id), { seq: 3, price: 13_000, bidCount: 2, title: '', settled: false });
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
          const value = sort === 'ending' ? last.endsAt : sort === 'newest' ? last.createdAt : sort === 'popular' ? last.views + 2 * last.bidCount + 3 * last.wishes : last.price;
          after = { value, id: last.id };
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
    });

    await t.test('bidders, wishes, views', async (t) => {
      const id = `a-${tag()}`;
      const user = `u-${tag()}`;
      await store.project({ ...empty(), facts: [facts(id, 2)], bidders: [{ auctionId: id, userId: user }, { auctionId: id, userId: user }] });
      t.same((await store.bidOn(user, 10)).map((l) => l.id), [id]);
      t.equal(await store.wish(user, id, T0), true);
      t.equal(await store.wish(user, id, T0 + 1), false, 'a wish is kept once');
      t.equal(await store.wish(`v-${tag()}`, id, T0 + 2), true);
      t.equal((await store.listing(id))?.wishes, 2, 'the listing counts them');
      t.same(await store.wishesOf(user, 10), [id]);
      t.equal(await store.unwish(user, id), true);
      t.equal(await store.unwish(user, id), false);
      t.equal((await store.listing(id))?.wishes, 1);
      await store.addViews(new Map([[id, 3]]));
      await store.addViews(new Map([[id, 2]]));
      t.equal((await store.listing(id))?.views, 5);
    });

    await t.test('a close settles once: one order, inbox rows for all, owner-only inbox', async (t) => {
      const chain = new Chain();
      chain.created();
      chain.opened();
      chain.bid('alice', 10_000);
      chain.bid('bob', 11_000);
      const closed = chain.closed();
      const s = settlementOf(closed, chain.spec, ['alice', 'bob'], 72 * 3_600_000);
      await store.project({ ...empty(), facts: [facts(chain.id, closed.seq, { status: 'SOLD' })] });
      t.ok((await store.unsettled()).some((u) => u.id === chain.id), 'unsettled before');
      await store.project({ ...empty(), settlements: [s] });
      await store.project({ ...empty(), settlements: [s] }); // a re-run after a crash
      t.notOk((await store.unsettled()).some((u) => u.id === chain.id), 'settled after');
      const orders = (await store.ordersOf('bob', 100)).filter((o) => o.auctionId === chain.id);
      t.equal(orders.length, 1, 'one order');
      t.match(orders[0], { buyerId: 'bob', sellerId: chain.spec.sellerId, amount: 11_000, payBy: closed.at + 72 * 3_600_000 });
      t.same(await store.order(orders[0].id), orders[0]);
      t.same((await store.ordersOf(chain.spec.sellerId, 100)).map((o) => o.id), [orders[0].id], 'the seller sees it too');
      const bobs = (await store.inbox('bob', 100)).filter((i) => i.auctionId === chain.id);
      t.match(bobs, [{ kind: 'won', orderId: orders[0].id }]);
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
    });

    await t.test('relay positions: 0 at first, kept per relay, never moved back', async (t) => {
      const relay = `r-${tag()}`;
      t.equal(await store.relayPosition(relay), 0);
      await store.saveRelayPosition(relay, 40, T0);
      await store.saveRelayPosition(relay, 25, T0 + 1);
      t.equal(await store.relayPosition(relay), 40, 'a smaller position does not move it back');
      await store.saveRelayPosition(relay, 41, T0 + 2);
      t.equal(await store.relayPosition(relay), 41);
      t.equal(await store.relayPosition(`r-${tag()}`), 0, 'another relay has its own');
    });

    await t.test('products, categories, tags', async (t) => {
      const seller = `s-${tag()}`;
      const p = { id: randomUUID(), sellerId: seller, name: '카메라 📷', description: 'd', categoryId: null, images: [{ key: 'p/x/0.png', url: '/u', type: 'image/png', bytes: 3, thumbnail: true }], createdAt: T0, updatedAt: T0, deletedAt: null };
      await store.putProduct(p);
      t.same(await store.product(p.id), p);
      t.same((await store.productsOf(seller, 10)).map((x) => x.id), [p.id]);
      await store.putProduct({ ...p, deletedAt: T0 + 1 });
      t.same(await store.productsOf(seller, 10), [], 'soft-deleted products are not listed');
      t.equal((await store.product(p.id))?.deletedAt, T0 + 1, 'but still readable');
      const c = `c-${tag()}`;
      await store.putCategory({ id: c, name: 'Cameras', parentId: null });
      await store.putCategory({ id: `${c}-film`, name: 'Film', parentId: c });
      t.match((await store.categories()).filter((x) => x.id.startsWith(c)), [{ id: c, parentId: null }, { id: `${c}-film`, parentId: c }]);
      t.equal(await store.deleteCategory(`${c}-film`), true);
      t.equal(await store.deleteCategory(`${c}-film`), false);
      const name = `t-${tag()}`;
      await store.putTag(name);
      await store.putTag(name);
      t.equal((await store.tags()).filter((x) => x === name).length, 1);
      t.equal(await store.deleteTag(name), true);
      t.equal(await store.deleteTag(name), false);
    });

    await t.test('close schedules: upsert, remove, read back', async (t) => {
      const a = `a-${tag()}`;
      const b = `a-${tag()}`;
      await store.saveSchedules(new Map([[a, T0], [b, T0 + 1]]), []);
      await store.saveSchedules(new Map([[a, T0 + 5]]), [b]);
      const all = await store.schedules();
      t.equal(all.get(a), T0 + 5);
      t.notOk(all.has(b));
    });
  });
}

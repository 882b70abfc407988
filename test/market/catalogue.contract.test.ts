// The Catalogue contract (products, categories, tags, wishes), run against every adapter: memory,
// SQLite (writing on its writer thread), SQLite writing on the event loop, MariaDB.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { T0 } from '../helpers/auctions.ts';
import { emptyProjection, facts, marketSubjects, tag } from '../helpers/market.ts';

for (const subject of marketSubjects()) {
  t.test(subject.name, async (t) => {
    const ports = await subject.open(t);
    if (ports === null) return;
    const { catalogue: store, listings } = ports;

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

    await t.test('wishes: kept once, counted on the listing, newest first', async (t) => {
      const id = `a-${tag()}`;
      const later = `a-${tag()}`;
      const user = `u-${tag()}`;
      await listings.project({ ...emptyProjection(), facts: [facts(id, 2), facts(later, 2)] });
      t.equal(await store.wish(user, id, T0), true);
      t.equal(await store.wish(user, id, T0 + 1), false, 'a wish is kept once');
      t.equal(await store.wish(`v-${tag()}`, id, T0 + 2), true);
      t.equal((await listings.listing(id))?.wishes, 2, 'the listing counts them');
      await store.wish(user, later, T0 + 3);
      t.same(await store.wishesOf(user, 10), [later, id]);
      t.same(await store.wishesOf(user, 1), [later]);
      t.equal(await store.unwish(user, id), true);
      t.equal(await store.unwish(user, id), false);
      t.equal((await listings.listing(id))?.wishes, 1);
      t.same(await store.wishesOf(user, 10), [later]);
    });
  });
}

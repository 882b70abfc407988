// The AuctionPopularity contract, run against every adapter: memory, Redis.
import t from 'tap';
import { StoreUnavailableError } from '../../storage/auction/ports.ts';
import type { AuctionSignal } from '../../storage/recommendation/ports.ts';
import { HOUR, near, newId, recommendationSubjects, T0 } from './stores.ts';

for (const subject of recommendationSubjects()) {
  t.test(subject.name, async (t) => {
    // Each subtest has a store of its own: popularity is one ranking for the whole store.
    const open = (o = {}) => subject.open(t, { halfLifeMs: HOUR, ...o });

    await t.test('nothing is popular in an empty store', async (t) => {
      const stores = await open();
      if (stores === null) return;
      t.same(await stores.popularity.top(T0, 10), []);
    });

    await t.test('the most wished and bid on first, worth their weight decayed', async (t) => {
      const stores = await open();
      if (stores === null) return;
      const [a, b, c] = [newId('a'), newId('b'), newId('c')];
      const signals: AuctionSignal[] = [
        { auction: a, weight: 1, at: T0 },
        { auction: b, weight: 2, at: T0 },
        { auction: b, weight: 2, at: T0 + HOUR },
        { auction: c, weight: 1, at: T0 + HOUR },
      ];
      await stores.popularity.add(signals);
      const top = await stores.popularity.top(T0 + HOUR, 10);
      t.same(top.map((s) => s.auction), [b, c, a]);
      t.ok(near(top[0].score, 3) && near(top[1].score, 1) && near(top[2].score, 0.5), JSON.stringify(top));
      t.same((await stores.popularity.top(T0 + HOUR, 1)).map((s) => s.auction), [b], 'limit');
    });

    await t.test('a burst of interest today beats more of it last week', async (t) => {
      const stores = await open();
      if (stores === null) return;
      const [old, hot] = [newId('old'), newId('hot')];
      await stores.popularity.add(Array.from({ length: 50 }, () => ({ auction: old, weight: 2, at: T0 })));
      await stores.popularity.add([{ auction: hot, weight: 1, at: T0 + 6 * HOUR }]);
      t.same((await stores.popularity.top(T0 + 6 * HOUR, 10)).map((s) => s.auction), [old, hot], 'one wish: 1 < 100 / 64');
      await stores.popularity.add(Array.from({ length: 4 }, () => ({ auction: hot, weight: 1, at: T0 + 6 * HOUR })));
      t.same((await stores.popularity.top(T0 + 6 * HOUR, 10)).map((s) => s.auction), [hot, old], '100 / 64 < 5');
    });

    await t.test('forgotten auctions leave the ranking', async (t) => {
      const stores = await open();
      if (stores === null) return;
      const ids = [newId('a'), newId('b'), newId('c')];
      await stores.popularity.add(ids.map((auction, i) => ({ auction, weight: i + 1, at: T0 })));
      await stores.popularity.forget([ids[2], newId('never-seen')]);
      await stores.popularity.forget([]);
      t.same((await stores.popularity.top(T0, 10)).map((s) => s.auction), [ids[1], ids[0]]);
    });

    await t.test('only the most popular are kept', async (t) => {
      const stores = await open({ maxPopular: 2 });
      if (stores === null) return;
      const ids = [newId('a'), newId('b'), newId('c')];
      await stores.popularity.add(ids.map((auction, i) => ({ auction, weight: i + 1, at: T0 })));
      t.same((await stores.popularity.top(T0, 10)).map((s) => s.auction), [ids[2], ids[1]]);
    });

    await t.test('bad signals are refused, and a closed store refuses', async (t) => {
      const stores = await open();
      if (stores === null) return;
      await t.rejects(stores.popularity.add([{ auction: '', weight: 1, at: T0 }]), TypeError);
      await t.rejects(stores.popularity.add([{ auction: newId('a'), weight: -1, at: T0 }]), TypeError);
      t.same(await stores.popularity.top(T0, 10), []);
      await stores.close();
      await t.rejects(stores.popularity.top(T0, 10), StoreUnavailableError);
      await t.rejects(stores.popularity.forget([newId('a')]), StoreUnavailableError);
    });
  });
}

// Exactly once over the journal, run against every adapter (memory, Redis): signals carrying journal
// positions are applied once per score set however often they are replayed (a restart re-reads from the
// saved cursor, another node reads the same events), and the consumer's cursor never moves back.
import t from 'tap';
import type { TagSignal } from '../../storage/recommendation/ports.ts';
import { HOUR, near, newGroup, newId, recommendationSubjects, T0 } from './stores.ts';

for (const subject of recommendationSubjects()) {
  t.test(subject.name, async (t) => {
    const stores = await subject.open(t, { halfLifeMs: HOUR });
    if (stores === null) return;

    await t.test('a replayed page of tag signals counts once; a new position counts', async (t) => {
      const g = newGroup();
      const page: TagSignal[] = [
        { group: g, tags: ['camera', 'lens'], weight: 2, at: T0, position: 10 },
        { group: g, tags: ['camera'], weight: 1, at: T0, position: 11 },
      ];
      await stores.tags.add(page);
      await stores.tags.add(page);
      await stores.tags.add(page.slice(1));
      const top = await stores.tags.top(g, T0, 10);
      t.same(top.map((s) => s.tag), ['camera', 'lens']);
      t.ok(near(top[0].score, 3) && near(top[1].score, 2), `camera 3 and lens 2 once, got ${JSON.stringify(top)}`);
      await stores.tags.add([...page, { group: g, tags: ['lens'], weight: 2, at: T0, position: 12 }]);
      t.ok(near((await stores.tags.top(g, T0, 10)).find((s) => s.tag === 'lens')!.score, 4), 'the page replayed again with one new event: only that one');
      await stores.tags.add([{ group: g, tags: ['lens'], weight: 1, at: T0 }]);
      t.ok(near((await stores.tags.top(g, T0, 10)).find((s) => s.tag === 'lens')!.score, 5), 'a signal without a position is always applied');
    });

    await t.test('positions are kept per group: one group having applied a position does not stop another', async (t) => {
      const [a, b] = [newGroup(), newGroup()];
      await stores.tags.add([{ group: a, tags: ['x'], weight: 2, at: T0, position: 20 }]);
      await stores.tags.add([
        { group: a, tags: ['x'], weight: 2, at: T0, position: 20 },
        { group: b, tags: ['x'], weight: 2, at: T0, position: 20 },
      ]);
      t.ok(near((await stores.tags.top(a, T0, 1))[0].score, 2));
      t.ok(near((await stores.tags.top(b, T0, 1))[0].score, 2));
    });

    await t.test('popularity: a replay counts once', async (t) => {
      const x = newId('pop');
      const page = [{ auction: x, weight: 2, at: T0 + 5 * HOUR, position: 1_000_000 }, { auction: x, weight: 1, at: T0 + 5 * HOUR, position: 1_000_001 }];
      await stores.popularity.add(page);
      await stores.popularity.add(page);
      const top = await stores.popularity.top(T0 + 5 * HOUR, 100);
      t.ok(near(top.find((s) => s.auction === x)!.score, 3), `3 once, got ${JSON.stringify(top.find((s) => s.auction === x))}`);
      await t.rejects(stores.popularity.add([{ auction: x, weight: 1, at: T0, position: -1 }]), TypeError, 'a position must be a positive integer');
    });

    await t.test('co-bids: a replayed bid counts once', async (t) => {
      const [u, a, b] = [newId('u'), newId('a'), newId('b')];
      const bids = [{ user: u, auction: a, at: T0 }, { user: u, auction: b, at: T0 + 1 }];
      await stores.cobids.record(bids);
      await stores.cobids.record(bids);
      t.same([...(await stores.cobids.bidders([a, b])).values()], [1, 1]);
      t.same((await stores.cobids.similar(a, 10)).map((s) => [s.auction, s.common]), [[b, 1]]);
    });

    await t.test('the consumer cursor starts at 0 and never moves back', async (t) => {
      const start = await stores.cursor.read();
      await stores.cursor.save(start + 5);
      await stores.cursor.save(start + 3);
      t.equal(await stores.cursor.read(), start + 5);
      await t.rejects(stores.cursor.save(1.5), TypeError);
    });
  });
}

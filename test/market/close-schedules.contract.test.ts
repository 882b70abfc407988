// The CloseSchedules contract (the embedded close scheduler's rows), run against every adapter: memory,
// SQLite (writing on its writer thread), SQLite writing on the event loop, MariaDB.
import t from 'tap';
import { T0 } from '../helpers/auctions.ts';
import { marketSubjects, tag } from '../helpers/market.ts';

for (const subject of marketSubjects()) {
  t.test(subject.name, async (t) => {
    const ports = await subject.open(t);
    if (ports === null) return;
    const store = ports.schedules;

    await t.test('close schedules: upsert, remove, read back', async (t) => {
      const a = `a-${tag()}`;
      const b = `a-${tag()}`;
      await store.saveSchedules(new Map([[a, T0], [b, T0 + 1]]), []);
      await store.saveSchedules(new Map([[a, T0 + 5]]), [b]);
      const all = await store.schedules();
      t.equal(all.get(a), T0 + 5);
      t.notOk(all.has(b));
      await store.saveSchedules(new Map(), [a, `a-${tag()}`]);
      t.notOk((await store.schedules()).has(a), 'removing one absent with one present');
    });
  });
}

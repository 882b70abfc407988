// The RelayCursors contract, run against every adapter: memory, SQLite (writing on its writer thread),
// SQLite writing on the event loop, MariaDB.
import t from 'tap';
import { T0 } from '../helpers/auctions.ts';
import { marketSubjects, tag } from '../helpers/market.ts';

for (const subject of marketSubjects()) {
  t.test(subject.name, async (t) => {
    const ports = await subject.open(t);
    if (ports === null) return;
    const store = ports.relay;

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

    await t.test('saves racing for one relay leave the furthest', async (t) => {
      const relay = `r-${tag()}`;
      await Promise.all([7, 3, 9, 5].map((p) => store.saveRelayPosition(relay, p, T0)));
      t.equal(await store.relayPosition(relay), 9);
    });
  });
}

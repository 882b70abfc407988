// The close at endsAt, on the real clock: every watcher gets `end` with the masked winner, and the
// bidders get won/lost notices.
import t from 'tap';
import { boot, Client, openAuction, rid } from './harness.ts';

const b = await boot();
t.teardown(() => b.stop());

t.test('end at endsAt: end frame and notices', async (t) => {
  // Four seconds of bidding: room for setup on a loaded machine, short enough to wait for.
  const now = Date.now();
  const auction = await openAuction(b, 'seller', { startsAt: now, endsAt: now + 4000, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 } }, now);
  const alice = await Client.open(b.ws, { token: await b.token('alice') });
  const bob = await Client.open(b.ws, { token: await b.token('bob'), enc: 'msgpack' });
  const anon = await Client.open(b.ws);
  t.teardown(() => Promise.all([alice, bob, anon].map((c) => c.close())));
  anon.send({ t: 'sub', auctions: [auction] });
  await anon.type('snap');
  await alice.command({ t: 'bid', rid: rid(), auction, amount: 10_000 });
  const last = await bob.command({ t: 'bid', rid: rid(), auction, amount: 12_000 });
  const end = await anon.type('end', {}, 10_000);
  t.same(end, { t: 'end', auction, seq: last.seq + 1, status: 'SOLD', price: 12_000, winner: 'b*b' });
  t.match(await bob.type('notice', { kind: 'won' }, 5000), { auction, price: 12_000 });
  t.match(await alice.type('notice', { kind: 'lost' }, 5000), { auction });
});

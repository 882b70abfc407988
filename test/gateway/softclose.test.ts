// Soft close and the end of an auction, with a ManualClock injected: an extension reaches every
// watcher in the same update; the end frame and the won/lost notices follow a buy-now.
import t from 'tap';
import { ManualClock } from '../../engine/index.ts';
import { api, boot, Client, HOUR, MINUTE, openAuction, rid } from './harness.ts';

const T0 = 1_800_000_000_000;
const clock = new ManualClock(T0);
const b = await boot({}, { clock });
t.teardown(() => b.stop());

t.test('an extension reaches every watcher', async (t) => {
  const auction = await openAuction(b, 'seller', { startsAt: T0, endsAt: T0 + HOUR }, T0);
  const alice = await Client.open(b.ws, { token: await b.token('alice') });
  const bob = await Client.open(b.ws, { token: await b.token('bob'), enc: 'msgpack' });
  const anon = await Client.open(b.ws);
  t.teardown(() => Promise.all([alice, bob, anon].map((c) => c.close())));
  for (const c of [alice, bob, anon]) c.send({ t: 'sub', auctions: [auction] });
  for (const c of [alice, bob, anon]) t.equal((await c.type('snap')).endsAt, T0 + HOUR);

  await alice.command({ t: 'bid', rid: rid(), auction, amount: 10_000 });
  clock.set(T0 + HOUR - 30_000); // inside the one-minute window
  const ack = await bob.command({ t: 'bid', rid: rid(), auction, amount: 20_000 });
  t.match(ack, { ok: true, leading: true, endsAt: T0 + HOUR + 3 * MINUTE });
  for (const c of [alice, bob, anon]) {
    t.match(await c.type('px', { seq: ack.seq }), { endsAt: T0 + HOUR + 3 * MINUTE, price: 20_000 }, 'watcher sees the new end');
  }
  t.match(await alice.type('notice', { kind: 'extended' }), { auction, endsAt: T0 + HOUR + 3 * MINUTE });
  t.match(await bob.type('notice', { kind: 'extended' }), { auction });

  // The seed allows one extension: a second late bid does not move the end.
  clock.set(T0 + HOUR + 2 * MINUTE + 30_000);
  const again = await alice.command({ t: 'bid', rid: rid(), auction, amount: 30_000 });
  t.equal(again.endsAt, T0 + HOUR + 3 * MINUTE);
});

t.test('buy-now ends the auction: end frame and won/lost notices', async (t) => {
  clock.set(T0);
  const auction = await openAuction(b, 'seller', { startsAt: T0, endsAt: T0 + HOUR, buyNowPrice: 100_000 }, T0);
  const alice = await Client.open(b.ws, { token: await b.token('alice') });
  const carol = await Client.open(b.ws, { token: await b.token('carol') });
  const anon = await Client.open(b.ws, { enc: 'msgpack' });
  t.teardown(() => Promise.all([alice, carol, anon].map((c) => c.close())));
  anon.send({ t: 'sub', auctions: [auction] });
  await anon.type('snap');
  await alice.command({ t: 'bid', rid: rid(), auction, amount: 10_000 });
  const bought = await carol.command({ t: 'buy', rid: rid(), auction });
  t.match(bought, { ok: true, status: 'SOLD', price: 100_000 });
  t.same(await anon.type('end'), { t: 'end', auction, seq: bought.seq, status: 'SOLD', price: 100_000, winner: 'c***l' });
  t.match(await carol.type('notice', { kind: 'won' }), { auction, price: 100_000 });
  t.match(await alice.type('notice', { kind: 'lost' }), { auction });
  const late = await alice.command({ t: 'bid', rid: rid(), auction, amount: 200_000 });
  t.match(late, { ok: false, code: 'AUCTION_CLOSED' });
  t.equal((await api(b.http, 'GET', `/api/v1/auctions/${auction}`)).body.status, 'SOLD');
});

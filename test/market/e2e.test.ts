// End to end through real HTTP and real sockets, on the embedded default (SQLite, memory board) and on
// MariaDB + Redis: a seller signs up, uploads two images, creates and opens an auction; three bidders
// compete over sockets, one by proxy; the soft close extends; the clock passes the end; the winner sees
// `won` and an order, the others `lost` and inbox rows, and the bid history is masked.
import t, { type Test } from 'tap';
import { maskName } from '../../engine/index.ts';
import { mariaDbDatabase, redisPrefix, requireRedis } from '../helpers/services.ts';
import { api, boot, Client, rid, type Booted } from '../gateway/harness.ts';
import { eventually, JPEG, PNG, postForm, taxonomy } from './fixtures.ts';
import { newAdmin, newBidder, newSeller } from './users.ts';

async function scenario(t: Test, b: Booted): Promise<void> {
  const admin = await newAdmin(b);
  await taxonomy(b, admin, 'cameras', 'film');

  // The seller lists a product with two photos; the second is the thumbnail.
  const seller = await newSeller(b);
  const product = await postForm(b.http, '/api/v1/products', seller.token, { name: 'Leica M6', description: 'mint', categoryId: 'cameras', thumbnail: '1' },
    [{ name: 'front.png', bytes: PNG, type: 'image/png' }, { name: 'back.jpg', bytes: JPEG, type: 'text/plain' }]);
  t.equal(product.status, 201, JSON.stringify(product.body));
  t.match(product.body, { name: 'Leica M6', sellerId: seller.id, categoryId: 'cameras', images: [{ type: 'image/png', thumbnail: false }, { type: 'image/jpeg', thumbnail: true }] });
  t.equal(product.body.thumbnail, product.body.images[1].url);
  const img = await fetch(b.http + product.body.images[1].url);
  t.equal(img.status, 200, 'the app serves the image');
  t.equal(img.headers.get('content-type'), 'image/jpeg', 'typed by its bytes, not the upload');
  t.same(Buffer.from(await img.arrayBuffer()), JPEG);

  // Create and open: ends in 6 s; a bid in the last 3 s extends it by 3 s, once.
  const now = Date.now();
  const created = await api(b.http, 'POST', '/api/v1/auctions', {
    token: seller.token, key: rid('create'),
    body: { productId: product.body.id, startPrice: 10_000, bidUnit: 1_000, startsAt: now, endsAt: now + 6_000, tags: ['film'], softClose: { windowMs: 3_000, extendMs: 3_000, maxExtensions: 1 } },
  });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const auction = created.body.id as string;
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${auction}/open`, { token: seller.token })).body, { ok: true, status: 'OPEN' });
  const listed = await eventually(async () => {
    const r = await api(b.http, 'GET', '/api/v1/auctions?category=cameras&tag=film&sort=ending');
    return r.body.items.find((l: { id: string }) => l.id === auction);
  }, 5000, 'the auction in the list');
  t.match(listed, { title: 'Leica M6', categoryId: 'cameras', tags: ['film'], status: 'OPEN', price: 10_000 });

  // Three bidders over sockets (one in MessagePack), and an anonymous watcher.
  const [alice, bob, carol] = [await newBidder(b, 'alice'), await newBidder(b, 'bob'), await newBidder(b, 'carol')];
  const sa = await Client.open(b.ws, { token: alice.token });
  const sb = await Client.open(b.ws, { token: bob.token, enc: 'msgpack' });
  const sc = await Client.open(b.ws, { token: carol.token });
  const watcher = await Client.open(b.ws);
  t.teardown(() => Promise.all([sa, sb, sc, watcher].map((c) => c.close())));
  for (const c of [sa, sb, sc]) await c.type('authed');
  watcher.send({ t: 'sub', auctions: [auction] });
  await watcher.type('snap');

  t.match(await sa.command({ t: 'bid', rid: rid(), auction, amount: 10_000 }), { ok: true, leading: true });
  // Bob bids by proxy: 11,000 now, up to 30,000.
  t.match(await sb.command({ t: 'bid', rid: rid(), auction, amount: 11_000, max: 30_000 }), { ok: true, leading: true, price: 11_000 });
  t.match(await sa.type('notice', { kind: 'outbid' }), { auction }, 'alice is told at once');
  const beaten = await sc.command({ t: 'bid', rid: rid(), auction, amount: 15_000 });
  t.match(beaten, { ok: true, leading: false, price: 16_000 }, "bob's ceiling answers for him");

  // Into the soft-close window: carol outbids the ceiling, and the end moves.
  const endsAt = created.body.endsAt as number;
  await new Promise((r) => setTimeout(r, Math.max(0, endsAt - 2_000 - Date.now())));
  const late = await sc.command({ t: 'bid', rid: rid(), auction, amount: 31_000 });
  t.match(late, { ok: true, leading: true, price: 31_000, endsAt: endsAt + 3_000 }, 'extended');
  t.match(await sb.type('notice', { kind: 'outbid' }), { auction });
  t.match(await watcher.take((f) => f.t === 'px' && f.seq === late.seq), { endsAt: endsAt + 3_000 });

  // Past the end: watchers get `end`, the winner `won`, the others `lost`.
  const end = await watcher.type('end', {}, 10_000);
  t.match(end, { auction, status: 'SOLD', price: 31_000, winner: maskName(carol.id) });
  t.ok(Date.now() >= endsAt + 3_000, 'not before the extended end');
  t.match(await sc.type('notice', { kind: 'won' }, 5000), { auction, price: 31_000 });
  t.match(await sa.type('notice', { kind: 'lost' }, 5000), { auction });
  t.match(await sb.type('notice', { kind: 'lost' }, 5000), { auction });

  // The winner's order, payable within 72 hours; inbox rows for everyone.
  const orders = await eventually(async () => {
    const r = await api(b.http, 'GET', '/api/v1/orders', { token: carol.token });
    return r.body.items.length > 0 ? r.body.items : undefined;
  }, 5000, 'an order for the winner');
  t.equal(orders.length, 1);
  t.match(orders[0], { auctionId: auction, buyerId: carol.id, sellerId: seller.id, amount: 31_000, status: 'AWAITING_PAYMENT' });
  t.equal(orders[0].payBy - orders[0].createdAt, 72 * 3_600_000);
  t.equal((await api(b.http, 'GET', `/api/v1/orders/${orders[0].id}`, { token: alice.token })).status, 404, "not alice's to read");
  t.equal((await api(b.http, 'GET', `/api/v1/orders/${orders[0].id}`, { token: seller.token })).status, 200, 'the seller reads it');
  const inboxOf = async (token: string) => (await api(b.http, 'GET', '/api/v1/inbox', { token })).body.items;
  t.match(await inboxOf(carol.token), [{ kind: 'won', auctionId: auction, orderId: orders[0].id, price: 31_000 }]);
  t.match(await inboxOf(alice.token), [{ kind: 'lost', auctionId: auction }]);
  t.match(await inboxOf(bob.token), [{ kind: 'lost', auctionId: auction }]);
  t.match(await inboxOf(seller.token), [{ kind: 'sold', auctionId: auction }]);
  const aliceItem = (await inboxOf(alice.token))[0];
  t.equal((await api(b.http, 'POST', `/api/v1/inbox/${encodeURIComponent(aliceItem.id)}/read`, { token: bob.token })).status, 404, "bob cannot touch alice's inbox");
  t.equal((await api(b.http, 'POST', `/api/v1/inbox/${encodeURIComponent(aliceItem.id)}/read`, { token: alice.token })).status, 204);
  t.ok((await inboxOf(alice.token))[0].readAt > 0, 'marked read');
  t.equal((await api(b.http, 'DELETE', `/api/v1/inbox/${encodeURIComponent(aliceItem.id)}`, { token: alice.token })).status, 204);
  t.same(await inboxOf(alice.token), []);

  // The bid history names nobody.
  const history = await api(b.http, 'GET', `/api/v1/auctions/${auction}/bids`);
  t.equal(history.status, 200);
  t.equal(history.body.items.length, 4);
  t.same(history.body.items.map((i: { bidder: string }) => i.bidder), [alice, bob, carol, carol].map((u) => maskName(u.id)), 'oldest first, masked');
  for (const u of [alice, bob, carol]) t.notOk(JSON.stringify(history.body).includes(u.id), `${u.id} is masked`);
  t.match(history.body.items.at(-1), { price: 31_000 });
  t.equal(history.body.next, null, 'one page holds it all');

  // Views: one per viewer per hour.
  await api(b.http, 'GET', `/api/v1/auctions/${auction}`, { token: alice.token });
  const detail = await api(b.http, 'GET', `/api/v1/auctions/${auction}`, { token: alice.token });
  t.match(detail.body, { auction, status: 'SOLD', price: 31_000, listing: { title: 'Leica M6' }, product: { name: 'Leica M6' } });
  const views = detail.body.listing.views as number;
  await api(b.http, 'GET', `/api/v1/auctions/${auction}`, { token: bob.token });
  t.equal((await api(b.http, 'GET', `/api/v1/auctions/${auction}`, { token: alice.token })).body.listing.views, views + 1, 'a second viewer counts, a repeat does not');

  // My auctions, as seller and as bidder.
  t.match((await api(b.http, 'GET', '/api/v1/me/auctions?role=seller', { token: seller.token })).body.items, [{ id: auction, status: 'SOLD' }]);
  t.match((await api(b.http, 'GET', '/api/v1/me/auctions?role=bidder', { token: alice.token })).body.items, [{ id: auction }]);
  const overview = await api(b.http, 'GET', '/api/v1/auctions/overview?status=SOLD');
  t.ok(overview.body.recommended.some((l: { id: string }) => l.id === auction), 'in the popularity ranking');
}

t.test('embedded default: SQLite and memory board', async (t) => {
  const b = await boot();
  t.teardown(() => b.stop());
  await scenario(t, b);
});

t.test('MariaDB and Redis', async (t) => {
  let booted: Booted | null = null;
  const db = await mariaDbDatabase(t, async () => booted?.stop());
  if (db === null) return;
  const redis = await requireRedis(t);
  if (redis === null) return;
  const prefix = await redisPrefix(t, redis);
  booted = await boot({ DATABASE_URL: db.url, REDIS_URL: redis, REDIS_PREFIX: prefix });
  await scenario(t, booted);
});

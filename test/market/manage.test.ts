// Managing listings over HTTP: edit while PENDING (price, end, tags), cancel by SPEC rules (the seller
// while no bid stands, an admin always, bidders told in their inbox), wishes, product edits, the
// category tree and list filters.
import t from 'tap';
import { api, boot, rid } from '../gateway/harness.ts';
import { eventually, PNG, postForm, taxonomy } from './fixtures.ts';
import { newAdmin, newBidder, newSeller } from './users.ts';

const b = await boot();
t.teardown(() => b.stop());
const admin = await newAdmin(b);
await taxonomy(b, admin, 'audio', 'vintage');
await taxonomy(b, admin, 'radios', 'tube');
await api(b.http, 'PUT', '/api/v1/categories/radios', { token: admin.token, body: { name: 'Radios', parentId: 'audio' } });

async function listed(seller: string, category = 'radios') {
  const product = await postForm(b.http, '/api/v1/products', seller, { name: 'Tube radio', categoryId: category }, [{ name: 'r.png', bytes: PNG }]);
  const now = Date.now();
  const c = await api(b.http, 'POST', '/api/v1/auctions', { token: seller, key: rid('c'), body: { productId: product.body.id, startPrice: 5_000, startsAt: now, endsAt: now + 3_600_000, tags: ['vintage'] } });
  if (c.status !== 201) throw new Error(JSON.stringify(c.body));
  return { auction: c.body.id as string, product: product.body.id as string };
}

t.test('edit while PENDING, then not', async (t) => {
  const seller = await newSeller(b);
  const { auction } = await listed(seller.token);
  const edited = await api(b.http, 'PATCH', `/api/v1/auctions/${auction}`, { token: seller.token, body: { startPrice: 7_000, tags: ['tube'] } });
  t.match(edited, { status: 200, body: { ok: true, price: 7_000, status: 'PENDING' } });
  t.match((await api(b.http, 'PATCH', `/api/v1/auctions/${auction}`, { token: (await newSeller(b)).token, body: { startPrice: 1 } })).body, { code: 'NOT_SELLER' });
  t.match((await api(b.http, 'PATCH', `/api/v1/auctions/${auction}`, { token: seller.token, body: { startPrice: -1 } })).body, { code: 'INVALID_AUCTION' });
  await api(b.http, 'POST', `/api/v1/auctions/${auction}/open`, { token: seller.token });
  t.match((await api(b.http, 'PATCH', `/api/v1/auctions/${auction}`, { token: seller.token, body: { startPrice: 8_000 } })).body, { code: 'INVALID_TRANSITION' });
  const l = await eventually(async () => {
    const r = await api(b.http, 'GET', '/api/v1/auctions?tag=tube&category=audio');
    return r.body.items.find((x: { id: string }) => x.id === auction);
  }, 5000, 'listed under the new tag and the parent category');
  t.match(l, { price: 7_000, tags: ['tube'], categoryId: 'radios' });
  t.match((await api(b.http, 'PATCH', '/api/v1/auctions/nope', { token: seller.token, body: { startPrice: 1 } })).body, { code: 'AUCTION_NOT_FOUND' });
});

t.test('cancel: the seller before any bid; an admin after; bidders told', async (t) => {
  const seller = await newSeller(b);
  const bidder = await newBidder(b);
  const first = await listed(seller.token);
  await api(b.http, 'POST', `/api/v1/auctions/${first.auction}/open`, { token: seller.token });
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${first.auction}/cancel`, { token: seller.token })).body, { ok: true, status: 'CANCELED' });
  const second = await listed(seller.token);
  await api(b.http, 'POST', `/api/v1/auctions/${second.auction}/open`, { token: seller.token });
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${second.auction}/bids`, { token: bidder.token, key: rid(), body: { amount: 5_000 } })).body, { ok: true });
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${second.auction}/cancel`, { token: seller.token })).body, { code: 'CANCEL_NOT_ALLOWED' });
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${second.auction}/cancel`, { token: admin.token })).body, { ok: true, status: 'CANCELED' });
  const inbox = await eventually(async () => {
    const r = await api(b.http, 'GET', '/api/v1/inbox', { token: bidder.token });
    return r.body.items.length > 0 ? r.body.items : undefined;
  }, 5000, 'the bidder told');
  t.match(inbox, [{ kind: 'canceled', auctionId: second.auction }]);
  t.same((await api(b.http, 'GET', '/api/v1/orders', { token: bidder.token })).body.items, [], 'no order for a canceled auction');
  const mine = await eventually(async () => {
    const r = await api(b.http, 'GET', '/api/v1/me/auctions?role=seller&status=CANCELED', { token: seller.token });
    return r.body.items.length === 2 ? r.body.items : undefined;
  }, 5000, 'both listed as canceled');
  t.equal(mine.length, 2);
});

t.test('wishes, product edits, the category tree, paging', async (t) => {
  const seller = await newSeller(b);
  const fan = await newBidder(b, 'fan');
  const { auction, product } = await listed(seller.token);
  t.equal((await api(b.http, 'PUT', `/api/v1/wishes/${auction}`, { token: fan.token })).status, 201);
  t.equal((await api(b.http, 'PUT', `/api/v1/wishes/${auction}`, { token: fan.token })).status, 200, 'again: already wished');
  t.match((await api(b.http, 'GET', '/api/v1/wishes', { token: fan.token })).body.items, [{ id: auction, wishes: 1 }]);
  t.equal((await api(b.http, 'DELETE', `/api/v1/wishes/${auction}`, { token: fan.token })).status, 204);
  t.equal((await api(b.http, 'DELETE', `/api/v1/wishes/${auction}`, { token: fan.token })).status, 404);
  t.equal((await api(b.http, 'PUT', '/api/v1/wishes/nope', { token: fan.token })).status, 404);

  t.match((await api(b.http, 'PATCH', `/api/v1/products/${product}`, { token: seller.token, body: { name: 'Tube radio (1958)', description: 'works' } })).body, { name: 'Tube radio (1958)', description: 'works' });
  t.equal((await api(b.http, 'PATCH', `/api/v1/products/${product}`, { token: fan.token, body: { name: 'mine now' } })).status, 403);
  t.match((await api(b.http, 'GET', `/api/v1/products?seller=${seller.id}`)).body.items, [{ id: product, name: 'Tube radio (1958)' }]);

  t.match((await api(b.http, 'GET', '/api/v1/categories')).body.items, [{ id: 'audio', children: [{ id: 'radios', children: [] }] }]);
  t.match((await api(b.http, 'DELETE', '/api/v1/categories/audio', { token: admin.token })).body, { code: 'VALIDATION_FAILED' }, 'not while it has children');
  t.match((await api(b.http, 'PUT', '/api/v1/categories/audio', { token: admin.token, body: { name: 'Audio', parentId: 'radios' } })).body, { code: 'VALIDATION_FAILED' }, 'no cycles');

  for (let i = 0; i < 3; i++) await api(b.http, 'POST', `/api/v1/auctions/${(await listed(seller.token)).auction}/open`, { token: seller.token });
  // Listings are projected behind the journal: wait until all three are listed, then page through them.
  await eventually(async () => {
    const r = await api(b.http, 'GET', `/api/v1/auctions?seller=${seller.id}&limit=10`);
    return r.body.items.length === 3 ? r.body : undefined;
  }, 5000, 'all three listed');
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10; i++) {
    const q: string = `/api/v1/auctions?seller=${seller.id}&sort=newest&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
    const page = (await api(b.http, 'GET', q)).body;
    seen.push(...page.items.map((l: { id: string }) => l.id));
    cursor = page.next;
    if (cursor === null) break;
  }
  t.equal(new Set(seen).size, seen.length, 'no repeats across pages');
  t.equal(seen.length, 3, 'every open auction of the seller, two per page');
  t.match((await api(b.http, 'GET', '/api/v1/auctions?cursor=garbage')).body, { code: 'VALIDATION_FAILED' });
  t.match((await api(b.http, 'GET', '/api/v1/auctions?sort=random')).body, { code: 'VALIDATION_FAILED' });
});

t.test('bid history: oldest first, a slice of the journal per page, bidders masked', async (t) => {
  const seller = await newSeller(b);
  const bidders = [await newBidder(b, 'hist-a'), await newBidder(b, 'hist-b')];
  const { auction } = await listed(seller.token);
  await api(b.http, 'POST', `/api/v1/auctions/${auction}/open`, { token: seller.token });
  for (let i = 0; i < 7; i++) {
    const r = await api(b.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: bidders[i % 2].token, key: rid('h'), body: { amount: 5_000 + i * 1_000 } });
    t.match(r.body, { ok: true, seq: 3 + i });
  }
  const path = `/api/v1/auctions/${auction}/bids`;
  // Journal: created (1), opened (2), seven bids (3..9). Three events a page.
  const pages: { items: { seq: number; bidder: string; price: number }[]; next: number | null }[] = [];
  let q = `${path}?limit=3`;
  for (let guard = 0; guard < 10; guard++) {
    const r = await api(b.http, 'GET', q);
    t.equal(r.status, 200);
    pages.push(r.body);
    if (r.body.next === null) break;
    q = `${path}?limit=3&after=${r.body.next}`;
  }
  t.same(pages.map((p) => p.next), [3, 6, 9, null], 'next is the last seq read, null at the end');
  t.same(pages.map((p) => p.items.map((i) => i.seq)), [[3], [4, 5, 6], [7, 8, 9], []], 'the bids of each slice, oldest first');
  t.same(pages.flatMap((p) => p.items.map((i) => i.price)), [5_000, 6_000, 7_000, 8_000, 9_000, 10_000, 11_000]);
  for (const u of bidders) t.notOk(JSON.stringify(pages).includes(u.id), `${u.id} is masked`);
  t.match((await api(b.http, 'GET', `${path}?after=4&limit=2`)).body, { items: [{ seq: 5 }, { seq: 6 }], next: 6 });
  t.equal((await api(b.http, 'GET', path)).body.items.length, 7, 'the default page (100) holds them all');
  t.match((await api(b.http, 'GET', `${path}?after=50`)).body, { items: [], next: null }, 'past the end: empty, not 404');
  for (const bad of ['limit=0', 'limit=1001', 'limit=ten', 'after=-1', 'after=1.5', 'after=x', 'before=5']) {
    t.match(await api(b.http, 'GET', `${path}?${bad}`), { status: 400, body: { code: 'VALIDATION_FAILED' } }, bad);
  }
  t.equal((await api(b.http, 'GET', `${path}?limit=1000`)).status, 200, 'limit up to 1000');
  t.match(await api(b.http, 'GET', '/api/v1/auctions/no-such-auction/bids'), { status: 404, body: { code: 'AUCTION_NOT_FOUND' } });
  t.match(await api(b.http, 'GET', '/api/v1/auctions/no-such-auction/bids?after=3'), { status: 404, body: { code: 'AUCTION_NOT_FOUND' } });
});

t.test('the outbox over HTTP: the journal by position, paged with next, admins only', async (t) => {
  const seller = await newSeller(b);
  const bidder = await newBidder(b, 'outbox');
  const { auction } = await listed(seller.token);
  await api(b.http, 'POST', `/api/v1/auctions/${auction}/open`, { token: seller.token });
  t.match(await api(b.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: bidder.token, key: rid('b'), body: { amount: 5_000 } }), { status: 200, body: { ok: true } });
  t.match(await api(b.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: bidder.token, key: rid('b'), body: { amount: 9_000 } }), { status: 200, body: { ok: true } });

  t.equal((await api(b.http, 'GET', '/api/v1/admin/outbox', { token: bidder.token })).status, 403, 'not for a user');
  t.equal((await api(b.http, 'GET', '/api/v1/admin/outbox')).status, 401);
  t.match((await api(b.http, 'GET', '/api/v1/admin/outbox?after=-1', { token: admin.token })).body, { code: 'VALIDATION_FAILED' });

  // Page through everything, two journal events at a time.
  const items: { id: number; auctionId: string; seq: number; type: string; data: Record<string, unknown> }[] = [];
  let after = 0;
  for (let i = 0; i < 1000; i++) {
    const page = (await api(b.http, 'GET', `/api/v1/admin/outbox?after=${after}&limit=2`, { token: admin.token })).body;
    items.push(...page.items);
    if (page.next === after) break;
    t.ok(page.next > after, 'next moves on');
    after = page.next;
  }
  const mine = items.filter((e) => e.auctionId === auction);
  t.same(mine.map((e) => [e.seq, e.type]), [[2, 'auction.opened'], [3, 'bid.accepted'], [4, 'bid.accepted']], 'created is no outbox event');
  t.match(mine[2].data, { bidder: bidder.id, price: 9_000 });
  t.ok(items.every((e, i) => i === 0 || e.id > items[i - 1].id), 'in position order');
});

// The HTTP API on the shared port: auction setup, integrators' bids answered by the same actor as the
// socket (one seq sequence), Idempotency-Key replay and reuse, problem+json errors, probes.
import t from 'tap';
import { api, boot, Client, openAuction, rid } from './harness.ts';

const b = await boot({ HTTP_BODY_LIMIT_BYTES: '2048' });
t.teardown(() => b.stop());
const seller = await b.token('seller');
const alice = await b.token('alice');

t.test('create, open, read', async (t) => {
  const key = rid('create');
  const now = Date.now();
  const body = { productId: 'p9', startPrice: 5_000, bidUnit: 500, reservePrice: 9_000, startsAt: now, endsAt: now + 3_600_000 };
  const created = await api(b.http, 'POST', '/api/v1/auctions', { token: seller, key, body });
  t.equal(created.status, 201);
  t.match(created.body, { id: /^[0-9a-f-]{36}$/, ok: true, seq: 1, status: 'PENDING' });
  const retry = await api(b.http, 'POST', '/api/v1/auctions', { token: seller, key, body });
  t.same(retry.body, created.body, 'a retried create names the same auction');
  const id = created.body.id as string;
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${id}/open`, { token: alice })).body, { code: 'NOT_SELLER' });
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${id}/open`, { token: seller })).body, { ok: true, status: 'OPEN', seq: 2 });
  const view = await api(b.http, 'GET', `/api/v1/auctions/${id}`);
  t.match(view.body, { auction: id, seq: 2, status: 'OPEN', price: 5_000, bidCount: 0, leader: null, minNext: 5_000, endsAt: now + 3_600_000, buyNowPrice: null, reserveMet: false });
  t.match(await api(b.http, 'GET', '/api/v1/auctions/unknown'), { status: 404, body: { code: 'AUCTION_NOT_FOUND' } });
  const bad = await api(b.http, 'POST', '/api/v1/auctions', { token: seller, key: rid(), body: { ...body, startPrice: -1 } });
  t.match(bad, { status: 400, body: { code: 'INVALID_AUCTION', detail: /startPrice/ } });
});

t.test('HTTP and socket bids land in one seq sequence', async (t) => {
  const auction = await openAuction(b, 'seller');
  const bob = await Client.open(b.ws, { token: await b.token('bob') });
  t.teardown(() => bob.close());
  const h1 = await api(b.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: alice, key: rid(), body: { amount: 10_000 } });
  const s1 = await bob.command({ t: 'bid', rid: rid(), auction, amount: 11_000 });
  const h2 = await api(b.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: alice, key: rid(), body: { amount: 12_000, max: 20_000 } });
  t.equal(h1.status, 200);
  t.same([h1.body.seq, s1.seq, h2.body.seq], [3, 4, 5]);
  t.match(h2.body, { ok: true, leading: true, price: 12_000 });
  t.match(await bob.type('notice', { kind: 'outbid' }), { seq: 5 }, 'the HTTP bid outbids the socket bidder');
});

t.test('Idempotency-Key: replay, reuse, absence', async (t) => {
  const auction = await openAuction(b, 'seller');
  const key = rid('k');
  const path = `/api/v1/auctions/${auction}/bids`;
  const first = await api(b.http, 'POST', path, { token: alice, key, body: { amount: 15_000 } });
  const again = await api(b.http, 'POST', path, { token: alice, key, body: { amount: 15_000 } });
  t.equal(again.status, first.status);
  t.same(again.body, first.body, 'the retry gets the first reply');
  t.equal((await api(b.http, 'GET', `/api/v1/auctions/${auction}`)).body.seq, first.body.seq, 'applied once');
  const reused = await api(b.http, 'POST', path, { token: alice, key, body: { amount: 99_000 } });
  t.match(reused, { status: 422, type: /problem\+json/, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  t.match(await api(b.http, 'POST', path, { token: alice, body: { amount: 16_000 } }), { status: 400, body: { code: 'VALIDATION_FAILED', detail: /Idempotency-Key/ } });
  t.match(await api(b.http, 'POST', path, { token: alice, key: 'x'.repeat(65), body: { amount: 16_000 } }), { status: 400 });
});

t.test('problem+json errors', async (t) => {
  const auction = await openAuction(b, 'seller');
  const path = `/api/v1/auctions/${auction}/bids`;
  const noToken = await api(b.http, 'POST', path, { key: rid(), body: { amount: 10_000 } });
  t.match(noToken, { status: 401, type: /^application\/problem\+json/, body: { type: String, title: String, status: 401, code: 'UNAUTHENTICATED', detail: String } });
  t.match(await api(b.http, 'POST', path, { token: 'nope', key: rid(), body: { amount: 10_000 } }), { status: 401 });
  t.match(await api(b.http, 'POST', path, { token: alice, key: rid(), raw: '{"amount":', headers: { 'content-type': 'application/json' } }), { status: 400, body: { code: 'BAD_FRAME' } });
  t.match(await api(b.http, 'POST', path, { token: alice, key: rid(), body: [1] }), { status: 400, body: { code: 'VALIDATION_FAILED' } });
  t.match(await api(b.http, 'POST', path, { token: alice, key: rid(), body: { amount: 'lots' } }), { status: 400, body: { code: 'INVALID_AMOUNT' } });
  t.match(await api(b.http, 'POST', path, { token: alice, key: rid(), body: { amount: 1 } }), { status: 409, body: { code: 'BID_TOO_LOW', minNext: 10_000, price: 10_000 } });
  t.match(await api(b.http, 'POST', path, { token: alice, key: rid(), body: { amount: 10_000, pad: 'x'.repeat(4096) } }), { status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
  t.match(await api(b.http, 'POST', `/api/v1/auctions/${auction}/buy-now`, { token: alice, key: rid() }), { status: 409, body: { code: 'BUY_NOW_UNAVAILABLE' } });
  t.match(await api(b.http, 'GET', '/api/v1/nothing'), { status: 404, body: { code: 'NOT_FOUND' } });
  t.match(await api(b.http, 'POST', path, { token: alice, key: rid(), raw: 'amount=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), { status: 400, body: { code: 'VALIDATION_FAILED' } });
});

t.test('a streamed (chunked) request body is forwarded whole', async (t) => {
  const auction = await openAuction(b, 'seller');
  const parts = ['{"amo', 'unt":', ' 10000}'];
  const body = new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(new TextEncoder().encode(p));
      c.close();
    },
  });
  const r = await fetch(`${b.http}/api/v1/auctions/${auction}/bids`, {
    method: 'POST', body, duplex: 'half',
    headers: { authorization: `Bearer ${alice}`, 'idempotency-key': rid(), 'content-type': 'application/json' },
  } as RequestInit);
  t.equal(r.status, 200);
  t.match(await r.json(), { ok: true, price: 10_000 });
});

t.test('probes', async (t) => {
  t.match(await api(b.http, 'GET', '/healthz'), { status: 200, body: { status: 'ok' } });
  t.match(await api(b.http, 'GET', '/readyz'), { status: 200, body: { status: 'ready' } });
  const head = await fetch(`${b.http}/healthz`, { method: 'HEAD' });
  t.equal(head.status, 200, 'HEAD works through the bridge');
});

// SPEC §1 against the real server: the same (bidder, rid) gets its first reply whichever auction the
// repeat names, AUCTION_NOT_FOUND included, over the socket and over HTTP (the Idempotency-Key is the
// rid), and after a restart (issue 12, defect 7).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { api, boot, Client, openAuction, rid, type Booted } from './harness.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-repeat-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
// Both runs of the server share one data directory, so the second recovers what the first journaled.
const env = { DATA_DIR: dir, DATABASE_URL: path.join(dir, 'okj.db') };
let b: Booted = await boot(env);
t.teardown(() => b.stop());

const auction = await openAuction(b, 'seller', { buyNowPrice: 500_000 });
const alice = await b.token('alice');
const nowhere = () => randomUUID();

/** The public figures of the auction: what a repeat must leave alone. */
async function figures() {
  const r = await api(b.http, 'GET', `/api/v1/auctions/${auction}`);
  return { status: r.body.status, price: r.body.price, bidCount: r.body.bidCount };
}

const bid = (key: string, id: string, amount: number) =>
  api(b.http, 'POST', `/api/v1/auctions/${id}/bids`, { token: alice, key, body: { amount } });

t.test('socket: a repeat naming an unknown auction gets the first reply (a)', async (t) => {
  const a = await Client.open(b.ws, { token: alice });
  t.teardown(() => a.close());
  const r = rid();
  const first = await a.command({ t: 'bid', rid: r, auction, amount: 10_000 });
  t.match(first, { t: 'ack', ok: true, seq: 3 });
  const before = await figures();
  const again = await a.command({ t: 'bid', rid: r, auction: nowhere(), amount: 100 });
  t.same(again, first, 'the first ack, not AUCTION_NOT_FOUND');
  t.same(await figures(), before);
});

t.test('socket: AUCTION_NOT_FOUND is remembered; a repeat naming a real auction gets it (b)', async (t) => {
  const a = await Client.open(b.ws, { token: alice });
  t.teardown(() => a.close());
  const r = rid();
  const first = await a.command({ t: 'bid', rid: r, auction: nowhere(), amount: 100 });
  t.match(first, { t: 'ack', ok: false, code: 'AUCTION_NOT_FOUND', rid: r });
  const before = await figures();
  const again = await a.command({ t: 'bid', rid: r, auction, amount: 90_000 });
  t.same(again, first, 'the first reply, not an accepted bid');
  const buy = await a.command({ t: 'buy', rid: r, auction });
  t.same(buy, first, 'whatever the command');
  t.same(await figures(), before, 'nothing applied');
});

t.test('HTTP shares the (user, rid) space with the socket, both ways', async (t) => {
  const a = await Client.open(b.ws, { token: alice });
  t.teardown(() => a.close());
  const k1 = rid('k');
  const first = await a.command({ t: 'bid', rid: k1, auction, amount: 20_000 });
  t.match(first, { ok: true });
  const viaHttp = await bid(k1, nowhere(), 100);
  t.equal(viaHttp.status, 200, 'the first reply, not 404');
  t.match(viaHttp.body, { ok: true, rid: k1, seq: first.seq, price: first.price, leading: first.leading, endsAt: first.endsAt });

  const k2 = rid('k');
  const refused = await bid(k2, nowhere(), 100);
  t.equal(refused.status, 404);
  t.match(refused.body, { code: 'AUCTION_NOT_FOUND', rid: k2 });
  const before = await figures();
  t.match(await a.command({ t: 'bid', rid: k2, auction, amount: 90_000 }), { ok: false, code: 'AUCTION_NOT_FOUND', rid: k2 });
  t.same(await figures(), before, 'nothing applied');
});

t.test('across a restart, over HTTP: bids and buy-now', async (t) => {
  const accepted = rid('k');
  const first = await bid(accepted, auction, 30_000);
  t.equal(first.status, 200);
  const notFound = rid('k');
  const refused = await bid(notFound, nowhere(), 100);
  t.equal(refused.status, 404);
  const buyKey = rid('k');
  const buyRefused = await api(b.http, 'POST', `/api/v1/auctions/${nowhere()}/buy-now`, { token: alice, key: buyKey });
  t.equal(buyRefused.status, 404);
  t.match(buyRefused.body, { code: 'AUCTION_NOT_FOUND' });
  const before = await figures();

  // A new process remembers no Idempotency-Key fingerprints: only the engine's replies answer.
  await b.stop();
  b = await boot(env);
  const alice2 = await b.token('alice');
  const again = (key: string, id: string, amount: number) =>
    api(b.http, 'POST', `/api/v1/auctions/${id}/bids`, { token: alice2, key, body: { amount } });

  const a = await again(accepted, nowhere(), 100);
  t.equal(a.status, 200, 'the accepted first reply, on an unknown auction (a)');
  t.same(a.body, first.body);
  const bb = await again(notFound, auction, 90_000);
  t.equal(bb.status, 404, 'AUCTION_NOT_FOUND, on the real auction (b)');
  t.same(bb.body, refused.body);
  const buy = await api(b.http, 'POST', `/api/v1/auctions/${auction}/buy-now`, { token: alice2, key: buyKey });
  t.equal(buy.status, 404, 'buy-now: the first reply, not a purchase');
  t.same(buy.body, buyRefused.body);
  t.same(await figures(), before, 'nothing applied');
});

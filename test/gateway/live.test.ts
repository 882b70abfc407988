// The live path: sub -> snap, bid -> ack, px to every watcher, the outbid notice on every socket of
// the outbid user, and JSON and MessagePack clients side by side.
import t from 'tap';
import { api, boot, Client, openAuction, rid } from './harness.ts';

const b = await boot();
t.teardown(() => b.stop());

const auction = await openAuction(b, 'seller', { reservePrice: 50_000 });
const alice = await b.token('alice');
const bob = await b.token('bob');

t.test('snap, bid, ack, px, notice', async (t) => {
  const watcher = await Client.open(b.ws);
  const packed = await Client.open(b.ws, { enc: 'msgpack' });
  const a = await Client.open(b.ws, { token: alice });
  const a2 = await Client.open(b.ws, { token: alice }); // alice's second tab
  const bb = await Client.open(b.ws, { token: bob, enc: 'msgpack' });
  t.teardown(() => Promise.all([watcher, packed, a, a2, bb].map((c) => c.close())));

  for (const c of [watcher, packed, a2]) c.send({ t: 'sub', auctions: [auction] });
  const snap = await watcher.type('snap');
  t.match(snap, { auction, seq: 2, status: 'OPEN', price: 10_000, bidCount: 0, leader: null, minNext: 10_000, buyNowPrice: null, reserveMet: false, now: Number });
  t.notOk('reservePrice' in snap || 'leaderMax' in snap || 'reserve' in snap, 'no reserve, no ceiling');
  const { now: _n1, ...fields } = snap;
  const { now: _n2, ...packedFields } = await packed.type('snap');
  t.same(packedFields, fields, 'same snap over MessagePack');
  await a2.type('snap');

  const first = await a.command({ t: 'bid', rid: rid(), auction, amount: 20_000, max: 40_000 });
  t.match(first, { t: 'ack', ok: true, seq: 3, price: 20_000, leading: true, endsAt: Number });

  const px = await watcher.type('px', { seq: 3 });
  t.same(Object.keys(px).sort(), ['auction', 'bidCount', 'endsAt', 'leader', 'minNext', 'price', 'seq', 't'], 'px has exactly its fields');
  t.match(px, { price: 20_000, bidCount: 1, leader: 'a***e', minNext: 21_000 });
  t.same(await packed.type('px', { seq: 3 }), px, 'MessagePack watcher sees the same px');
  t.ok(packed.log.every((l) => l.binary) && watcher.log.every((l) => !l.binary), 'each in its own encoding');

  // Bob bids under alice's ceiling: accepted, but alice keeps the lead; then over it.
  const under = await bb.command({ t: 'bid', rid: rid(), auction, amount: 30_000 });
  t.match(under, { ok: true, leading: false, price: 31_000 }, 'outbid at once by the ceiling');
  t.equal((await watcher.type('px', { seq: 4 })).price, 31_000, 'the ceiling itself is never shown');

  const over = await bb.command({ t: 'bid', rid: rid(), auction, amount: 45_000 });
  t.match(over, { ok: true, leading: true, seq: 5 });
  for (const c of [a, a2]) {
    t.match(await c.type('notice', { kind: 'outbid' }), { auction, seq: 5, price: 45_000, minNext: 46_000 }, 'outbid notice on every socket of alice');
  }
  t.ok(await watcher.quiet((f) => f.t === 'notice'), 'anonymous watchers get no notices');
  t.match(await watcher.type('px', { seq: 5 }), { leader: 'b*b', price: 45_000 });

  const low = await a.command({ t: 'bid', rid: rid(), auction, amount: 45_500 });
  t.match(low, { ok: false, code: 'BID_TOO_LOW', minNext: 46_000 });
});

t.test('ack replay: the same rid returns the first reply and applies nothing', async (t) => {
  const a = await Client.open(b.ws, { token: alice });
  t.teardown(() => a.close());
  const r = rid();
  const one = await a.command({ t: 'bid', rid: r, auction, amount: 60_000 });
  const two = await a.command({ t: 'bid', rid: r, auction, amount: 70_000 });
  t.same(two, one);
  const view = await api(b.http, 'GET', `/api/v1/auctions/${auction}`);
  t.equal(view.body.seq, one.seq, 'seq did not move');
  t.equal(view.body.reserveMet, true, 'only reserveMet is shown');
});

t.test('unsub stops the feed', async (t) => {
  const w = await Client.open(b.ws);
  const a = await Client.open(b.ws, { token: bob });
  t.teardown(() => Promise.all([w.close(), a.close()]));
  w.send({ t: 'sub', auctions: [auction] });
  await w.type('snap');
  w.send({ t: 'unsub', auctions: [auction] });
  t.same(await w.type('unsubbed'), { t: 'unsubbed', auctions: [auction] });
  await a.command({ t: 'bid', rid: rid(), auction, amount: 200_000 });
  t.ok(await w.quiet((f) => f.t === 'px'), 'no px after unsub');
});

t.test('an error frame echoes a rid of 40 emoji, in either encoding', async (t) => {
  const r = '\u{1F600}'.repeat(40); // 40 code points: a valid rid, 80 UTF-16 units
  for (const enc of ['json', 'msgpack'] as const) {
    const c = await Client.open(b.ws, { enc });
    t.teardown(() => c.close());
    c.send({ t: 'bid', rid: r, auction: 7, amount: 10_000 });
    t.match(await c.type('error'), { code: 'VALIDATION_FAILED', rid: r }, `${enc}: a bad field`);
    c.send({ t: 'bidd', rid: r });
    t.match(await c.type('error'), { code: 'UNKNOWN_TYPE', rid: r }, `${enc}: an unknown type`);
  }
});

t.test('sub to an unknown auction', async (t) => {
  const w = await Client.open(b.ws);
  t.teardown(() => w.close());
  w.send({ t: 'sub', auctions: ['nope'] });
  t.match(await w.type('error'), { code: 'NOT_FOUND', auction: 'nope' });
});

// Resume: a client that reconnects with `since` gets exactly the frames it missed, in order; a gap
// older than the ring gets a fresh snap; nothing missed means nothing sent; a snap among the missed
// frames says when it is sent.
import t from 'tap';
import { ManualClock } from '../../engine/index.ts';
import { api, boot, Client, HOUR, MINUTE, openAuction, rid } from './harness.ts';

const b = await boot({ WS_RESUME_FRAMES: '4' });
t.teardown(() => b.stop());
const auction = await openAuction(b, 'seller');
const bidder = await Client.open(b.ws, { token: await b.token('alice') });
const rival = await Client.open(b.ws, { token: await b.token('bob') });
t.teardown(() => Promise.all([bidder.close(), rival.close()]));
let amount = 10_000;
const bid = async (who: Client) => {
  const ack = await who.command({ t: 'bid', rid: rid(), auction, amount });
  amount += 1_000;
  return ack.seq as number;
};

t.test('the missed events, exactly', async (t) => {
  const steady = await Client.open(b.ws); // stays connected: the reference
  const flaky = await Client.open(b.ws, { enc: 'msgpack' });
  steady.send({ t: 'sub', auctions: [auction] });
  flaky.send({ t: 'sub', auctions: [auction] });
  await steady.type('snap');
  const seen = (await flaky.type('snap')).seq as number;
  await flaky.close();

  const seqs = [await bid(bidder), await bid(rival), await bid(bidder)];
  const missed = [];
  for (const s of seqs) missed.push(await steady.type('px', { seq: s }));

  const back = await Client.open(b.ws, { enc: 'msgpack' });
  t.teardown(() => Promise.all([steady.close(), back.close()]));
  back.send({ t: 'sub', auctions: [auction], since: { [auction]: seen } });
  const got = [];
  for (let i = 0; i < missed.length; i++) got.push(await back.take((f) => f.t === 'px'));
  t.same(got, missed, 'the same frames the steady watcher got, in order');
  t.ok(await back.quiet((f) => f.t === 'snap' || f.t === 'px'), 'nothing more, no snap');

  const live = await bid(rival);
  t.equal((await back.type('px')).seq, live, 'then the live feed');
});

t.test('nothing missed: nothing sent', async (t) => {
  const w = await Client.open(b.ws);
  t.teardown(() => w.close());
  w.send({ t: 'sub', auctions: [auction] });
  const snap = await w.type('snap');
  const again = await Client.open(b.ws);
  t.teardown(() => again.close());
  again.send({ t: 'sub', auctions: [auction], since: { [auction]: snap.seq } });
  t.ok(await again.quiet(() => true), 'no frame');
});

t.test('a gap older than the ring gets a fresh snap', async (t) => {
  const w = await Client.open(b.ws);
  w.send({ t: 'sub', auctions: [auction] });
  const seen = (await w.type('snap')).seq as number;
  await w.close();
  let last = 0;
  for (let i = 0; i < 6; i++) last = await bid(i % 2 === 0 ? bidder : rival); // ring holds 4
  const back = await Client.open(b.ws);
  t.teardown(() => back.close());
  back.send({ t: 'sub', auctions: [auction], since: { [auction]: seen } });
  t.match(await back.type('snap'), { seq: last });
  t.ok(await back.quiet((f) => f.t === 'px'), 'no stale px');
});

t.test('a since from the future gets a snap', async (t) => {
  const w = await Client.open(b.ws);
  t.teardown(() => w.close());
  w.send({ t: 'sub', auctions: [auction], since: { [auction]: 1_000_000 } });
  t.match(await w.type('snap'), { auction });
});

t.test('a missed snap is sent again with the time it is sent', async (t) => {
  const T0 = 1_800_000_000_000;
  const clock = new ManualClock(T0);
  const m = await boot({}, { clock });
  t.teardown(() => m.stop());
  const token = await m.token('seller');
  const created = await api(m.http, 'POST', '/api/v1/auctions', {
    token, key: rid('create'), body: { productId: 'p1', startPrice: 10_000, bidUnit: 1_000, startsAt: T0, endsAt: T0 + HOUR },
  });
  const auction = created.body.id as string;
  const steady = await Client.open(m.ws);
  const flaky = await Client.open(m.ws, { enc: 'msgpack' });
  t.teardown(() => steady.close());
  for (const c of [steady, flaky]) c.send({ t: 'sub', auctions: [auction] });
  await steady.type('snap', { status: 'PENDING' });
  const seen = (await flaky.type('snap', { status: 'PENDING' })).seq as number;
  await flaky.close();

  clock.set(T0 + MINUTE);
  t.equal((await api(m.http, 'POST', `/api/v1/auctions/${auction}/open`, { token, key: rid('open') })).status, 200);
  const opened = await steady.type('snap', { status: 'OPEN' }); // opening reshapes: a snap, not a px
  t.equal(opened.now, T0 + MINUTE, 'broadcast when the open committed');
  const bidder = await Client.open(m.ws, { token: await m.token('alice') });
  t.teardown(() => bidder.close());
  const bid = await bidder.command({ t: 'bid', rid: rid(), auction, amount: 10_000 });
  await steady.type('px', { seq: bid.seq });

  clock.set(T0 + 5 * MINUTE);
  const back = await Client.open(m.ws, { enc: 'msgpack' });
  t.teardown(() => back.close());
  back.send({ t: 'sub', auctions: [auction], since: { [auction]: seen } });
  const again = await back.take((f) => f.t === 'snap' || f.t === 'px');
  t.same(again, { ...opened, now: T0 + 5 * MINUTE }, 'the kept snap, stamped now');
  t.match(await back.take((f) => f.t === 'snap' || f.t === 'px'), { t: 'px', seq: bid.seq }, 'then the px after it: a resume, not a fresh snap');
});

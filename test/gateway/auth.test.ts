// Socket authentication: the auth frame, ?access_token= on the upgrade, and what a bad or missing token gets.
import t from 'tap';
import { boot, Client, openAuction, rid } from './harness.ts';

const b = await boot();
t.teardown(() => b.stop());
const auction = await openAuction(b, 'seller');

t.test('auth frame, then bid', async (t) => {
  const c = await Client.open(b.ws);
  t.teardown(() => c.close());
  c.send({ t: 'auth', token: await b.token('alice') });
  // The bid is sent before the token is verified: it must wait for the auth, not fail.
  const r = rid();
  c.send({ t: 'bid', rid: r, auction, amount: 10_000 });
  t.same(await c.type('authed'), { t: 'authed', userId: 'alice' });
  t.match(await c.type('ack', { rid: r }), { ok: true, leading: true });
});

t.test('?access_token= on the upgrade', async (t) => {
  const c = await Client.open(b.ws, { token: await b.token('bob') });
  t.teardown(() => c.close());
  t.match(await c.command({ t: 'bid', rid: rid(), auction, amount: 50_000 }), { t: 'ack', ok: true });
});

t.test('a bad token on the upgrade gets UNAUTHENTICATED and leaves the socket anonymous', async (t) => {
  const c = await Client.open(b.ws, { token: 'garbage' });
  t.teardown(() => c.close());
  t.match(await c.type('error'), { code: 'UNAUTHENTICATED' });
  const r = rid();
  t.match(await c.command({ t: 'bid', rid: r, auction, amount: 95_000 }), { t: 'error', code: 'UNAUTHENTICATED', rid: r }, 'bidding is refused');
  const expired = await Client.open(b.ws, { token: await b.token('alice', { ttlSeconds: -5 }) });
  t.teardown(() => expired.close());
  t.match(await expired.type('error'), { code: 'UNAUTHENTICATED', message: /expired/ });
});

t.test('a bid sent right after an upgrade with a token waits for the token, then is applied', async (t) => {
  const c = await Client.open(b.ws, { token: await b.token('carol') });
  t.teardown(() => c.close());
  const r = rid();
  c.send({ t: 'bid', rid: r, auction, amount: 200_000 });
  t.same(await c.type('authed'), { t: 'authed', userId: 'carol' });
  t.match(await c.type('ack', { rid: r }), { ok: true, leading: true });
});

t.test('a bad auth frame gets UNAUTHENTICATED and leaves the socket anonymous', async (t) => {
  const c = await Client.open(b.ws);
  t.teardown(() => c.close());
  c.send({ t: 'auth', token: 'eyJhbGciOiJub25lIn0.e30.' });
  t.match(await c.type('error'), { code: 'UNAUTHENTICATED' });
  const r = rid();
  t.match(await c.command({ t: 'bid', rid: r, auction, amount: 90_000 }), { t: 'error', code: 'UNAUTHENTICATED', rid: r });
  c.send({ t: 'sub', auctions: [auction] });
  t.match(await c.type('snap'), { auction }, 'anonymous watching still works');
});

t.test('bidding without auth', async (t) => {
  const c = await Client.open(b.ws, { enc: 'msgpack' });
  t.teardown(() => c.close());
  const r = rid();
  t.match(await c.command({ t: 'buy', rid: r, auction }), { t: 'error', code: 'UNAUTHENTICATED', rid: r });
});

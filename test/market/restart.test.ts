// A restart: the server (`npm start`'s entry, as a child) is killed with SIGKILL while auctions are open,
// some ending while it is down, some after. After the restart the past ones close at once and the future
// ones on time, each exactly once: one closed event, one order, one inbox row per user, one outbox event.
import { readOutbox } from '../../app/market/outbox.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { signAccessToken, tokenKeys } from '../../app/accounts/tokens.ts';
import { openSqlStore } from '../helpers/stores.ts';
import { api, rid, sleep } from '../gateway/harness.ts';
import { killServerProcess as kill, startServerProcess } from '../helpers/server-process.ts';
import { eventually } from './fixtures.ts';

const SECRET = 'restart-test-secret-that-is-long-enough!';
const keys = tokenKeys({ secret: SECRET, issuer: 'okjangpan', audience: 'okjangpan-api' });

const start = (dir: string) => startServerProcess(dir, SECRET);

t.test('killed with auctions open; after restart past ends close at once, future ones on time, once each', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-restart-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const seller = await signAccessToken(keys, 'seller-r');
  const alice = await signAccessToken(keys, 'alice-r');

  const booting = Date.now();
  let child = await start(dir);
  t.teardown(() => kill(child, 'SIGKILL'));
  const now = Date.now();
  // A start takes a second on a quiet machine and many on a busy one: the restart must come well before
  // the future ends, so they are set from how long this start took.
  const startMs = now - booting;
  const PAST = now + Math.max(4_000, 2 * startMs); // passes while the server is down
  const FUTURE = PAST + Math.max(10_000, 4 * startMs); // after the restart
  const ids: Record<string, string> = {};
  for (const [name, endsAt] of [['past1', PAST], ['past2', PAST], ['future1', FUTURE], ['future2', FUTURE + 500]] as const) {
    const created = await api(child.url, 'POST', '/api/v1/auctions', {
      token: seller, key: rid(name),
      body: { productId: `prod-${name}`, startPrice: 1_000, bidUnit: 100, startsAt: now, endsAt, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 } },
    });
    t.equal(created.status, 201, name);
    ids[name] = created.body.id as string;
    t.match((await api(child.url, 'POST', `/api/v1/auctions/${ids[name]}/open`, { token: seller })).body, { ok: true });
    t.match((await api(child.url, 'POST', `/api/v1/auctions/${ids[name]}/bids`, { token: alice, key: rid('bid'), body: { amount: 1_000 } })).body, { ok: true });
  }
  await kill(child, 'SIGKILL');
  await sleep(Math.max(0, PAST + 500 - Date.now()));

  child = await start(dir);
  const up = Date.now();
  const status = async (name: string) => (await api(child.url, 'GET', `/api/v1/auctions/${ids[name]}`)).body.status as string;
  for (const name of ['past1', 'past2']) {
    await eventually(async () => ((await status(name)) === 'SOLD' ? true : undefined), 5_000, `${name} closed`);
  }
  t.ok(Date.now() - up < 3_000, 'the past ones closed at once after the restart');
  t.equal(await status('future1'), 'OPEN', 'the future ones wait');
  await eventually(async () => ((await status('future1')) === 'SOLD' ? true : undefined), FUTURE + 4_000 - Date.now(), 'future1 closed');
  t.ok(Date.now() >= FUTURE, 'not before its end');
  t.ok(Date.now() < FUTURE + 3_000, 'and on time');
  await eventually(async () => ((await status('future2')) === 'SOLD' ? true : undefined), FUTURE + 4_500 - Date.now(), 'future2 closed');

  // The close side effects, once each.
  const orders = await eventually(async () => {
    const r = await api(child.url, 'GET', '/api/v1/orders', { token: alice });
    return r.body.items.length >= 4 ? r.body.items : undefined;
  }, 5_000, 'four orders');
  t.same(orders.map((o: { auctionId: string }) => o.auctionId).sort(), Object.values(ids).sort(), 'one order per auction');
  // The inbox rows are a statement of their own, after the orders': wait for them too.
  const inbox = await eventually(async () => {
    const r = await api(child.url, 'GET', '/api/v1/inbox', { token: alice });
    return r.body.items.length >= 4 ? r.body.items : undefined;
  }, 5_000, 'four inbox rows');
  t.equal(inbox.length, 4, 'one inbox row per auction');

  // Once more, killed and restarted with everything closed: nothing closes twice. The server listens
  // only once recovery and the projection's catch-up are done, and a SIGTERM drains the projector, so
  // the store read below holds whatever this start did: a duplicate could not hide in a timing window.
  await kill(child, 'SIGKILL');
  child = await start(dir);
  t.equal((await api(child.url, 'GET', '/api/v1/orders', { token: alice })).body.items.length, 4);
  await kill(child, 'SIGTERM');

  const store = await openSqlStore({ url: path.join(dir, 'okjangpan.db') });
  t.teardown(() => store.close());
  for (const [name, id] of Object.entries(ids)) {
    const events = await store.read(id);
    t.equal(events.filter((e) => e.type === 'closed').length, 1, `${name}: one closed event`);
  }
  const outbox = (await readOutbox(store, 0, 10_000)).items.filter((e) => e.type === 'auction.closed');
  t.same(outbox.map((e) => e.auctionId).sort(), Object.values(ids).sort(), 'one auction.closed outbox event per auction');
  t.equal(Number((await store.db.read<{ n: unknown }>(store.db.builder('market_inbox').count({ n: '*' })))[0].n), 8, 'inbox: alice and the seller, per auction, once each');
  t.equal(Number((await store.db.read<{ n: unknown }>(store.db.builder('market_orders').count({ n: '*' })))[0].n), 4, 'orders: one per auction');
});

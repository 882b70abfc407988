// A create's listing details (title, category, tags) are stored before the engine's create, and only if
// absent: when they cannot be stored nothing is created (STORE_UNAVAILABLE); details whose create then
// failed are listed nowhere; and a create replayed after a restart (when the key's fingerprint is
// forgotten) with another body gets the first reply and leaves the first details alone.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { auctionIdFor } from '../../http/auction/routes.ts';
import { MemoryMarket } from '../../storage/market/memory.ts';
import type { ListingMeta } from '../../storage/market/ports.ts';
import { StoreUnavailableError } from '../../storage/auction/ports.ts';
import { api, boot, rid, type Booted } from '../gateway/harness.ts';
import { withAppend } from '../helpers/journal.ts';
import { eventually, taxonomy } from './fixtures.ts';
import { newAdmin, newBidder, newSeller } from './users.ts';

const HOUR = 3_600_000;

async function product(b: Booted, token: string, name: string, categoryId?: string): Promise<string> {
  const r = await api(b.http, 'POST', '/api/v1/products', { token, body: { name, ...(categoryId ? { categoryId } : {}) } });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id as string;
}

const createBody = (productId: string, extra: Record<string, unknown> = {}) => {
  const now = Date.now();
  return { productId, startPrice: 10_000, startsAt: now, endsAt: now + HOUR, ...extra };
};

/** What a seller sees of their own auctions, every status. */
const mine = async (b: Booted, token: string) => (await api(b.http, 'GET', '/api/v1/me/auctions?role=seller', { token })).body.items as { id: string }[];

t.test('details that cannot be stored: STORE_UNAVAILABLE and nothing created; the retry creates it', async (t) => {
  class FlakyMarket extends MemoryMarket {
    failing = false;
    override async addMeta(m: ListingMeta): Promise<void> {
      if (this.failing) throw new StoreUnavailableError('the market store is down');
      return super.addMeta(m);
    }
  }
  const store = new FlakyMarket();
  const b = await boot({}, { market: { store } });
  t.teardown(() => b.stop());
  const seller = await newSeller(b);
  const p = await product(b, seller.token, 'Tube radio');
  const key = rid('c');
  const body = createBody(p);

  store.failing = true;
  const refused = await api(b.http, 'POST', '/api/v1/auctions', { token: seller.token, key, body });
  t.match(refused, { status: 503, type: /problem\+json/, body: { code: 'STORE_UNAVAILABLE' } });
  const id = auctionIdFor(seller.id, key);
  t.equal(b.server.service.registry.size, 0, 'the engine created nothing');
  t.match(await api(b.http, 'GET', `/api/v1/auctions/${id}`), { status: 404, body: { code: 'AUCTION_NOT_FOUND' } });
  t.equal(await b.server.market.store.listing(id), null, 'nor any details');
  t.same(await mine(b, seller.token), [], 'nothing listed');

  store.failing = false;
  const created = await api(b.http, 'POST', '/api/v1/auctions', { token: seller.token, key, body });
  t.match(created, { status: 201, body: { id } }, 'the retry with the same key creates it');
  const detail = await api(b.http, 'GET', `/api/v1/auctions/${created.body.id}`);
  t.match(detail.body, { status: 'PENDING', listing: { title: 'Tube radio' } });
});

t.test('details whose create failed in the journal are listed nowhere, and the retry keeps them', async (t) => {
  let failCreates = false;
  const b = await boot({}, {
    wrapStores: (s) => {
      const j = s.journal;
      s.journal = withAppend(j, async (batch) => {
        if (failCreates && batch.events.some((e) => e.type === 'created')) throw new StoreUnavailableError('the journal is down');
        return j.append(batch);
      });
      return s;
    },
  });
  t.teardown(() => b.stop());
  const seller = await newSeller(b);
  const fan = await newBidder(b, 'fan');
  const p = await product(b, seller.token, 'Film camera');
  const key = rid('c');

  const body = createBody(p);
  failCreates = true;
  const failed = await api(b.http, 'POST', '/api/v1/auctions', { token: seller.token, key, body });
  t.match(failed, { status: 503, body: { code: 'STORE_UNAVAILABLE' } });
  failCreates = false;
  const id = auctionIdFor(seller.id, key);
  t.match(await b.server.market.store.listing(id), { seq: 0, title: 'Film camera' }, 'the details were stored before the engine failed');

  await eventually(async () => ((await api(b.http, 'GET', `/api/v1/auctions/${id}`)).status === 404 ? true : undefined), 5_000, 'the auction is unknown');
  t.same(await mine(b, seller.token), [], 'not among my auctions');
  for (const status of ['PENDING', 'OPEN']) {
    t.same((await api(b.http, 'GET', `/api/v1/auctions?status=${status}&seller=${seller.id}`)).body.items, [], `not in the ${status} list`);
  }
  t.same((await api(b.http, 'GET', '/api/v1/auctions?status=PENDING&q=film')).body.items.filter((l: { id: string }) => l.id === id), [], 'nor found by its title');
  t.match(await api(b.http, 'PUT', `/api/v1/wishes/${id}`, { token: fan.token }), { status: 404, body: { code: 'AUCTION_NOT_FOUND' } }, 'nor wished');
  t.same((await api(b.http, 'GET', '/api/v1/wishes', { token: fan.token })).body.items, []);

  const retried = await api(b.http, 'POST', '/api/v1/auctions', { token: seller.token, key, body });
  t.match(retried, { status: 201, body: { id, ok: true, status: 'PENDING' } });
  const listed = await eventually(async () => (await mine(b, seller.token)).find((l) => l.id === id), 5_000, 'listed once created');
  t.match(listed, { title: 'Film camera', status: 'PENDING' });
});

t.test('a create replayed after a restart with another body: the first reply, the first details', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-details-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const env = { DATABASE_URL: path.join(dir, 'okj.db') };

  let b = await boot(env);
  let running = true;
  t.teardown(async () => {
    if (running) await b.stop();
  });
  const admin = await newAdmin(b);
  await taxonomy(b, admin, 'cam', 'film');
  await taxonomy(b, admin, 'lens', 'digital');
  const seller = await newSeller(b);
  const first = await product(b, seller.token, 'Film camera', 'cam');
  const second = await product(b, seller.token, 'Zoom lens', 'lens');
  const key = rid('c');
  const created = await api(b.http, 'POST', '/api/v1/auctions', { token: seller.token, key, body: createBody(first, { tags: ['film'] }) });
  t.equal(created.status, 201);
  const id = created.body.id as string;
  const other = createBody(second, { startPrice: 20_000, tags: ['digital'] });
  t.match(await api(b.http, 'POST', '/api/v1/auctions', { token: seller.token, key, body: other }), { status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } }, 'caught while this process remembers the key');
  await b.stop();
  running = false;

  b = await boot(env);
  running = true;
  const replay = await api(b.http, 'POST', '/api/v1/auctions', { token: seller.token, key, body: other });
  t.equal(replay.status, 201, 'after the restart the key is not recognised as reused');
  t.same(replay.body, created.body, 'and the first reply comes back');
  const detail = await api(b.http, 'GET', `/api/v1/auctions/${id}`);
  t.match(detail.body, { price: 10_000, listing: { productId: first, title: 'Film camera', categoryId: 'cam', tags: ['film'] }, product: { id: first } }, 'the first details stand');
  const listed = await eventually(async () => (await mine(b, seller.token)).find((l) => l.id === id), 5_000, 'listed');
  t.match(listed, { title: 'Film camera', tags: ['film'] });
  t.same((await api(b.http, 'GET', `/api/v1/auctions?status=PENDING&tag=digital&seller=${seller.id}`)).body.items, [], 'not under the replay\'s tag');

  // Editing while PENDING is how details change.
  t.match((await api(b.http, 'PATCH', `/api/v1/auctions/${id}`, { token: seller.token, body: { tags: ['digital'] } })).body, { ok: true });
  t.match((await api(b.http, 'GET', `/api/v1/auctions/${id}`)).body, { listing: { tags: ['digital'] } });
});

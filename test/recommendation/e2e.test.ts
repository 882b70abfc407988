// End to end through real HTTP, on the embedded default (SQLite, memory stores) and on MariaDB + Redis:
// wishes and bids by members of one group move that group's list within a second (awaited, not slept),
// and not another group's; the caller's own auctions and those they lead are left out; the similar list
// follows co-bids; bad input gets stable codes.
import t, { type Test } from 'tap';
import { Redis } from 'ioredis';
import { recommendationKeys } from '../../storage/redis/keys.ts';
import { mariaDbDatabase, redisPrefix, requireRedis } from '../helpers/services.ts';
import { api, boot, rid, type Booted } from '../gateway/harness.ts';
import { person, signUpAndVerify } from '../accounts/helpers.ts';
import { eventually, PNG, postForm, taxonomy } from '../market/fixtures.ts';
import { newAdmin, newSeller, type TestUser } from '../market/users.ts';

type Item = { auctionId: string; score: number; reason: { kind: string; tag?: string; auction?: string } };

async function member(b: Booted, gender: string, ageBand: string, region: string): Promise<TestUser> {
  const v = await signUpAndVerify(b, person({ gender, ageBand, region }));
  return { id: v.body.userId as string, token: v.body.accessToken as string };
}

async function openAuction(b: Booted, seller: TestUser, tags: string[]): Promise<string> {
  const product = await postForm(b.http, '/api/v1/products', seller.token, { name: `item ${tags.join(' ')}`, categoryId: 'things' }, [{ name: 'a.png', bytes: PNG }]);
  if (product.status !== 201) throw new Error(JSON.stringify(product.body));
  const now = Date.now();
  const created = await api(b.http, 'POST', '/api/v1/auctions', {
    token: seller.token, key: rid('create'),
    body: { productId: product.body.id, startPrice: 10_000, bidUnit: 1_000, startsAt: now, endsAt: now + 3_600_000, tags },
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  const id = created.body.id as string;
  const opened = await api(b.http, 'POST', `/api/v1/auctions/${id}/open`, { token: seller.token });
  if (opened.body.ok !== true) throw new Error(JSON.stringify(opened.body));
  return id;
}

const bid = async (b: Booted, u: TestUser, auction: string, amount: number) => {
  const r = await api(b.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: u.token, key: rid('bid'), body: { amount } });
  if (r.body.ok !== true) throw new Error(JSON.stringify(r.body));
};

const listFor = async (b: Booted, u: TestUser | null, path = '/api/v1/recommendations?limit=10'): Promise<Item[]> => {
  const r = await api(b.http, 'GET', path, u === null ? {} : { token: u.token });
  if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body.items as Item[];
};

async function scenario(t: Test, b: Booted): Promise<{ viewer: TestUser }> {
  const admin = await newAdmin(b);
  for (const tag of ['film', 'toy', 'lens']) await taxonomy(b, admin, 'things', tag);
  const seller = await newSeller(b);
  const [film, toy, lens] = [await openAuction(b, seller, ['film']), await openAuction(b, seller, ['toy']), await openAuction(b, seller, ['lens'])];
  const [a1, a2, viewer] = [await member(b, 'FEMALE', '30s', 'SEOUL'), await member(b, 'FEMALE', '30s', 'SEOUL'), await member(b, 'FEMALE', '30s', 'SEOUL')];
  const [m1, other] = [await member(b, 'MALE', '20s', 'BUSAN'), await member(b, 'MALE', '20s', 'BUSAN')];

  // One group wishes and bids on the toy; the other wishes the lens.
  const started = Date.now();
  t.equal((await api(b.http, 'PUT', `/api/v1/wishes/${toy}`, { token: a1.token })).status, 201);
  await bid(b, a2, toy, 10_000);
  t.equal((await api(b.http, 'PUT', `/api/v1/wishes/${lens}`, { token: m1.token })).status, 201);
  const first = await eventually(async () => {
    const items = await listFor(b, viewer);
    return items[0]?.auctionId === toy && items[0].reason.kind === 'tag' ? items : undefined;
  }, 1000, "the toy first in the group's list");
  t.same(first[0].reason, { kind: 'tag', tag: 'toy' }, 'the reason names the tag');
  t.ok(Date.now() - started < 1000 + 500, 'within a second');
  const theirs = await eventually(async () => {
    const items = await listFor(b, other);
    return items[0]?.auctionId === lens ? items : undefined;
  }, 1000, "the lens first in the other group's list");
  t.same(theirs[0].reason, { kind: 'tag', tag: 'lens' });
  t.notOk(first.some((i) => i.auctionId === lens && i.reason.kind === 'tag'), "the other group's wish is not this group's taste");

  // Own auctions and those the caller leads are left out.
  t.notOk((await listFor(b, a2)).some((i) => i.auctionId === toy), 'a2 leads the toy');
  t.same((await listFor(b, seller)).filter((i) => [film, toy, lens].includes(i.auctionId)), [], "the seller's own auctions");
  const anonymous = await listFor(b, null);
  t.ok(anonymous.length > 0 && anonymous.every((i) => i.reason.kind === 'popular'), 'anonymous callers get popularity');

  // Co-bids: bidders on the toy also bid on the film.
  await bid(b, a1, film, 10_000);
  await bid(b, a2, film, 11_000);
  const similar = await eventually(async () => {
    const items = await listFor(b, null, `/api/v1/auctions/${toy}/similar`);
    return items.some((i) => i.auctionId === film) ? items : undefined;
  }, 1000, 'the film similar to the toy');
  t.same(similar[0], { auctionId: film, score: similar[0].score, reason: { kind: 'cobid', auction: toy } });
  t.ok(similar[0].score > 0 && similar[0].score <= 1, 'a cosine');
  t.same(await listFor(b, null, `/api/v1/auctions/${lens}/similar`), [], 'nobody bid on the lens');

  // The overview's recommended list is the recommendation's (popularity for the anonymous overview).
  const overview = await api(b.http, 'GET', '/api/v1/auctions/overview');
  t.ok([film, toy].every((id) => overview.body.recommended.some((l: { id: string }) => l.id === id)), 'bid-on auctions recommended');

  // Bad input.
  // The group is the caller's own, from the token: asking for another group's list is refused, not obeyed.
  for (const q of ['limit=0', 'limit=101', 'limit=1000000', 'limit=abc', 'limit=1&limit=2', 'sort=x', `group=${encodeURIComponent('MALE|20s|BUSAN')}`, 'user=someone']) {
    const r = await api(b.http, 'GET', `/api/v1/recommendations?${q}`);
    t.match({ status: r.status, code: r.body.code }, { status: 400, code: 'VALIDATION_FAILED' }, q);
  }
  const unknown = await api(b.http, 'GET', '/api/v1/auctions/no-such-auction/similar');
  t.match({ status: unknown.status, code: unknown.body.code }, { status: 404, code: 'AUCTION_NOT_FOUND' });
  const badToken = await api(b.http, 'GET', '/api/v1/recommendations', { token: 'not-a-token' });
  t.equal(badToken.status, 401, 'a token that is given must be valid');
  return { viewer };
}

t.test('embedded default: SQLite and memory stores', async (t) => {
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
  const env = { DATABASE_URL: db.url, REDIS_URL: redis, REDIS_PREFIX: prefix };
  booted = await boot(env);
  const { viewer } = await scenario(t, booted);

  // A restart that lost the consumer's cursor (as if the process died before saving it) reads the whole
  // journal again: the scores must not move.
  const scores = async (b: Booted) => (await listFor(b, viewer)).filter((i) => i.reason.kind === 'tag').map((i) => [i.auctionId, i.score] as const);
  const before = await scores(booted);
  t.ok(before.length > 0);
  await booted.stop();
  booted = null;
  const raw = new Redis(redis);
  t.teardown(() => raw.disconnect());
  t.equal(await raw.del(recommendationKeys(prefix).consumerPosition()), 1, 'the cursor is gone');
  booted = await boot(env);
  const after = await scores(booted);
  t.same(after.map(([id]) => id), before.map(([id]) => id), 'the same list');
  for (const [i, [, score]] of after.entries()) t.ok(Math.abs(score / before[i][1] - 1) < 1e-3, `counted once: ${score} vs ${before[i][1]}`);
});

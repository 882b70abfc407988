// The Naver Shopping adapter against its loopback fake: the request it sends, how it cleans items, and
// every failure class with how it is told.
import t from 'tap';
import { NaverShopping } from '../../storage/pricing/naver.ts';
import { NAVER_TEST_CLIENT_ID as ID, NAVER_TEST_CLIENT_SECRET as SECRET, naverFake, type NaverFake, type NaverWireItem } from '../fakes/naver.ts';
import { deadOrigin, failureOf, type Teardown } from './fixtures.ts';

async function setup(t: Teardown): Promise<{ fake: NaverFake; naver: NaverShopping }> {
  const fake = await naverFake();
  t.teardown(() => fake.close());
  return { fake, naver: new NaverShopping({ clientId: ID, clientSecret: SECRET, baseUrl: fake.url, timeoutMs: 5000 }) };
}

const item = (over: Partial<NaverWireItem>): NaverWireItem => ({
  title: 'x', link: 'https://smartstore.naver.com/x/products/1', image: 'https://shopping-phinf.pstatic.net/x.jpg', lprice: '1000', hprice: '',
  mallName: '네이버', productId: '1', productType: '2', brand: '', maker: '', category1: '생활/건강', category2: '', category3: '', category4: '', ...over,
});

t.test('the request is the documented one', async (t) => {
  const { fake, naver } = await setup(t);
  await naver.search(' 다이슨 에어랩 ', 40);
  await naver.search('다이슨', 500);
  await naver.search('다이슨', 0);
  const [first, big, none] = fake.requests;
  t.equal(first.method, 'GET');
  t.equal(first.path, '/v1/search/shop.json');
  t.equal(first.headers['x-naver-client-id'], ID);
  t.equal(first.headers['x-naver-client-secret'], SECRET);
  t.same(Object.fromEntries(first.query), { query: '다이슨 에어랩', display: '40', start: '1', sort: 'sim', exclude: 'used:rental:cbshop' });
  t.equal(big.query.get('display'), '100', 'display is capped at 100');
  t.equal(none.query.get('display'), '1', 'and at least 1');
  t.equal(fake.calls, 3);
});

t.test('items come back as clean listings', async (t) => {
  const { fake, naver } = await setup(t);
  fake.put('에어랩', [
    item({ title: '다이슨 <b>에어랩</b> 멀티 스타일러 &amp; 드라이어 &quot;정품&quot;', lprice: '599000', hprice: '749000', productId: '11', productType: '1', category2: '헤어스타일러' }),
    item({ title: '<b>에어랩</b> 거치대 &lt;b&gt;강조&lt;/b&gt; &#39;호환&#39; &#x2F; &#44053;', lprice: '15900', hprice: '', productId: '12', brand: 'ACME &amp; Sons' }),
    item({ title: '가격 없는 <b>에어랩</b>', lprice: '0', productId: '13' }),
    item({ title: '최고가 0인 <b>에어랩</b>', lprice: '30000', hprice: '0', productId: '14' }),
  ]);
  const r = await naver.search('에어랩', 10);
  if (!r.ok) throw new Error(r.failure.message);
  t.equal(r.value.total, 4, 'total as Naver counts it');
  t.same(r.value.listings.map((l) => l.productId), ['11', '12', '14'], 'an item without a price is left out');
  const [a, b, c] = r.value.listings;
  t.equal(a.title, '다이슨 에어랩 멀티 스타일러 & 드라이어 "정품"', 'markup removed, entities decoded');
  t.equal(a.price, 599_000);
  t.equal(a.highPrice, 749_000);
  t.equal(a.productType, 1);
  t.same(a.categories, ['생활/건강', '헤어스타일러'], 'empty category levels dropped');
  t.equal(b.title, "에어랩 거치대 <b>강조</b> '호환' / 강", 'escaped markup stays text; numeric references decode');
  t.equal(b.highPrice, null, 'an empty hprice is null');
  t.equal(b.brand, 'ACME & Sons');
  t.equal(c.highPrice, null, 'so is hprice "0" (the documented "none")');
});

t.test('failures, each told apart, none thrown', async (t) => {
  const { fake, naver } = await setup(t);
  const cases: [Parameters<NaverFake['failNext']>[0], string, number | null, string | null][] = [
    ['unauthorized', 'unauthorized', 401, '024'],
    ['forbidden', 'unauthorized', 403, '024'],
    ['quota', 'quota', 429, '010'],
    ['rate-limited', 'rate-limited', 429, '012'],
    ['server-error', 'upstream', 500, 'SE99'],
    ['bad-gateway', 'upstream', 502, null],
    ['garbage', 'malformed', 200, null],
    ['wrong-shape', 'malformed', 200, null],
  ];
  for (const [fault, kind, status, code] of cases) {
    fake.failNext(fault);
    const f = failureOf(await naver.search('에어랩', 10));
    t.match(f, { kind, status, code }, `${fault}: ${kind}`);
  }
  const wrongSecret = new NaverShopping({ clientId: ID, clientSecret: 'not-the-secret-at-all', baseUrl: fake.url, timeoutMs: 5000 });
  const f = failureOf(await wrongSecret.search('에어랩', 10));
  t.match(f, { kind: 'unauthorized', status: 401, code: '024' }, 'a wrong secret: the fake checks the headers as Naver does');
  t.notMatch(f.message, /not-the-secret-at-all/, 'the secret is not in the message');
  t.notMatch(f.message, new RegExp(ID), 'nor the client id');

  const wrongPath = new NaverShopping({ clientId: ID, clientSecret: SECRET, baseUrl: `${fake.url}/v2`, timeoutMs: 5000 });
  t.match(failureOf(await wrongPath.search('에어랩', 10)), { kind: 'rejected', status: 404, code: 'SE05' }, 'another path: SE05, rejected');
});

t.test('not configured: no call is made', async (t) => {
  const { fake } = await setup(t);
  for (const creds of [{}, { clientId: ID }, { clientSecret: SECRET }, { clientId: '', clientSecret: '' }]) {
    const naver = new NaverShopping({ ...creds, baseUrl: fake.url, timeoutMs: 5000 });
    t.equal(failureOf(await naver.search('에어랩', 10)).kind, 'not-configured');
  }
  t.equal(fake.calls, 0);
});

t.test('time-outs cover the wait for headers and for the body', async (t) => {
  const { fake } = await setup(t);
  const naver = new NaverShopping({ clientId: ID, clientSecret: SECRET, baseUrl: fake.url, timeoutMs: 400 });
  let aborted = 0;
  for (const fault of ['hang', 'stall-body'] as const) {
    // No upper bound on the time (it flakes on a loaded machine): without its time-out the call would hang
    // on the fake and the test's own timeout would fail it; the fake seeing the request aborted shows the
    // time-out is what ended it.
    fake.failNext(fault);
    const t0 = performance.now();
    const f = failureOf(await naver.search('에어랩', 10));
    const ms = performance.now() - t0;
    t.equal(f.kind, 'timeout', `${fault}: timeout`);
    t.ok(ms >= 350, `${fault}: not before the deadline (${Math.round(ms)} ms)`);
    await fake.abortedAtLeast(++aborted);
    t.equal(fake.aborted, aborted, `${fault}: the fake saw the request aborted`);
  }
});

t.test('no server: network', async (t) => {
  const naver = new NaverShopping({ clientId: ID, clientSecret: SECRET, baseUrl: await deadOrigin(), timeoutMs: 5000 });
  t.match(failureOf(await naver.search('에어랩', 10)), { kind: 'network', status: null });
});

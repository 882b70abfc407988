// Price prediction through the real server, its configuration pointing at the loopback fakes: a product's
// create answers at once and its price follows (the product page shows it once ready); the route answers
// the stored price with its source; an unknown product is 404 NOT_FOUND; the metrics count the calls.
import t from 'tap';
import { api, boot } from '../gateway/harness.ts';
import { NAVER_TEST_CLIENT_ID, NAVER_TEST_CLIENT_SECRET, naverFake, wireItem } from '../fakes/naver.ts';
import { OPENAI_TEST_KEY, openAiFake } from '../fakes/openai.ts';
import { eventually, PNG, postForm } from '../market/fixtures.ts';
import { newSeller } from '../market/users.ts';
import { TABLET_ANSWER, TABLET_LISTINGS, TABLET_QUERY } from './fixtures.ts';

t.test('create, then the price: naver+llm, shown on the product page', async (t) => {
  const [naver, openai] = [await naverFake(), await openAiFake()];
  t.teardown(() => Promise.all([naver.close(), openai.close()]));
  naver.put(TABLET_QUERY, TABLET_LISTINGS.map((l) => wireItem(l, TABLET_QUERY)));
  openai.answer(TABLET_QUERY, TABLET_ANSWER);
  const b = await boot({
    NAVER_CLIENT_ID: NAVER_TEST_CLIENT_ID, NAVER_CLIENT_SECRET: NAVER_TEST_CLIENT_SECRET, NAVER_BASE_URL: naver.url,
    OPENAI_API_KEY: OPENAI_TEST_KEY, OPENAI_BASE_URL: openai.baseURL, OPENAI_MODEL: 'gpt-test-mini', PRICING_TIMEOUT_MS: '5000', METRICS_PUBLIC: '1',
  });
  t.teardown(() => b.stop());
  const seller = await newSeller(b);
  const created = await postForm(b.http, '/api/v1/products', seller.token, { name: TABLET_QUERY, description: '박스 있음' }, [{ name: 'a.png', bytes: PNG }]);
  t.equal(created.status, 201);
  const id = created.body.id as string;
  const shown = await eventually(async () => {
    const r = await api(b.http, 'GET', `/api/v1/products/${id}`);
    return r.body.marketPrice ?? undefined;
  }, 5000, 'the price on the product page');
  t.match(shown, { source: 'naver+llm', today: TABLET_ANSWER.today, threeMonths: TABLET_ANSWER.threeMonths });
  const price = await api(b.http, 'GET', `/api/v1/products/${id}/market-price`);
  t.equal(price.status, 200);
  t.same(price.body, shown, 'the route answers the stored price');
  t.equal(naver.calls, 1);
  t.equal(openai.calls, 1);

  const unknown = await api(b.http, 'GET', '/api/v1/products/no-such-product/market-price');
  t.match({ status: unknown.status, code: unknown.body.code }, { status: 404, code: 'NOT_FOUND' });
  const bad = await api(b.http, 'GET', `/api/v1/products/${id}/market-price?x=1`);
  t.match({ status: bad.status, code: bad.body.code }, { status: 400, code: 'VALIDATION_FAILED' });

  const metrics = await (await fetch(`${b.http}/metrics`)).text();
  t.match(metrics, /okj_pricing_provider_calls_total\{provider="naver",outcome="ok"\} 1/);
  t.match(metrics, /okj_pricing_tokens_total\{provider="openai",kind="input"\} [1-9]/);
  t.match(metrics, /okj_pricing_cache_total\{result="miss"\} 1/);
});

t.test('no keys: the platform answers, never a 500', async (t) => {
  const b = await boot();
  t.teardown(() => b.stop());
  const seller = await newSeller(b);
  const created = await postForm(b.http, '/api/v1/products', seller.token, { name: 'a thing nobody sold' }, [{ name: 'a.png', bytes: PNG }]);
  const r = await api(b.http, 'GET', `/api/v1/products/${created.body.id}/market-price`);
  t.equal(r.status, 200);
  t.match(r.body, { source: 'platform', today: null, threeMonths: null, confidence: 0 });
});

// The pricing service over the real Naver and OpenAI adapters against their loopback fakes, with memory
// stores: the full chain, each fallback (no keys, errors, time-outs, 429s, nonsense, an answer off the
// schema), the cache (one upstream call for N concurrent requests, and for a later one), metrics.
import t, { type Test } from 'tap';
import { ManualClock } from '../../engine/clock.ts';
import type { PricingSources } from '../../engine/pricing/api.ts';
import type { ClosedSale } from '../../engine/pricing/index.ts';
import { PricingService } from '../../app/pricing/service.ts';
import { MemoryPriceCache, MemoryPricePredictions } from '../../storage/pricing/memory-store.ts';
import { NaverShopping } from '../../storage/pricing/naver.ts';
import { OpenAiEstimator } from '../../storage/pricing/openai.ts';
import { NAVER_TEST_CLIENT_ID, NAVER_TEST_CLIENT_SECRET, naverFake, wireItem, type NaverFault } from '../fakes/naver.ts';
import { OPENAI_TEST_KEY, openAiFake, type OpenAiFault } from '../fakes/openai.ts';
import { NOW, TABLET_ANSWER, TABLET_LISTINGS, TABLET_QUERY, TABLET_SALES } from './fixtures.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } } as never;
const DAY = 86_400_000;
const MANY_SALES: ClosedSale[] = [500_000, 540_000, 560_000, 600_000, 610_000].map((price, i) => ({ title: `아이패드 에어 5세대 ${i}`, price, closedAt: NOW - (i + 1) * DAY }));

interface Setup {
  keys?: boolean;
  sales?: ClosedSale[];
  timeoutMs?: number;
  answer?: unknown;
}

async function setup(t: Test, o: Setup = {}) {
  const [naver, openai] = [await naverFake(), await openAiFake()];
  t.teardown(() => Promise.all([naver.close(), openai.close()]));
  naver.put(TABLET_QUERY, TABLET_LISTINGS.map((l) => wireItem(l, TABLET_QUERY)));
  openai.answer(TABLET_QUERY, o.answer ?? TABLET_ANSWER);
  const keys = o.keys ?? true;
  const timeoutMs = o.timeoutMs ?? 5000;
  const counted: Record<string, number> = {};
  const count = (k: string, n = 1) => (counted[k] = (counted[k] ?? 0) + n);
  const clock = new ManualClock(NOW);
  const products = new Map([['p1', { id: 'p1', name: TABLET_QUERY, description: '생활기스 조금, 박스 있음.' }], ['p2', { id: 'p2', name: `  ${TABLET_QUERY.toUpperCase()} `, description: '' }]]);
  for (let i = 3; i <= 10; i++) products.set(`p${i}`, { id: `p${i}`, name: TABLET_QUERY, description: '' });
  const sources: PricingSources = { product: async (id) => products.get(id) ?? null, closedSales: async () => o.sales ?? TABLET_SALES };
  const predictions = new MemoryPricePredictions();
  const service = new PricingService({
    search: new NaverShopping({ clientId: keys ? NAVER_TEST_CLIENT_ID : undefined, clientSecret: keys ? NAVER_TEST_CLIENT_SECRET : undefined, baseUrl: naver.url, timeoutMs }),
    estimator: new OpenAiEstimator({ apiKey: keys ? OPENAI_TEST_KEY : undefined, baseURL: openai.baseURL, model: 'gpt-test-mini', timeoutMs, maxRetries: 0 }),
    cache: new MemoryPriceCache(clock), predictions, sources, clock, log: silent, cacheMs: DAY,
    metrics: { call: (p, outcome) => count(`call:${p}:${outcome}`), tokens: (p, kind, n) => count(`tokens:${p}:${kind}`, n), cache: (r) => count(`cache:${r}`) },
  });
  return { naver, openai, service, counted, clock, predictions };
}

t.test('the full chain: Naver listings (outliers trimmed) and the model\'s answer', async (t) => {
  const { naver, openai, service, counted, predictions } = await setup(t);
  const p = await service.marketPrice('p1');
  t.match(p, { source: 'naver+llm', today: TABLET_ANSWER.today, threeMonths: TABLET_ANSWER.threeMonths, rejected: null, at: NOW });
  t.ok(p.confidence > 0 && p.confidence <= TABLET_ANSWER.confidence, 'the model\'s confidence, discounted for few listings');
  t.match(p.basis.newGoods, { count: 3, dropped: 1 }, 'the case at 19,900 won was trimmed');
  t.equal(naver.calls, 1);
  t.equal(openai.calls, 1);
  const sent = JSON.stringify(openai.requests[0].body.messages);
  t.notOk(sent.includes('19900'), 'the trimmed listing is not shown to the model');
  t.notMatch(openai.requests[0].body.messages?.[0].content ?? '', /\d/, 'no number in the instructions: no example price to anchor on');
  t.same(await predictions.get('p1'), p, 'stored');
  t.equal(counted['call:naver:ok'], 1);
  t.equal(counted['call:openai:ok'], 1);
  t.ok(counted['tokens:openai:input'] > 0 && counted['tokens:openai:output'] > 0, 'tokens counted');
  t.equal(counted['cache:miss'], 1);
});

t.test('the cache: N concurrent requests for one normalised name make one upstream call; later ones none', async (t) => {
  const { naver, openai, service, counted } = await setup(t);
  const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'];
  const answers = await Promise.all(ids.map((id) => service.marketPrice(id)));
  t.ok(answers.every((a) => a.source === 'naver+llm'));
  t.equal(naver.calls, 1, 'one Naver call');
  t.equal(openai.calls, 1, 'one OpenAI call');
  t.equal(counted['cache:miss'], 1);
  t.equal(counted['cache:collapsed'], ids.length - 1);
  await service.marketPrice('p9');
  t.equal(counted['cache:hit'], 1, 'a later product of the same name: from the cache');
  t.equal(naver.calls + openai.calls, 2);
});

t.test('without keys: no call, the platform\'s own sales', async (t) => {
  const { naver, openai, service, counted } = await setup(t, { keys: false, sales: MANY_SALES });
  const p = await service.marketPrice('p1');
  t.match(p, { source: 'platform', today: { typical: 560_000 }, basis: { newGoods: null, sales: { count: 5 } } });
  t.ok(p.confidence > 0 && p.confidence <= 0.8);
  t.equal(naver.calls + openai.calls, 0);
  t.equal(counted['call:naver:not-configured'], 1);
});

for (const fault of ['unauthorized', 'quota', 'rate-limited', 'server-error', 'hang', 'garbage', 'wrong-shape'] as NaverFault[]) {
  t.test(`Naver fails (${fault}): the platform's sales; the model is not asked`, async (t) => {
    const { naver, openai, service } = await setup(t, { sales: MANY_SALES, timeoutMs: 300 });
    naver.failNext(fault);
    const p = await service.marketPrice('p1');
    t.match(p, { source: 'platform', basis: { newGoods: null } });
    t.equal(openai.calls, 0, 'nothing to judge an estimate by');
    if (fault === 'hang') {
      await naver.abortedAtLeast(1);
      t.equal(naver.aborted, 1, 'the time-out cut the call');
    }
  });
}

for (const fault of ['unauthorized', 'quota', 'rate-limited', 'server-error', 'hang', 'refusal', 'off-schema', 'inconsistent', 'prose'] as OpenAiFault[]) {
  t.test(`OpenAI fails (${fault}): the platform's sales, else Naver's prices`, async (t) => {
    const withSales = await setup(t, { sales: MANY_SALES, timeoutMs: 300 });
    withSales.openai.failNext(fault);
    t.match(await withSales.service.marketPrice('p1'), { source: 'platform', rejected: null, basis: { newGoods: { count: 3 } } });
    const without = await setup(t, { sales: [], timeoutMs: 300 });
    without.openai.failNext(fault);
    const p = await without.service.marketPrice('p1');
    t.match(p, { source: 'naver', rejected: null });
    t.ok(p.today !== null && p.today.high < 949_000, 'a used range below new');
    t.ok(p.confidence < 0.5, 'and not much trusted');
  });
}

t.test('nonsense is rejected: a used price far above new, or absurdly low', async (t) => {
  for (const [answer, reason] of [
    [{ ...TABLET_ANSWER, today: { low: 3_000_000, typical: 3_500_000, high: 4_000_000 }, threeMonths: { low: 3_000_000, high: 3_900_000 } }, 'above-new'],
    [{ ...TABLET_ANSWER, today: { low: 100, typical: 200, high: 300 }, threeMonths: { low: 100, high: 250 } }, 'too-low'],
  ] as const) {
    const { service } = await setup(t, { answer, sales: [] });
    t.match(await service.marketPrice('p1'), { source: 'naver', rejected: reason }, reason);
  }
});

t.test('a passing failure is cached briefly only; a stable answer for a day', async (t) => {
  const { naver, openai, service, clock } = await setup(t, { timeoutMs: 300 });
  openai.failNext('rate-limited');
  t.equal((await service.marketPrice('p1')).source, 'naver');
  clock.advance(11 * 60_000);
  t.equal((await service.marketPrice('p3')).source, 'naver+llm', 'ten minutes on, asked again');
  clock.advance(23 * 3_600_000);
  await service.marketPrice('p4');
  t.equal(naver.calls, 2, 'within the day: from the cache');
});

t.test('bad input: an unknown product is NOT_FOUND and asks nobody', async (t) => {
  const { naver, openai, service } = await setup(t);
  await t.rejects(service.marketPrice('nope'), { code: 'NOT_FOUND' });
  t.equal(naver.calls + openai.calls, 0);
});

t.test('after create: priced in the background, stored when ready', async (t) => {
  const { service, predictions } = await setup(t);
  service.productChanged('p1');
  t.equal(await predictions.get('p1'), null, 'not waited for');
  await service.settled();
  t.match(await service.latest('p1'), { source: 'naver+llm' });
  t.ok(await predictions.get('p1'));
});

// Sanity of an estimator's answer, the fallbacks, and the source label with the data it rests on.
import t from 'tap';
import fc from 'fast-check';
import {
  DEFAULT_PRICING_RULES as R, decideMarketPrice, judgeEstimate, salesEstimate, summarise, type ClosedSale, type UsedPriceEstimate,
} from '../../engine/pricing/index.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);
const TABLET = [779_000, 789_000, 799_000, 769_000, 809_000, 795_000, 19_900]; // new-goods prices, one accessory
const sale = (price: number, daysAgo = 10): ClosedSale => ({ title: 'iPad Air 5', price, closedAt: NOW - daysAgo * DAY });
const estimate = (low: number, typical: number, high: number, conf = 0.8): UsedPriceEstimate => ({
  today: { low, typical, high }, threeMonths: { low: Math.round(low * 0.95), high: Math.round(high * 0.95) }, confidence: conf,
});

t.test('a believable answer is used: naver+llm, discounted by how few listings it rests on', async (t) => {
  const m = decideMarketPrice({ newGoodsPrices: TABLET, estimate: estimate(480_000, 540_000, 600_000), sales: [], now: NOW });
  t.equal(m.source, 'naver+llm');
  t.same(m.today, { low: 480_000, typical: 540_000, high: 600_000 });
  t.equal(m.confidence, Math.round(0.8 * (6 / 11) * 100) / 100, 'six listings kept: 0.8 x 6/(6+5)');
  t.match(m.basis.newGoods, { count: 6, dropped: 1, median: 792_000 });
  t.equal(m.rejected, null);
  t.equal(m.at, NOW);
});

t.test("the seed's bug: a fixed 30,000-50,000 answer is nonsense for both a tablet and a cheap item", async (t) => {
  const seedAnswer = estimate(30_000, 40_000, 50_000);
  const tablet = decideMarketPrice({ newGoodsPrices: TABLET, estimate: seedAnswer, sales: [], now: NOW });
  t.equal(tablet.rejected, 'too-low');
  t.equal(tablet.source, 'naver', 'no sales: the new-goods rule of thumb instead');
  const mug = decideMarketPrice({ newGoodsPrices: [12_000, 12_900, 13_500, 11_800], estimate: seedAnswer, sales: [], now: NOW });
  t.equal(mug.rejected, 'above-new', 'a used mug above its new price');
});

t.test('each sanity rule', async (t) => {
  const ng = summarise(TABLET);
  const sales = summarise([500_000, 520_000, 540_000, 560_000]);
  t.same(judgeEstimate(estimate(480_000, 540_000, 600_000), ng, sales), { sane: true });
  t.match(judgeEstimate(estimate(600_000, 500_000, 700_000), ng, sales), { sane: false, reason: 'inconsistent' });
  t.match(judgeEstimate({ ...estimate(1, 2, 3), confidence: 1.5 }, ng, sales), { reason: 'inconsistent' });
  t.match(judgeEstimate({ ...estimate(480_000, 540_000, 600_000), today: { low: 480_000.5, typical: 540_000, high: 600_000 } }, ng, sales), { reason: 'inconsistent' });
  t.match(judgeEstimate(estimate(480_000, 540_000, 600_000), null, sales), { reason: 'no-reference' });
  t.match(judgeEstimate(estimate(700_000, 900_000, 1_100_000), ng, null), { reason: 'above-new' });
  t.match(judgeEstimate(estimate(20_000, 30_000, 40_000), ng, null), { reason: 'too-low' });
  // Within Naver's band, but far from what such items actually fetched here.
  const cheapSales = summarise([100_000, 110_000, 120_000]);
  t.match(judgeEstimate(estimate(480_000, 540_000, 600_000), ng, cheapSales), { reason: 'far-from-sales' });
  t.same(judgeEstimate(estimate(480_000, 540_000, 600_000), ng, summarise([100_000, 110_000])), { sane: true },
    'fewer than minSales sales are not a reference');
  t.match(judgeEstimate({ today: { low: 500_000, typical: 540_000, high: 600_000 }, threeMonths: { low: 500_000, high: 990_000 }, confidence: 0.5 }, ng, null),
    { reason: 'above-new' }, 'the outlook is held to the same band');
});

t.test('fallback chain', async (t) => {
  const sales = [sale(500_000), sale(520_000), sale(540_000), sale(560_000)];
  const rejectedWithSales = decideMarketPrice({ newGoodsPrices: TABLET, estimate: estimate(5_000, 6_000, 7_000), sales, now: NOW });
  t.equal(rejectedWithSales.source, 'platform', 'a rejected answer with enough sales: the platform');
  t.equal(rejectedWithSales.rejected, 'too-low', 'and says why the answer was not used');
  t.same(rejectedWithSales.today, { low: 515_000, typical: 530_000, high: 545_000 });

  const noEstimate = decideMarketPrice({ newGoodsPrices: TABLET, estimate: null, sales: [sale(500_000)], now: NOW });
  t.equal(noEstimate.source, 'naver', 'one sale is too few: the new-goods rule of thumb');
  t.same(noEstimate.today, { low: Math.round(781_500 * 0.5), typical: Math.round(792_000 * 0.6), high: Math.round(798_000 * 0.75) });
  t.ok(noEstimate.confidence > 0 && noEstimate.confidence <= R.newGoodsOnlyConfidence);

  const onlyThin = decideMarketPrice({ newGoodsPrices: [], estimate: null, sales: [sale(30_000)], now: NOW });
  t.equal(onlyThin.source, 'platform');
  t.same(onlyThin.today, { low: 30_000, typical: 30_000, high: 30_000 });

  const nothing = decideMarketPrice({ newGoodsPrices: [], estimate: estimate(1, 2, 3), sales: [], now: NOW });
  t.same({ source: nothing.source, today: nothing.today, threeMonths: nothing.threeMonths, confidence: nothing.confidence, rejected: nothing.rejected },
    { source: 'platform', today: null, threeMonths: null, confidence: 0, rejected: 'no-reference' }, 'nothing to go on: no range, zero confidence');
});

t.test('old and future sales are left out', async (t) => {
  const sales = [sale(500_000, 400), sale(520_000, 500), sale(540_000, -3), sale(100_000, 1)];
  const m = decideMarketPrice({ newGoodsPrices: [], estimate: null, sales, now: NOW });
  t.equal(m.basis.sales?.count, 1, 'only the sale of yesterday counts');
  t.equal(m.today?.typical, 100_000);
});

t.test('platform confidence grows with the number of sales and stays under the cap', async (t) => {
  const base = [480_000, 500_000, 520_000, 540_000];
  let last = 0;
  for (const copies of [1, 2, 4, 8, 32]) {
    const s = summarise(Array.from({ length: copies }, () => base).flat());
    const c = s === null ? 0 : salesEstimate(s).confidence;
    t.ok(c >= last, `${copies * base.length} sales: ${c} >= ${last}`);
    t.ok(c <= R.maxFallbackConfidence);
    last = c;
  }
});

t.test('properties of every decision', async (t) => {
  const price = fc.integer({ min: 1, max: 5_000_000 });
  const est = fc.record({ low: price, typical: price, high: price, ol: price, oh: price, confidence: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map((r) => {
      const [low, typical, high] = [r.low, r.typical, r.high].sort((a, b) => a - b);
      const [ol, oh] = [r.ol, r.oh].sort((a, b) => a - b);
      return { today: { low, typical, high }, threeMonths: { low: ol, high: oh }, confidence: r.confidence };
    });
  const input = fc.record({
    newGoodsPrices: fc.array(price, { maxLength: 30 }),
    estimate: fc.option(est, { nil: null }),
    sales: fc.array(fc.record({ title: fc.constant('x'), price, closedAt: fc.integer({ min: NOW - 800 * DAY, max: NOW + DAY }) }), { maxLength: 20 }),
    now: fc.constant(NOW),
  });
  fc.assert(fc.property(input, (i) => {
    const m = decideMarketPrice(i);
    if (m.confidence < 0 || m.confidence > 1) return false;
    if (m.today === null) return m.source === 'platform' && m.confidence === 0 && m.basis.newGoods === null;
    const nums = [m.today.low, m.today.typical, m.today.high, m.threeMonths!.low, m.threeMonths!.high];
    if (!nums.every((n) => Number.isInteger(n) && n >= 1)) return false;
    if (!(m.today.low <= m.today.typical && m.today.typical <= m.today.high)) return false;
    if (m.source === 'naver+llm') {
      const median = m.basis.newGoods!.median;
      return nums.every((n) => n <= median * R.maxShareOfNew && n >= median * R.minShareOfNew);
    }
    return true;
  }), { numRuns: 500 });
  t.pass('ranges are ordered whole won, confidence within 0..1, and an LLM answer used lies in the band');
});

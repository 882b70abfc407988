// Quartiles, Tukey's fences and trimmed summaries: examples, then properties.
import t from 'tap';
import fc from 'fast-check';
import { fences, quantile, summarise, trimByPrice } from '../../engine/pricing/index.ts';

t.test('quantiles interpolate between neighbours', async (t) => {
  t.equal(quantile([10], 0.5), 10);
  t.equal(quantile([10, 20], 0.5), 15);
  t.equal(quantile([10, 20, 30, 40, 50], 0.25), 20);
  t.equal(quantile([10, 20, 30, 40], 0.75), 32.5);
  t.throws(() => quantile([], 0.5));
});

t.test('accessories and bundles fall outside the fences', async (t) => {
  // A search for a tablet: the tablet at several shops, plus a case, a film and a ten-pack bundle.
  const prices = [779_000, 789_000, 799_000, 769_000, 809_000, 795_000, 19_900, 9_900, 7_890_000];
  const { kept, dropped } = trimByPrice(prices, (p) => p);
  t.same(kept, [779_000, 789_000, 799_000, 769_000, 809_000, 795_000], 'the tablets stay, in their order');
  t.equal(dropped, 3);
  const s = summarise(prices);
  t.match(s, { count: 6, dropped: 3, min: 769_000, max: 809_000, median: 792_000 });
});

t.test('small and flat sets', async (t) => {
  t.equal(fences([1, 1000, 1_000_000]), null, 'fewer than four prices: no fences');
  t.same(trimByPrice([1, 1000, 1_000_000], (p) => p).kept, [1, 1000, 1_000_000], 'so nothing is trimmed');
  t.same(summarise([500, 500, 500, 500, 90_000]), { count: 4, dropped: 1, min: 500, max: 500, median: 500, low: 500, high: 500 },
    'a zero spread fences everything off the common price');
  t.equal(summarise([]), null);
});

t.test('properties', async (t) => {
  const prices = fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 60 });
  fc.assert(fc.property(prices, (ps) => {
    const { kept, dropped } = trimByPrice(ps, (p) => p);
    const min = Math.min(...ps);
    const max = Math.max(...ps);
    return kept.length > 0 && kept.length + dropped === ps.length && kept.every((p) => p >= min && p <= max && ps.includes(p));
  }), { numRuns: 500 });
  t.pass('the trimmed set is a non-empty subset of the input, within its min..max');

  fc.assert(fc.property(prices, (ps) => {
    const s = summarise(ps);
    if (s === null) return false;
    return Number.isInteger(s.median) && s.min <= s.low && s.low <= s.median && s.median <= s.high && s.high <= s.max
      && s.min >= Math.min(...ps) && s.max <= Math.max(...ps);
  }), { numRuns: 500 });
  t.pass('the median lies within the quartiles, which lie within the kept range');

  const cluster = fc.array(fc.integer({ min: 1000, max: 2000 }), { minLength: 4, maxLength: 40 });
  fc.assert(fc.property(cluster, fc.integer({ min: 1_000_000, max: 1_000_000_000 }), (ps, far) => {
    const s = summarise([...ps, far]);
    return s !== null && s.dropped >= 1 && s.max <= 2000;
  }), { numRuns: 300 });
  t.pass('one far price added to a cluster of at least four is always dropped');
});

// The price cache (memory, Redis) and the predictions (memory, SQLite, MariaDB): what is put comes back
// whole; the cache forgets after its time to live; a product's answer is replaced by the next one.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { ManualClock } from '../../engine/clock.ts';
import type { MarketPrice } from '../../engine/pricing/index.ts';
import { MemoryPriceCache, MemoryPricePredictions } from '../../storage/pricing/memory-store.ts';
import type { PriceCache, PricePredictions } from '../../storage/pricing/ports.ts';
import { openRedisPriceCache } from '../../storage/pricing/redis-cache.ts';
import { SqlPricePredictions } from '../../storage/pricing/sql.ts';
import { redisPrefix, requireRedis, type ServiceTest } from '../helpers/services.ts';
import { sqlDatabaseSubjects } from '../helpers/stores.ts';

const T0 = 1_700_000_000_000;
const price = (over: Partial<MarketPrice> = {}): MarketPrice => ({
  source: 'naver+llm', today: { low: 100_000, typical: 150_000, high: 200_000 }, threeMonths: { low: 90_000, high: 180_000 }, confidence: 0.72,
  basis: { newGoods: { count: 12, dropped: 2, min: 250_000, max: 400_000, median: 300_000, low: 280_000, high: 330_000 }, sales: null },
  rejected: null, at: T0, ...over,
});
const nothing = price({ source: 'platform', today: null, threeMonths: null, confidence: 0, basis: { newGoods: null, sales: null }, rejected: 'above-new' });

const clock = new ManualClock(T0);
const caches: { name: string; open(t: ServiceTest): Promise<PriceCache | null>; realTime: boolean }[] = [
  { name: 'memory', open: async () => new MemoryPriceCache(clock), realTime: false },
  {
    name: 'redis', realTime: true,
    async open(t) {
      const url = await requireRedis(t);
      if (url === null) return null;
      let cache: { close(): Promise<void> } | null = null;
      const prefix = await redisPrefix(t, url, async () => cache?.close());
      const c = await openRedisPriceCache({ url, prefix });
      cache = c;
      return c;
    },
  },
];

for (const subject of caches) {
  t.test(`cache: ${subject.name}`, async (t) => {
    const cache = await subject.open(t);
    if (cache === null) return;
    const key = `dyson airwrap ${randomUUID()}`;
    t.equal(await cache.get(key), null, 'nothing yet');
    await cache.put(key, price(), 60_000);
    t.same(await cache.get(key), price(), 'back whole');
    await cache.put(key, nothing, 60_000);
    t.same(await cache.get(key), nothing, 'replaced; nulls kept');
    t.equal(await cache.get(`${key} other`), null, 'by name');
    const short = `${key} short`;
    await cache.put(short, price(), 50);
    if (subject.realTime) {
      // Redis expires by its own clock: wait for it rather than sleep a fixed time.
      const deadline = Date.now() + 5_000;
      while ((await cache.get(short)) !== null && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    } else {
      clock.advance(51);
    }
    t.equal(await cache.get(short), null, 'forgotten after its time to live');
  });
}

const predictionSubjects: { name: string; open(t: ServiceTest): Promise<PricePredictions | null> }[] = [
  { name: 'memory', open: async () => new MemoryPricePredictions() },
  ...sqlDatabaseSubjects().map((s) => ({ name: s.name, open: async (t: ServiceTest) => { const db = await s.open(t); return db === null ? null : new SqlPricePredictions(db); } })),
];

for (const subject of predictionSubjects) {
  t.test(`predictions: ${subject.name}`, async (t) => {
    const store = await subject.open(t);
    if (store === null) return;
    const id = `prod-${randomUUID()}`;
    t.equal(await store.get(id), null);
    await store.put(id, 'dyson airwrap', price());
    t.same(await store.get(id), price(), "today's range, the outlook, source, confidence and basis");
    await store.put(id, 'dyson airwrap', nothing);
    t.same(await store.get(id), nothing, 'replaced by the next answer');
  });
}

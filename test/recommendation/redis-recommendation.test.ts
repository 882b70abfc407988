// What the Redis recommendation store adds to the contracts: its key layout under the prefix, a time to
// live on every key, stored values that stay bounded as time passes (the epoch is rebased), and its
// checks of options.
import t from 'tap';
import { MAX_EXPONENT } from '../../engine/recommendation/index.ts';
import { StoreUnavailableError } from '../../storage/auction/ports.ts';
import { recommendationKeys } from '../../storage/redis/keys.ts';
import { settings } from '../../storage/recommendation/options.ts';
import { openRedisRecommendation } from '../../storage/recommendation/redis.ts';
import { ADD_DECAYED } from '../../storage/recommendation/redis-scripts.ts';
import { HOUR, near, newGroup, newId, openRedisUnderTest, T0 } from './stores.ts';

t.test('keys: under the prefix, a scores set and its epoch in one hash tag', async (t) => {
  const k = recommendationKeys('okj:');
  t.equal(k.groupTags('MALE|30s|SEOUL'), 'okj:reco:group:{MALE|30s|SEOUL}:tags');
  t.equal(k.groupEpoch('MALE|30s|SEOUL'), 'okj:reco:group:{MALE|30s|SEOUL}:epoch');
  t.equal(k.popular(), 'okj:reco:{popular}:auctions');
  t.equal(k.popularEpoch(), 'okj:reco:{popular}:epoch');
  t.equal(k.partners('a-1'), 'okj:reco:auction:{a-1}:partners');
  t.throws(() => recommendationKeys('bad prefix*'), TypeError);
  t.match(ADD_DECAYED.lua, /KEYS\[1\][\s\S]*KEYS\[2\][\s\S]*ARGV\[1\][\s\S]*returns/, 'the script header lists KEYS, ARGV and the result');
});

t.test('options are checked once, every error reported together', async (t) => {
  t.throws(() => settings({ halfLifeMs: 0, ttlMs: -1 }), /halfLifeMs[\s\S]*ttlMs/);
  t.equal(settings({ halfLifeMs: undefined }).halfLifeMs, 7 * 86_400_000, 'undefined keeps the default');
  await t.rejects(openRedisRecommendation({ url: 'http://x' }), TypeError);
  await t.rejects(openRedisRecommendation({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 500 }), StoreUnavailableError);
});

t.test('redis', async (t) => {
  const under = await openRedisUnderTest(t, { halfLifeMs: HOUR, ttlMs: 60_000 });
  if (under === null) return;
  const { stores, prefix, keys, raw } = under;

  await t.test('every key written has a time to live', async (t) => {
    const g = newGroup();
    const [a, b, u] = [newId('a'), newId('b'), newId('u')];
    await stores.tags.add([{ group: g, tags: ['x'], weight: 1, at: T0 }]);
    await stores.popularity.add([{ auction: a, weight: 2, at: T0 }]);
    await stores.cobids.record([{ user: u, auction: a, at: T0 }, { user: u, auction: b, at: T0 + 1 }]);
    const written = await raw.keys(`${prefix}*`);
    t.same(written.sort(), [
      keys.groupTags(g), keys.groupEpoch(g), keys.popular(), keys.popularEpoch(), keys.userBids(u),
      keys.bidders(a), keys.bidders(b), keys.partners(a), keys.partners(b),
    ].sort());
    for (const key of written) {
      const ttl = await raw.pttl(key);
      t.ok(ttl > 0 && ttl <= 60_000, `${key}: ${ttl} ms`);
    }
  });

  await t.test('stored values stay bounded over hundreds of half-lives: the epoch moves', async (t) => {
    const g = newGroup();
    for (let h = 0; h <= 300; h += 10) await stores.tags.add([{ group: g, tags: ['steady'], weight: 2, at: T0 + h * HOUR }]);
    const epoch = Number(await raw.get(keys.groupEpoch(g)));
    const stored = Number(await raw.zscore(keys.groupTags(g), 'steady'));
    t.ok(epoch > T0 + 200 * HOUR, `epoch rebased to ${(epoch - T0) / HOUR} h`);
    t.ok(stored < 2 ** (MAX_EXPONENT + 2), `stored ${stored}`);
    const [top] = await stores.tags.top(g, T0 + 300 * HOUR, 1);
    t.ok(near(top.score, 2 / (1 - 2 ** -10), 1e-6), `the sum of a geometric series: ${top.score}`);
  });

  await t.test('a scores set whose epoch is gone starts afresh rather than mix scales', async (t) => {
    const g = newGroup();
    await stores.tags.add([{ group: g, tags: ['before'], weight: 5, at: T0 }]);
    await raw.del(keys.groupEpoch(g));
    t.same(await stores.tags.top(g, T0, 10), [], 'unreadable without its epoch');
    await stores.tags.add([{ group: g, tags: ['after'], weight: 1, at: T0 + HOUR }]);
    t.same((await stores.tags.top(g, T0 + HOUR, 10)).map((s) => s.tag), ['after']);
  });
});

// Ranking rules (engine/recommendation/rank.ts, similarity.ts, group.ts): properties over random
// auctions, callers and scores.
import t from 'tap';
import fc from 'fast-check';
import type { AuctionStatus } from '../../engine/index.ts';
import {
  cosine, eligible, fill, groupOf, isGroupKey, rankByTags, rankPopular, rankSimilar, TagIndex, type Candidate, type Recommendation,
  type TagScore,
} from '../../engine/recommendation/index.ts';

const USERS = ['u0', 'u1', 'u2', 'u3'];
const TAGS = ['t0', 't1', 't2', 't3', 't4', 't5'];
const STATUSES: AuctionStatus[] = ['OPEN', 'OPEN', 'OPEN', 'PENDING', 'SOLD', 'CANCELED'];

const candidateArb = (i: number): fc.Arbitrary<Candidate> =>
  fc.record({
    id: fc.constant(`a${i}`),
    sellerId: fc.constantFrom(...USERS),
    leader: fc.option(fc.constantFrom(...USERS), { nil: null }),
    status: fc.constantFrom(...STATUSES),
    tags: fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 4 }),
  });

const candidatesArb = fc.integer({ min: 0, max: 25 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => candidateArb(i))));
const callerArb = fc.option(fc.constantFrom(...USERS), { nil: null });
// Integer scores: sums of them are exact, so a scaled copy cannot flip a near tie by rounding.
const tagScoresArb = fc.uniqueArray(
  fc.record({ tag: fc.constantFrom(...TAGS), score: fc.integer({ min: 0, max: 1000 }) }),
  { selector: (s) => s.tag },
);
const auctionScoresArb = fc.array(fc.record({ auction: fc.integer({ min: 0, max: 30 }).map((i) => `a${i}`), score: fc.double({ min: 0, max: 100, noNaN: true }) }));
const limitArb = fc.integer({ min: 0, max: 30 });

function indexOf(cs: readonly Candidate[]): TagIndex {
  const index = new TagIndex();
  for (const c of cs) index.put(c);
  return index;
}

/** Every rule a list obeys whatever ranked it. */
function wellFormed(list: readonly Recommendation[], index: TagIndex, caller: string | null, limit: number): boolean {
  const ids = list.map((r) => r.auction);
  return (
    list.length <= limit &&
    new Set(ids).size === ids.length &&
    list.every((r) => {
      const c = index.get(r.auction);
      return eligible(c, caller) && c.status === 'OPEN' && c.sellerId !== caller && (caller === null || c.leader !== caller);
    }) &&
    list.every((r, i) => i === 0 || list[i - 1].score >= r.score)
  );
}

t.test('by tags: the cosine of each eligible auction with the group, best first, brute force agreeing', async () => {
  fc.assert(
    fc.property(candidatesArb, tagScoresArb, callerArb, limitArb, (cs, scores, caller, limit) => {
      const index = indexOf(cs);
      const got = rankByTags(caller, scores, index, limit);
      if (!wellFormed(got, index, caller, limit)) return false;
      const s = new Map(scores.map((x) => [x.tag, x.score]));
      const want = cs
        .filter((c) => eligible(c, caller))
        .map((c) => ({ id: c.id, score: c.tags.reduce((sum, tag) => sum + (s.get(tag) ?? 0), 0) / Math.sqrt(c.tags.length) }))
        .filter((x) => x.score > 0)
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
        .slice(0, limit);
      return (
        JSON.stringify(got.map((r) => r.auction)) === JSON.stringify(want.map((x) => x.id)) &&
        got.every((r, i) => Math.abs(r.score - want[i].score) < 1e-9)
      );
    }),
  );
});

t.test('by tags: each reason is the auction\'s best-scored tag', async () => {
  fc.assert(
    fc.property(candidatesArb, tagScoresArb, callerArb, (cs, scores, caller) => {
      const index = indexOf(cs);
      const s = new Map(scores.map((x) => [x.tag, x.score]));
      return rankByTags(caller, scores, index, 30).every((r) => {
        if (r.reason.kind !== 'tag') return false;
        const tags = index.get(r.auction)?.tags ?? [];
        return tags.includes(r.reason.tag) && tags.every((tag) => (s.get(tag) ?? 0) <= (s.get(r.reason.kind === 'tag' ? r.reason.tag : '') ?? 0));
      });
    }),
  );
});

t.test('by tags: the order is the same when every score is multiplied by one factor (the decay at read time)', async () => {
  fc.assert(
    fc.property(candidatesArb, tagScoresArb, callerArb, limitArb, fc.integer({ min: -60, max: 60 }), (cs, scores, caller, limit, k) => {
      const index = indexOf(cs);
      // A power of two scales exactly in floating point, as the read-time factor 2^((epoch - now)/h) nearly does.
      const scaled: TagScore[] = scores.map((x) => ({ tag: x.tag, score: x.score * 2 ** k }));
      const ids = (list: Recommendation[]) => list.map((r) => r.auction).join();
      return ids(rankByTags(caller, scores, index, limit)) === ids(rankByTags(caller, scaled, index, limit));
    }),
  );
});

t.test('similar and popular lists: only what the caller may see, never the auction itself', async () => {
  fc.assert(
    fc.property(candidatesArb, auctionScoresArb, callerArb, limitArb, fc.integer({ min: 0, max: 30 }), (cs, scores, caller, limit, of) => {
      const index = indexOf(cs);
      const similar = rankSimilar(caller, `a${of}`, scores, index, limit);
      const popular = rankPopular(caller, scores, index, limit);
      return (
        wellFormed(similar, index, caller, limit) &&
        wellFormed(popular, index, caller, limit) &&
        similar.every((r) => r.auction !== `a${of}` && r.reason.kind === 'cobid' && r.reason.auction === `a${of}`) &&
        popular.every((r) => r.reason.kind === 'popular')
      );
    }),
  );
});

t.test('fill: the first list first, then the second without repeats, up to the limit', async () => {
  fc.assert(
    fc.property(candidatesArb, tagScoresArb, auctionScoresArb, callerArb, limitArb, (cs, tags, scores, caller, limit) => {
      const index = indexOf(cs);
      const byTags = rankByTags(caller, tags, index, limit);
      const list = fill(byTags, rankPopular(caller, scores, index, 30), limit);
      const ids = list.map((r) => r.auction);
      return (
        list.length <= limit &&
        new Set(ids).size === ids.length &&
        list.every((r) => eligible(index.get(r.auction), caller)) &&
        JSON.stringify(list.slice(0, byTags.length)) === JSON.stringify(byTags)
      );
    }),
  );
});

t.test('the index follows puts, leader changes and removals', async (t) => {
  const index = new TagIndex();
  index.put({ id: 'a', sellerId: 's', leader: null, status: 'OPEN', tags: ['x', 'x', 'y'] });
  t.same(index.get('a')?.tags, ['x', 'y'], 'tags deduped');
  t.same(rankByTags('u', [{ tag: 'x', score: 1 }], index, 5).map((r) => r.auction), ['a']);
  index.setLeader('a', 'u');
  t.same(rankByTags('u', [{ tag: 'x', score: 1 }], index, 5), [], 'an auction the caller leads is left out');
  index.put({ id: 'a', sellerId: 's', leader: null, status: 'OPEN', tags: ['y'] });
  t.same([...index.withTag('x')], [], 'a replaced auction leaves its old tags');
  t.ok(index.remove('a'));
  t.notOk(index.remove('a'));
  t.equal(index.size, 0);
});

t.test('cosine over bidder sets: bounded, symmetric, 1 only for the same bidders', async () => {
  const setArb = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 30 });
  fc.assert(
    fc.property(setArb, setArb, (a, b) => {
      const sb = new Set(b);
      const common = a.filter((x) => sb.has(x)).length;
      const c = cosine(common, a.length, b.length);
      const same = a.length > 0 && common === a.length && common === b.length;
      return c >= 0 && c <= 1 && c === cosine(common, b.length, a.length) && (c === 1) === same;
    }),
  );
  // Counts a store got slightly wrong (bounded histories) still give a number in [0, 1].
  fc.assert(fc.property(fc.nat(50), fc.nat(50), fc.nat(50), (common, na, nb) => {
    const c = cosine(common, na, nb);
    return c >= 0 && c <= 1;
  }));
});

t.test('cosine: an auction everyone bids on never beats one with exactly the same bidders', async () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 1000 }), (n, crowd) => {
      // The twin shares all n bidders of a; the crowd auction has them and `crowd` more.
      return cosine(n, n, n) >= cosine(n, n, n + crowd) && cosine(n, n, n + crowd) < 1;
    }),
  );
});

t.test('groups: gender x age band x region, none when a part is missing', async (t) => {
  t.equal(groupOf({ gender: 'FEMALE', ageBand: '60s+', region: 'SEOUL' }), 'FEMALE|60s+|SEOUL');
  t.equal(groupOf({ gender: 'FEMALE', ageBand: '20s', region: null }), null);
  t.equal(groupOf({ gender: 'FEMALE', region: 'SEOUL' }), null);
  t.equal(groupOf({ gender: '', ageBand: '20s', region: 'SEOUL' }), null);
  t.equal(groupOf({ gender: 'A|B', ageBand: '20s', region: 'SEOUL' }), null, 'no separator inside a part');
  t.equal(groupOf({ gender: 'A}', ageBand: '20s', region: 'SEOUL' }), null, 'nothing that could end a hash tag');
  t.notOk(isGroupKey('MALE|20s'));
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Z0-9+_-]{1,8}$/), fc.stringMatching(/^[a-z0-9+]{1,8}$/), fc.stringMatching(/^[A-Z]{1,8}$/), (gender, ageBand, region) => {
      const g = groupOf({ gender, ageBand, region });
      return g !== null && isGroupKey(g) && g.split('|').join() === [gender, ageBand, region].join();
    }),
  );
});

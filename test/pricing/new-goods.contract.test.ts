// The NewGoodsSearch contract over every adapter: memory, and Naver Shopping against its loopback fake
// (the listings go over the wire with markup, entities and digit strings and must come back the same).
import t from 'tap';
import { MemoryNewGoods } from '../../storage/pricing/memory.ts';
import { NaverShopping } from '../../storage/pricing/naver.ts';
import type { FailureKind, NewGoodsSearch } from '../../storage/pricing/ports.ts';
import { NAVER_TEST_CLIENT_ID, NAVER_TEST_CLIENT_SECRET, naverFake, wireItem, type NaverFault } from '../fakes/naver.ts';
import { failureOf, TABLET_LISTINGS, TABLET_QUERY, type Teardown } from './fixtures.ts';

/** The failures every adapter must hand back as values. */
const INDUCED = ['unauthorized', 'quota', 'rate-limited', 'upstream', 'timeout', 'malformed'] as const satisfies readonly FailureKind[];
type Induced = (typeof INDUCED)[number];

interface Opened {
  port: NewGoodsSearch;
  /** Make the next search fail with this kind. */
  induce(kind: Induced): void;
}

interface Subject {
  name: string;
  open(t: Teardown): Promise<Opened>;
}

const NAVER_FAULT: Record<Induced, NaverFault> = {
  unauthorized: 'unauthorized', quota: 'quota', 'rate-limited': 'rate-limited', upstream: 'server-error', timeout: 'hang', malformed: 'garbage',
};

const subjects: Subject[] = [
  {
    name: 'memory',
    async open() {
      const port = new MemoryNewGoods();
      port.put(TABLET_QUERY, TABLET_LISTINGS);
      return { port, induce: (kind) => port.failNext(kind) };
    },
  },
  {
    name: 'naver',
    async open(t) {
      const fake = await naverFake();
      t.teardown(() => fake.close());
      fake.put(TABLET_QUERY, TABLET_LISTINGS.map((l) => wireItem(l, TABLET_QUERY)));
      const port = new NaverShopping({ clientId: NAVER_TEST_CLIENT_ID, clientSecret: NAVER_TEST_CLIENT_SECRET, baseUrl: fake.url, timeoutMs: 1500 });
      return { port, induce: (kind) => fake.failNext(NAVER_FAULT[kind]) };
    },
  },
];

for (const subject of subjects) {
  t.test(subject.name, async (t) => {
    const { port, induce } = await subject.open(t);
    t.equal(port.provider, subject.name, 'the provider label names the adapter');

    const all = await port.search(TABLET_QUERY, 100);
    t.same(all, { ok: true, value: { total: TABLET_LISTINGS.length, listings: TABLET_LISTINGS } },
      'clean listings in relevance order: plain titles, whole-won prices, null for no high price');

    const two = await port.search(TABLET_QUERY, 2);
    t.same(two, { ok: true, value: { total: TABLET_LISTINGS.length, listings: TABLET_LISTINGS.slice(0, 2) } }, 'at most `limit`, total unchanged');

    const retyped = await port.search(`  ${TABLET_QUERY.toUpperCase()} `, 100);
    t.equal(retyped.ok && retyped.value.listings.length, TABLET_LISTINGS.length, 'surrounding space and case do not matter');

    t.same(await port.search('없는 상품 이름', 10), { ok: true, value: { total: 0, listings: [] } }, 'an unknown product finds nothing, successfully');
    t.equal(failureOf(await port.search('   ', 10)).kind, 'rejected', 'a blank query is rejected');

    for (const kind of INDUCED) {
      induce(kind);
      const f = failureOf(await port.search(TABLET_QUERY, 10));
      t.equal(f.kind, kind, `${kind} comes back as a value`);
      t.type(f.message, 'string');
      t.ok((await port.search(TABLET_QUERY, 10)).ok, `after ${kind}, the next search passes`);
    }
  });
}

// The PriceEstimator contract over every adapter: memory, and OpenAI (the `openai` SDK) against its
// loopback fake. The fake reads the product from the prompt's JSON document, so an adapter that loses
// the product, the listings or the sales on the way fails here.
import t from 'tap';
import { MemoryEstimator } from '../../storage/pricing/memory.ts';
import { OpenAiEstimator } from '../../storage/pricing/openai.ts';
import type { EstimateRequest, FailureKind, PriceEstimator } from '../../storage/pricing/ports.ts';
import { OPENAI_TEST_KEY, openAiFake, type OpenAiFault } from '../fakes/openai.ts';
import { failureOf, TABLET_ANSWER, TABLET_LISTINGS, TABLET_REQUEST, TABLET_SALES, type Teardown } from './fixtures.ts';

const INDUCED = ['unauthorized', 'quota', 'rate-limited', 'upstream', 'timeout', 'malformed', 'refused', 'schema-mismatch'] as const satisfies readonly FailureKind[];
type Induced = (typeof INDUCED)[number];

/** What the estimator was given, as far as the adapter's far side can tell. */
interface Seen {
  name: string;
  description: string;
  listingPrices: number[];
  salePrices: number[];
}

interface Opened {
  port: PriceEstimator;
  induce(kind: Induced): void;
  lastSeen(): Seen;
}

interface Subject {
  name: string;
  open(t: Teardown): Promise<Opened>;
}

const OPENAI_FAULT: Record<Induced, OpenAiFault> = {
  unauthorized: 'unauthorized', quota: 'quota', 'rate-limited': 'rate-limited', upstream: 'server-error', timeout: 'hang',
  malformed: 'wrong-shape', refused: 'refusal', 'schema-mismatch': 'off-schema',
};

const subjects: Subject[] = [
  {
    name: 'memory',
    async open() {
      const port = new MemoryEstimator();
      port.put(TABLET_REQUEST.product.name, TABLET_ANSWER);
      return {
        port,
        induce: (kind) => port.failNext(kind),
        lastSeen() {
          const r = port.requests.at(-1) as EstimateRequest;
          return { name: r.product.name, description: r.product.description, listingPrices: r.listings.map((l) => l.price), salePrices: r.sales.map((s) => s.price) };
        },
      };
    },
  },
  {
    name: 'openai',
    async open(t) {
      const fake = await openAiFake();
      t.teardown(() => fake.close());
      fake.answer(TABLET_REQUEST.product.name, TABLET_ANSWER);
      const port = new OpenAiEstimator({ apiKey: OPENAI_TEST_KEY, baseURL: fake.baseURL, model: 'gpt-test-mini', timeoutMs: 2000, maxRetries: 0 });
      return {
        port,
        induce: (kind) => fake.failNext(OPENAI_FAULT[kind]),
        lastSeen() {
          const messages = fake.requests.at(-1)?.body.messages ?? [];
          const data = JSON.parse(messages.find((m) => m.role === 'user')?.content ?? '{}');
          return {
            name: data.product.name, description: data.product.description,
            listingPrices: data.newGoodsListings.map((l: { price: number }) => l.price),
            salePrices: data.platformClosedSales.map((s: { price: number }) => s.price),
          };
        },
      };
    },
  },
];

for (const subject of subjects) {
  t.test(subject.name, async (t) => {
    const { port, induce, lastSeen } = await subject.open(t);
    t.equal(port.provider, subject.name, 'the provider label names the adapter');

    const r = await port.estimate(TABLET_REQUEST);
    if (!r.ok) throw new Error(`expected an answer, got ${JSON.stringify(r.failure)}`);
    t.same(r.value.estimate, TABLET_ANSWER, 'the answer comes back as the estimator gave it');
    t.type(r.value.model, 'string');
    t.ok(r.value.model.length > 0, 'names the model');
    const u = r.value.usage;
    t.ok(u === null || (u.input > 0 && u.output > 0 && u.total === u.input + u.output), 'usage is absent or adds up');

    t.same(lastSeen(), {
      name: TABLET_REQUEST.product.name, description: TABLET_REQUEST.product.description,
      listingPrices: TABLET_LISTINGS.map((l) => l.price), salePrices: TABLET_SALES.map((s) => s.price),
    }, 'the estimator got the product, the listings and the sales');

    const unknown = await port.estimate({ ...TABLET_REQUEST, product: { name: '처음 보는 물건', description: '' } });
    t.equal(failureOf(unknown).kind, 'refused', 'a product it has no answer for is refused');

    for (const kind of INDUCED) {
      induce(kind);
      const f = failureOf(await port.estimate(TABLET_REQUEST));
      t.equal(f.kind, kind, `${kind} comes back as a value`);
      t.type(f.message, 'string');
      t.ok((await port.estimate(TABLET_REQUEST)).ok, `after ${kind}, the next estimate passes`);
    }
  });
}

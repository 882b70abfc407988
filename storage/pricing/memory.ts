// In-memory pricing adapters: seeded answers, scripted failures, every request kept. They follow the
// ports' rules (never reject, at most `limit` listings, answers well-formed), so the service's tests and
// the contract suites can stand them in for Naver and OpenAI.
import { normaliseProductName, type NewGoodsListing, type UsedPriceEstimate } from '../../engine/pricing/index.ts';
import {
  failure, type EstimateAnswer, type EstimateRequest, type FailureKind, type NewGoodsPage, type NewGoodsSearch,
  type PriceEstimator, type ProviderResult,
} from './ports.ts';

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Scripted failures, taken one per call in order. */
class Script {
  private readonly queue: FailureKind[] = [];
  failNext(kind: FailureKind, times = 1): void {
    for (let i = 0; i < times; i++) this.queue.push(kind);
  }
  take(): FailureKind | undefined {
    return this.queue.shift();
  }
}

/** Listings keyed by normalised product name; an unknown name finds nothing. */
export class MemoryNewGoods implements NewGoodsSearch {
  readonly provider = 'memory';
  readonly queries: string[] = [];
  private readonly byName = new Map<string, NewGoodsListing[]>();
  private readonly script = new Script();

  put(query: string, listings: readonly NewGoodsListing[]): void {
    this.byName.set(normaliseProductName(query), clone([...listings]));
  }

  failNext(kind: FailureKind, times = 1): void {
    this.script.failNext(kind, times);
  }

  async search(query: string, limit: number): Promise<ProviderResult<NewGoodsPage>> {
    this.queries.push(query);
    const scripted = this.script.take();
    if (scripted !== undefined) return failure(scripted, `memory: scripted ${scripted}`);
    if (query.trim() === '') return failure('rejected', 'an empty query is not sent');
    const all = this.byName.get(normaliseProductName(query)) ?? [];
    const display = Math.min(100, Math.max(1, Math.trunc(limit) || 1));
    return { ok: true, value: { total: all.length, listings: clone(all.slice(0, display)) } };
  }
}

/** Answers keyed by normalised product name; an unknown product is refused (as the fake model does). */
export class MemoryEstimator implements PriceEstimator {
  readonly provider = 'memory';
  readonly requests: EstimateRequest[] = [];
  private readonly byName = new Map<string, UsedPriceEstimate>();
  private readonly script = new Script();

  constructor(private readonly model = 'memory') {}

  put(productName: string, estimate: UsedPriceEstimate): void {
    this.byName.set(normaliseProductName(productName), clone(estimate));
  }

  failNext(kind: FailureKind, times = 1): void {
    this.script.failNext(kind, times);
  }

  async estimate(request: EstimateRequest): Promise<ProviderResult<EstimateAnswer>> {
    this.requests.push(clone(request));
    const scripted = this.script.take();
    if (scripted !== undefined) return failure(scripted, `memory: scripted ${scripted}`);
    const e = this.byName.get(normaliseProductName(request.product.name));
    if (e === undefined) return failure('refused', 'memory: no answer for this product');
    return { ok: true, value: { estimate: clone(e), model: this.model, usage: null } };
  }
}

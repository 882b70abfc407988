// Price-prediction ports, in pricing terms: a search for new goods on sale elsewhere, and an estimator of
// used-goods prices. Neither rejects: every failure comes back as a classified value, so the pricing
// service can fall back and count without a try/catch, and no SDK or HTTP type leaks past the adapters.
// Adapters: memory (./memory.ts), Naver Shopping (./naver.ts), OpenAI (./openai.ts).
import type { ClosedSale, MarketPrice, NewGoodsListing, UsedPriceEstimate } from '../../engine/pricing/index.ts';
import type { Millis } from '../../engine/index.ts';

/** How a provider call failed. Each adapter's header says how it detects each kind. */
export const FAILURE_KINDS = [
  'not-configured', // no credentials: the call was not made
  'unauthorized', // the provider refused the credentials (401, 403)
  'quota', // a daily or billing quota is spent: retrying today will not help
  'rate-limited', // too many calls just now: a later call may pass
  'rejected', // the provider refused the request itself (400, 404): a bug or a bad setting on our side
  'upstream', // the provider failed (5xx)
  'timeout', // no complete answer within the configured time
  'network', // no connection (refused, reset, DNS)
  'malformed', // an answer that is not the provider's documented shape
  'refused', // the model declined to answer (a refusal, a content filter)
  'schema-mismatch', // the model answered, but not in the schema asked for (or its numbers contradict each other)
  'unexpected', // anything else: a bug in the adapter, reported rather than thrown
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Kinds after which the same call may well pass soon: a caller may cache their fallback briefly only. */
export const TRANSIENT_FAILURES: ReadonlySet<FailureKind> = new Set(['rate-limited', 'upstream', 'timeout', 'network']);

export interface TokenUsage {
  input: number;
  output: number;
  total: number;
}

export interface ProviderFailure {
  kind: FailureKind;
  /** Safe to log and show operators: never a key, a secret or the product text. */
  message: string;
  /** The HTTP status, when there was a response. */
  status: number | null;
  /** The provider's own error code (SE01, 024, invalid_api_key, ...), when it gave one. */
  code: string | null;
  /** Tokens billed for a call that still failed (a refusal, an answer off the schema). */
  usage: TokenUsage | null;
}

export type ProviderResult<T> = { ok: true; value: T } | { ok: false; failure: ProviderFailure };

export interface NewGoodsPage {
  /** How many results the provider holds for the query (more than it returned). */
  total: number;
  /** In the provider's relevance order. */
  listings: NewGoodsListing[];
}

/** Current new-goods listings for a product name (Naver Shopping). */
export interface NewGoodsSearch {
  /** A metric label: 'naver', 'memory'. */
  readonly provider: string;
  /** At most `limit` (1..100) listings for `query`. Never rejects. */
  search(query: string, limit: number): Promise<ProviderResult<NewGoodsPage>>;
}

export interface EstimateRequest {
  product: { name: string; description: string };
  /** New-goods listings, outliers already trimmed. */
  listings: readonly NewGoodsListing[];
  /** This platform's closed sales of similar items. */
  sales: readonly ClosedSale[];
  /** When the estimate is for (the caller's clock). */
  at: Millis;
}

export interface EstimateAnswer {
  estimate: UsedPriceEstimate;
  /** The model that answered, as the provider names it. */
  model: string;
  /** Null when the adapter has no notion of tokens (memory). */
  usage: TokenUsage | null;
}

/** A used-goods price estimator (an LLM). */
export interface PriceEstimator {
  readonly provider: string;
  /** Never rejects. An answer is well-formed (schema-valid); whether it is sane is the engine's call. */
  estimate(request: EstimateRequest): Promise<ProviderResult<EstimateAnswer>>;
}

/** Build a failure value. */
export function failure(kind: FailureKind, message: string, extra: Partial<Omit<ProviderFailure, 'kind' | 'message'>> = {}): { ok: false; failure: ProviderFailure } {
  return { ok: false, failure: { kind, message, status: extra.status ?? null, code: extra.code ?? null, usage: extra.usage ?? null } };
}

/** Answers by normalised product name, for a while (24 hours; a fallback after a passing failure less). */
export interface PriceCache {
  get(nameKey: string): Promise<MarketPrice | null>;
  put(nameKey: string, price: MarketPrice, ttlMs: number): Promise<void>;
}

/** Each product's latest answer (today's range and the predicted ones), kept for its pages. */
export interface PricePredictions {
  /** Replace the product's answer with this one. */
  put(productId: string, nameKey: string, price: MarketPrice): Promise<void>;
  get(productId: string): Promise<MarketPrice | null>;
}

// The routes an app needs, named, over HttpCore. Every parameter, body and answer type comes from the
// generated Paths (client/api-types.ts); where the server's document describes an answer only as an
// object, so does this client, until the document says more. Writes that take an Idempotency-Key get a
// fresh one unless the caller gives one: give your own to retry a write safely after a network error.
import type { Tokens } from '../api-types.ts';
import { Session, type SessionOptions } from '../auth/session.ts';
import { newRid } from '../rid.ts';
import { HttpCore, type Answer, type Args, type FetchLike, type MethodOf, type Op, type Route } from './core.ts';
import { ApiError } from './errors.ts';

type Body<P extends Route, M extends MethodOf<P>> = Op<P, M>['body'];
type Query<P extends Route, M extends MethodOf<P>> = Op<P, M>['query'];
interface Keyed { idempotencyKey?: string }

export interface ApiOptions {
  /** Origin (and prefix) of the server; '' for the page's own. */
  baseUrl?: string;
  fetch?: FetchLike;
  session?: SessionOptions;
}

/** Refusals worth the same request again with the same key: the store or the engine was busy. */
const TRANSIENT = new Set(['STORE_UNAVAILABLE', 'OVERLOADED']);

export class OkjApi {
  readonly http: HttpCore;
  readonly session: Session;

  constructor(o: ApiOptions = {}) {
    this.http = new HttpCore({ baseUrl: o.baseUrl, fetch: o.fetch });
    this.session = new Session(this.http, o.session);
    this.http.tokens = this.session;
  }

  private call<P extends Route, M extends MethodOf<P>>(method: M, route: P, args: Args<P, M>): Promise<Answer<P, M>> {
    return this.http.request(method, route, args);
  }

  /** Sign-up, sign-in and the session. Sign-ins adopt their tokens into `session`. */
  readonly auth = {
    signup: (body: Body<'/api/v1/auth/signup', 'post'>) => this.call('post', '/api/v1/auth/signup', { body, anonymous: true }),
    verify: async (body: Body<'/api/v1/auth/verify', 'post'>) =>
      this.signedIn(await this.call('post', '/api/v1/auth/verify', { body, anonymous: true, headers: this.session.authHeaders })),
    login: async (body: Body<'/api/v1/auth/login', 'post'>) =>
      this.signedIn(await this.call('post', '/api/v1/auth/login', { body, anonymous: true, headers: this.session.authHeaders })),
    /** A new access token now (it is renewed by itself otherwise); null when the session is over. */
    refresh: () => this.session.refreshAccessToken(),
    /** Revoke the session on the server, then forget it here (also when the server had ended it already). */
    logout: async () => {
      try {
        if (this.session.active) await this.call('post', '/api/v1/auth/logout', { headers: this.session.authHeaders });
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 401)) throw err;
      } finally {
        this.session.clear('logout');
      }
    },
    me: () => this.call('get', '/api/v1/accounts/{id}', { path: { id: 'me' } }),
  };

  readonly auctions = {
    list: (query: Query<'/api/v1/auctions', 'get'> = {}) => this.call('get', '/api/v1/auctions', { query }),
    overview: () => this.call('get', '/api/v1/auctions/overview', {}),
    get: (id: string) => this.call('get', '/api/v1/auctions/{id}', { path: { id } }),
    bids: (id: string, query: Query<'/api/v1/auctions/{id}/bids', 'get'> = {}) => this.call('get', '/api/v1/auctions/{id}/bids', { path: { id }, query }),
    mine: (query: Query<'/api/v1/me/auctions', 'get'> = {}) => this.call('get', '/api/v1/me/auctions', { query }),
    create: (body: Body<'/api/v1/auctions', 'post'>, o: Keyed = {}) =>
      this.call('post', '/api/v1/auctions', { body, idempotencyKey: o.idempotencyKey ?? newRid() }),
    edit: (id: string, body: Body<'/api/v1/auctions/{id}', 'patch'>) => this.call('patch', '/api/v1/auctions/{id}', { path: { id }, body }),
    open: (id: string, o: Keyed = {}) => this.call('post', '/api/v1/auctions/{id}/open', { path: { id }, idempotencyKey: o.idempotencyKey ?? newRid() }),
    cancel: (id: string) => this.call('post', '/api/v1/auctions/{id}/cancel', { path: { id } }),
    /**
     * Bid over HTTP (integrators; the socket's `bid` is the live path). The key becomes the command's rid:
     * a network failure or a busy store is retried with the same key, so the bid is placed once.
     */
    bid: (id: string, amount: number, o: Keyed & { max?: number | null; retries?: number } = {}) => {
      const body: Body<'/api/v1/auctions/{id}/bids', 'post'> = o.max === undefined || o.max === null ? { amount } : { amount, max: o.max };
      const key = o.idempotencyKey ?? newRid();
      return retry(() => this.call('post', '/api/v1/auctions/{id}/bids', { path: { id }, body, idempotencyKey: key }), o.retries ?? 3);
    },
    buyNow: (id: string, o: Keyed & { retries?: number } = {}) => {
      const key = o.idempotencyKey ?? newRid();
      return retry(() => this.call('post', '/api/v1/auctions/{id}/buy-now', { path: { id }, idempotencyKey: key }), o.retries ?? 3);
    },
  };

  readonly products = {
    /**
     * JSON fields, or FormData with images. The server's document gives this route no request body yet,
     * so the body is passed through untyped; its fields are in docs/marketplace.md.
     */
    create: (body: Record<string, unknown> | FormData) =>
      this.call('post', '/api/v1/products', { body } as unknown as Args<'/api/v1/products', 'post'>),
    get: (id: string) => this.call('get', '/api/v1/products/{id}', { path: { id } }),
    list: (query: Query<'/api/v1/products', 'get'> = {}) => this.call('get', '/api/v1/products', { query }),
    mine: () => this.call('get', '/api/v1/me/products', {}),
    edit: (id: string, body: Body<'/api/v1/products/{id}', 'patch'>) => this.call('patch', '/api/v1/products/{id}', { path: { id }, body }),
    remove: (id: string) => this.call('delete', '/api/v1/products/{id}', { path: { id } }),
    /** The URL of a product image (for an <img src>). */
    imageUrl: (product: string, file: string) => `${this.http.baseUrl}/api/v1/images/p/${encodeURIComponent(product)}/${encodeURIComponent(file)}`,
  };

  readonly categories = {
    list: () => this.call('get', '/api/v1/categories', {}),
    put: (id: string, body: Body<'/api/v1/categories/{id}', 'put'>) => this.call('put', '/api/v1/categories/{id}', { path: { id }, body }),
    remove: (id: string) => this.call('delete', '/api/v1/categories/{id}', { path: { id } }),
  };

  readonly tags = {
    list: () => this.call('get', '/api/v1/tags', {}),
    put: (name: string) => this.call('put', '/api/v1/tags/{name}', { path: { name } }),
    remove: (name: string) => this.call('delete', '/api/v1/tags/{name}', { path: { name } }),
  };

  readonly wishes = {
    list: () => this.call('get', '/api/v1/wishes', {}),
    add: (auction: string) => this.call('put', '/api/v1/wishes/{auction}', { path: { auction } }),
    remove: (auction: string) => this.call('delete', '/api/v1/wishes/{auction}', { path: { auction } }),
  };

  /** Signed in: by the caller's group's tags, then popularity; signed out: popularity (docs/recommendation.md). */
  readonly recommendations = {
    forMe: (query: Query<'/api/v1/recommendations', 'get'> = {}) => this.call('get', '/api/v1/recommendations', { query }),
    similar: (id: string, query: Query<'/api/v1/auctions/{id}/similar', 'get'> = {}) =>
      this.call('get', '/api/v1/auctions/{id}/similar', { path: { id }, query }),
  };

  readonly inbox = {
    list: () => this.call('get', '/api/v1/inbox', {}),
    read: (id: string) => this.call('post', '/api/v1/inbox/{id}/read', { path: { id } }),
    remove: (id: string) => this.call('delete', '/api/v1/inbox/{id}', { path: { id } }),
  };

  readonly orders = {
    list: () => this.call('get', '/api/v1/orders', {}),
    get: (id: string) => this.call('get', '/api/v1/orders/{id}', { path: { id } }),
    /** What Toss's payment widget needs (the buyer); 501 PAYMENTS_NOT_CONFIGURED without Toss keys. */
    checkout: (id: string) => this.call('post', '/api/v1/orders/{id}/checkout', { path: { id } }),
    /**
     * After Toss's success redirect. Without a key of the caller's, the key is derived from the payment
     * (its order and paymentKey), so the same redirect opened again (a reload) is the same write.
     */
    confirmPayment: async (body: Body<'/api/v1/payments/confirm', 'post'>, o: Keyed = {}) =>
      this.call('post', '/api/v1/payments/confirm', { body, idempotencyKey: o.idempotencyKey ?? (await paymentKeyOf(body.orderId, body.paymentKey)) }),
    ship: (id: string, body: Body<'/api/v1/orders/{id}/ship', 'post'>, o: Keyed = {}) =>
      this.call('post', '/api/v1/orders/{id}/ship', { path: { id }, body, idempotencyKey: o.idempotencyKey ?? newRid() }),
    /** The buyer confirms receipt. */
    confirmReceipt: (id: string, o: Keyed = {}) =>
      this.call('post', '/api/v1/orders/{id}/confirm', { path: { id }, idempotencyKey: o.idempotencyKey ?? newRid() }),
    refund: (id: string, body: Body<'/api/v1/orders/{id}/refund', 'post'>, o: Keyed = {}) =>
      this.call('post', '/api/v1/orders/{id}/refund', { path: { id }, body, idempotencyKey: o.idempotencyKey ?? newRid() }),
    /** The seller of an EXPIRED order offers it to the runner-up (asked again: the same offer). */
    secondChance: (id: string) => this.call('post', '/api/v1/orders/{id}/second-chance', { path: { id } }),
  };

  /** Second-chance offers I made or got; the runner-up accepts one into a new order. */
  readonly offers = {
    list: () => this.call('get', '/api/v1/offers', {}),
    accept: (id: string, o: Keyed = {}) =>
      this.call('post', '/api/v1/offers/{id}/accept', { path: { id }, idempotencyKey: o.idempotencyKey ?? newRid() }),
  };

  /** A seller's settlements, plan and payout account (docs/settlement.md). */
  readonly settlements = {
    list: (query: Query<'/api/v1/settlements', 'get'> = {}) => this.call('get', '/api/v1/settlements', { query }),
    get: (id: string) => this.call('get', '/api/v1/settlements/{id}', { path: { id } }),
    /** The settlement as CSV text (a line per order and a total); `{id}.csv` is the same route's path. */
    csv: (id: string) => this.call('get', '/api/v1/settlements/{id}', { path: { id: `${id}.csv` } }) as Promise<unknown> as Promise<string>,
    seller: (id: string) => this.call('get', '/api/v1/sellers/{id}/settlement', { path: { id } }),
    setPlan: (id: string, plan: Body<'/api/v1/sellers/{id}/settlement/plan', 'put'>['plan']) =>
      this.call('put', '/api/v1/sellers/{id}/settlement/plan', { path: { id }, body: { plan } }),
    setPayoutAccount: (id: string, body: Body<'/api/v1/sellers/{id}/settlement/payout-account', 'put'>) =>
      this.call('put', '/api/v1/sellers/{id}/settlement/payout-account', { path: { id }, body }),
  };

  /** Settlement runs, the ledger and fee policies (admins). */
  readonly settlementAdmin = {
    run: (period: string) => this.call('post', '/api/v1/admin/settlements/run', { body: { period } }),
    balances: () => this.call('get', '/api/v1/admin/ledger/balances', {}),
    feePolicies: () => this.call('get', '/api/v1/admin/fee-policies', {}),
    addFeePolicy: (body: Body<'/api/v1/admin/fee-policies', 'post'>) => this.call('post', '/api/v1/admin/fee-policies', { body }),
    removeFeePolicy: (id: string) => this.call('delete', '/api/v1/admin/fee-policies/{id}', { path: { id } }),
  };

  private signedIn(tokens: Tokens): Tokens {
    this.session.adopt(tokens);
    return tokens;
  }
}

/** Again with the same request (and key) after a network failure or a 503, up to `times` more. */
async function retry<T>(f: () => Promise<T>, times: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await f();
    } catch (err) {
      const transient = err instanceof ApiError ? err.status === 503 || TRANSIENT.has(err.code ?? '') : err instanceof TypeError;
      if (!transient || attempt >= times) throw err;
      const wait = err instanceof ApiError && err.retryAfter !== null ? err.retryAfter * 1000 : Math.random() * 250 * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * A confirm's key from its payment, 64 hex characters at most (the header's limit): SHA-256 of order and
 * paymentKey, or where Web Crypto is missing (a browser page over plain http off localhost) two seeded
 * 53-bit string hashes, which only need to tell this payment's confirms from others of the same user.
 */
async function paymentKeyOf(orderId: string, paymentKey: string): Promise<string> {
  const text = `${orderId}\u0000${paymentKey}`;
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) return `c-${hash53(text, 1).toString(16)}-${hash53(text, 2).toString(16)}`;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** cyrb53: a fast, well-mixed 53-bit string hash (public domain). */
function hash53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

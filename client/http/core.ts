// Typed requests over fetch. Routes, parameters, bodies and answers are those of `Paths` in
// client/api-types.ts, generated from the server's OpenAPI document, so a call that does not match the
// document fails to compile. A bearer token is attached when a token source has one; a 401 UNAUTHENTICATED
// gets one refresh and one retry (the request was refused before it did anything, and an
// Idempotency-Key, when there is one, goes again unchanged).
import type { Paths, Problem } from '../api-types.ts';
import { ApiError } from './errors.ts';

export type Route = keyof Paths;
type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';
export type MethodOf<P extends Route> = keyof Paths[P] & HttpMethod;
interface OpShape {
  path: object;
  query: object;
  body: unknown;
  bodyRequired: boolean;
  response: unknown;
  idempotencyKey: 'none' | 'optional' | 'required';
}
export type Op<P extends Route, M extends MethodOf<P>> = Paths[P][M] extends OpShape ? Paths[P][M] : never;
export type Answer<P extends Route, M extends MethodOf<P>> = Op<P, M>['response'];

type PathArgs<O extends OpShape> = keyof O['path'] extends never ? { path?: undefined } : { path: O['path'] };
type BodyArgs<O extends OpShape> = [O['body']] extends [never]
  ? { body?: undefined }
  : O['bodyRequired'] extends true ? { body: O['body'] | FormData } : { body?: O['body'] | FormData };
type KeyArgs<O extends OpShape> = O['idempotencyKey'] extends 'none' ? { idempotencyKey?: undefined } : { idempotencyKey?: string };

/** What one call takes: path parameters, query, body and Idempotency-Key, as the document says. */
export type Args<P extends Route, M extends MethodOf<P>> = PathArgs<Op<P, M>> & BodyArgs<Op<P, M>> & KeyArgs<Op<P, M>> & {
  query?: Op<P, M>['query'];
  signal?: AbortSignal;
  /** Send cookies cross-origin (the refresh route in a browser). */
  credentials?: 'include' | 'same-origin' | 'omit';
  /** No bearer token, no refresh (the auth routes themselves). */
  anonymous?: boolean;
  /** More request headers (cookie mode's `Okj-Session`). */
  headers?: Record<string, string>;
};

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | FormData;
  credentials?: 'include' | 'same-origin' | 'omit';
  signal?: AbortSignal;
}
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  blob(): Promise<Blob>;
}
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/** Where bearer tokens come from (a Session). */
export interface TokenSource {
  /** A usable access token (renewed first if about to expire), or null when signed out. */
  accessToken(): Promise<string | null>;
  /** The server refused the token: get a new one; null when that is impossible (signed out). */
  refreshAccessToken(): Promise<string | null>;
  /** When the current token expires, local epoch ms, if known. */
  expiresAt?(): number | null;
}

export interface HttpOptions {
  /** Origin (and any prefix) the routes hang from; '' for same-origin in a browser. */
  baseUrl?: string;
  /** The environment's fetch by default. */
  fetch?: FetchLike;
}

export class HttpCore {
  readonly baseUrl: string;
  private readonly fetch: FetchLike;
  /** Set by whoever owns the session. */
  tokens: TokenSource | null = null;

  constructor(o: HttpOptions = {}) {
    this.baseUrl = (o.baseUrl ?? '').replace(/\/+$/, '');
    // Called unbound, browsers' fetch throws "Illegal invocation".
    this.fetch = o.fetch ?? ((url, init) => globalThis.fetch(url, init as RequestInit) as Promise<FetchResponse>);
  }

  async request<P extends Route, M extends MethodOf<P>>(method: M, route: P, args: Args<P, M>): Promise<Answer<P, M>> {
    const a = args as Args<P, M> & { path?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; idempotencyKey?: string };
    const url = this.baseUrl + fill(route, a.path) + queryString(a.query);
    const headers: Record<string, string> = { ...a.headers, accept: 'application/json, application/problem+json' };
    if (a.idempotencyKey !== undefined) headers['idempotency-key'] = a.idempotencyKey;
    let body: string | FormData | undefined;
    if (isFormData(a.body)) body = a.body;
    else if (a.body !== undefined) {
      body = JSON.stringify(a.body);
      headers['content-type'] = 'application/json';
    }
    const init: FetchInit = { method: method.toUpperCase(), headers, body, credentials: a.credentials, signal: a.signal };
    const send = async (token: string | null) => {
      if (token === null) delete headers.authorization;
      else headers.authorization = `Bearer ${token}`;
      return this.fetch(url, init);
    };
    const tokens = a.anonymous === true ? null : this.tokens;
    const token = tokens === null ? null : await tokens.accessToken();
    let res = await send(token);
    if (res.status === 401 && tokens !== null && token !== null) {
      const refused = await errorOf(res);
      if (refused.code !== 'UNAUTHENTICATED') throw refused; // RECENT_SIGN_IN_REQUIRED: a new token would not help
      const fresh = await tokens.refreshAccessToken();
      if (fresh === null) throw refused;
      res = await send(fresh);
    }
    return (await answer(res)) as Answer<P, M>;
  }
}

function fill(route: string, path: Record<string, string> | undefined): string {
  return route.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = path?.[name];
    if (v === undefined) throw new TypeError(`${route}: path parameter ${name} is missing`);
    return encodeURIComponent(v);
  });
}

function queryString(q: Record<string, unknown> | undefined): string {
  if (q === undefined) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

const isFormData = (v: unknown): v is FormData => typeof FormData !== 'undefined' && v instanceof FormData;
const isJson = (type: string | null) => type !== null && /^application\/(problem\+)?json\b/i.test(type);

async function answer(res: FetchResponse): Promise<unknown> {
  if (res.status < 200 || res.status >= 300) throw await errorOf(res);
  if (res.status === 204) return undefined;
  const type = res.headers.get('content-type');
  if (isJson(type)) {
    const text = await res.text();
    return text === '' ? undefined : JSON.parse(text);
  }
  if (type !== null && type.startsWith('text/')) return res.text();
  return res.blob();
}

async function errorOf(res: FetchResponse): Promise<ApiError> {
  let problem: Problem | null = null;
  if (isJson(res.headers.get('content-type'))) {
    try {
      const v = JSON.parse(await res.text()) as unknown;
      if (typeof v === 'object' && v !== null && typeof (v as { code?: unknown }).code === 'string') problem = v as Problem;
    } catch {
      // not a problem document: the status alone speaks
    }
  }
  const after = res.headers.get('retry-after');
  return new ApiError(res.status, problem?.code ?? null, problem, after !== null && /^\d+$/.test(after) ? Number(after) : null);
}

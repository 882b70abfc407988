// NewGoodsSearch over Naver Shopping's search API: GET {baseUrl}/v1/search/shop.json with the
// X-Naver-Client-Id and X-Naver-Client-Secret headers; query, display (1..100), start=1, sort=sim (by
// relevance), exclude=used:rental:cbshop (new goods sold here only: no second-hand, rental or overseas
// proxy listings, whose prices are not a new-goods price in Korea).
//
// How each failure is told:
//   not-configured  no client id or secret: no call is made
//   unauthorized    401 (errorCode 024: unknown client, wrong secret) or 403 (search API not enabled)
//   quota           429 with errorCode 010, the daily call limit (25,000 a day for the search API)
//   rate-limited    429 with errorCode 012, or any other 429: too many calls per second
//   rejected        400 (SE01..SE06: a bad query, display, start or sort) and 404 (SE05)
//   upstream        5xx (SE99 system error) and any other status
//   timeout         no whole body within timeoutMs (the deadline covers the body, not only the headers)
//   network         the connection failed
//   malformed       a 200 whose body is not JSON, or not the documented page
// Messages carry the status and Naver's errorCode and errorMessage, scrubbed of the credentials.
import type { NewGoodsListing } from '../../engine/pricing/index.ts';
import { naverError, naverPage, toListing } from './naver-wire.ts';
import { failure, type NewGoodsPage, type NewGoodsSearch, type ProviderResult } from './ports.ts';
import { scrub } from './text.ts';

export interface NaverShoppingOptions {
  /** Unset or empty: every search answers not-configured. */
  clientId?: string;
  clientSecret?: string;
  /** Default https://openapi.naver.com; a loopback fake in tests. */
  baseUrl?: string;
  /** The whole call, body included. */
  timeoutMs: number;
}

export const NAVER_DEFAULT_BASE_URL = 'https://openapi.naver.com';
const MAX_DISPLAY = 100;

export class NaverShopping implements NewGoodsSearch {
  readonly provider = 'naver';
  private readonly endpoint: string;

  constructor(private readonly o: NaverShoppingOptions) {
    this.endpoint = `${(o.baseUrl ?? NAVER_DEFAULT_BASE_URL).replace(/\/+$/, '')}/v1/search/shop.json`;
  }

  private safe(text: string): string {
    return scrub(text, [this.o.clientId, this.o.clientSecret]);
  }

  async search(query: string, limit: number): Promise<ProviderResult<NewGoodsPage>> {
    const { clientId, clientSecret } = this.o;
    if (!clientId || !clientSecret) return failure('not-configured', 'Naver Shopping client id or secret is not set');
    const q = query.trim();
    if (q === '') return failure('rejected', 'an empty query is not sent');
    const url = new URL(this.endpoint);
    url.searchParams.set('query', q);
    const display = Math.min(MAX_DISPLAY, Math.max(1, Math.trunc(limit) || 1));
    url.searchParams.set('display', String(display));
    url.searchParams.set('start', '1');
    url.searchParams.set('sort', 'sim');
    url.searchParams.set('exclude', 'used:rental:cbshop');

    const signal = AbortSignal.timeout(this.o.timeoutMs);
    let status: number;
    let body: string;
    try {
      const res = await fetch(url, {
        headers: { 'X-Naver-Client-Id': clientId, 'X-Naver-Client-Secret': clientSecret, accept: 'application/json' },
        signal,
      });
      status = res.status;
      body = await res.text();
    } catch (err) {
      if (signal.aborted) return failure('timeout', `Naver Shopping gave no whole answer within ${this.o.timeoutMs} ms`);
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      return failure('network', this.safe(`Naver Shopping unreachable: ${cause ?? (err as Error).name}`));
    }
    if (status !== 200) return this.classify(status, body);
    return this.page(body, display);
  }

  private classify(status: number, body: string): ProviderResult<NewGoodsPage> {
    let code: string | null = null;
    let said = '';
    try {
      const e = naverError.safeParse(JSON.parse(body));
      if (e.success) {
        code = String(e.data.errorCode);
        said = e.data.errorMessage;
      }
    } catch {
      // not JSON (a proxy's HTML page): the status alone tells
    }
    const message = this.safe(`Naver Shopping answered ${status}${code === null ? '' : ` ${code}`}${said === '' ? '' : `: ${said}`}`);
    const extra = { status, code };
    if (status === 401 || status === 403) return failure('unauthorized', message, extra);
    if (status === 429) return failure(code === '010' ? 'quota' : 'rate-limited', message, extra);
    if (status === 400 || status === 404) return failure('rejected', message, extra);
    return failure('upstream', message, extra);
  }

  private page(body: string, limit: number): ProviderResult<NewGoodsPage> {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return failure('malformed', `Naver Shopping sent a body that is not JSON (${body.length} bytes)`, { status: 200 });
    }
    const parsed = naverPage.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 3).map((i) => i.path.join('.') || '(root)').join(', ');
      return failure('malformed', `Naver Shopping sent a page off its documented shape at ${where}`, { status: 200 });
    }
    const listings = parsed.data.items.map(toListing).filter((l): l is NewGoodsListing => l !== null).slice(0, limit);
    return { ok: true, value: { total: parsed.data.total, listings } };
  }
}

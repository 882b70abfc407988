// A loopback fake of Naver Shopping search (GET /v1/search/shop.json), answering as Naver's documentation
// shows: the X-Naver-Client-Id and X-Naver-Client-Secret headers checked first (401, errorCode 024), then
// query, display (1..100), start (1..1000) and sort (sim, date, asc, dsc) with errors SE01..SE04, SE05
// for another path; a page of `{lastBuildDate, total, start, display, items}` whose items carry `<b>`
// around the matched words, HTML entities, prices as digit strings and "" for a missing hprice. Errors
// are `{errorMessage, errorCode}`. failNext() scripts the failures a real deployment meets.
import type { NewGoodsListing } from '../../engine/pricing/index.ts';
import { listen, sendJson, transportFault, type SeenRequest, type TransportFault } from './pricing-server.ts';

export const NAVER_TEST_CLIENT_ID = 'test-naver-client-id';
export const NAVER_TEST_CLIENT_SECRET = 'test-naver-client-secret';

/** An item as the API sends it. */
export interface NaverWireItem {
  title: string;
  link: string;
  image: string;
  lprice: string;
  hprice: string;
  mallName: string;
  productId: string;
  productType: string;
  brand: string;
  maker: string;
  category1: string;
  category2: string;
  category3: string;
  category4: string;
}

export type NaverFault =
  | TransportFault // hang, stall-body, garbage (an HTML page with a 200)
  | 'unauthorized' // 401 024: an unknown client id
  | 'forbidden' // 403: the application has no search API enabled
  | 'quota' // 429 010: the daily limit
  | 'rate-limited' // 429 012: too many calls per second
  | 'server-error' // 500 SE99
  | 'bad-gateway' // 502 with a proxy's HTML page
  | 'wrong-shape'; // 200 with JSON that is not the documented page

export interface NaverFake {
  /** The base URL to give the adapter. */
  url: string;
  requests: SeenRequest[];
  /** Requests received, failed ones included. */
  readonly calls: number;
  /** Requests the client gave up on before the answer was complete; abortedAtLeast(n) awaits n of them. */
  readonly aborted: number;
  abortedAtLeast(n: number): Promise<void>;
  /** Items for a query (matched after trimming and lowercasing), in relevance order. */
  put(query: string, items: NaverWireItem[]): void;
  failNext(fault: NaverFault, times?: number): void;
  close(): Promise<void>;
}

function escapeEntities(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The wire form of a clean listing, as Naver would send it for `query`: markup, entities, digit strings. */
export function wireItem(l: NewGoodsListing, query: string): NaverWireItem {
  let title = escapeEntities(l.title);
  for (const word of query.split(/\s+/).filter((w) => w.length > 0)) {
    title = title.split(escapeEntities(word)).join(`<b>${escapeEntities(word)}</b>`);
  }
  const [c1 = '', c2 = '', c3 = '', c4 = ''] = l.categories;
  return {
    title, link: l.link, image: l.image, lprice: String(l.price), hprice: l.highPrice === null ? '' : String(l.highPrice),
    mallName: escapeEntities(l.mall), productId: l.productId, productType: String(l.productType),
    brand: escapeEntities(l.brand), maker: escapeEntities(l.maker), category1: c1, category2: c2, category3: c3, category4: c4,
  };
}

/** RFC 1123 with Korea's offset, like `Tue, 04 Oct 2016 13:23:58 +0900`. */
function buildDate(): string {
  const d = new Date(Date.now() + 9 * 3_600_000).toUTCString(); // "Tue, 04 Oct 2016 13:23:58 GMT"
  return d.replace('GMT', '+0900');
}

const ERR = {
  auth: { errorMessage: 'Not Exist Client ID : Authentication failed. (인증에 실패했습니다.)', errorCode: '024' },
  scope: { errorMessage: 'Scope Status Invalid : Authentication failed. (인증에 실패했습니다.)', errorCode: '024' },
  quota: { errorMessage: '{count/quota=25001/25000} : Query limit exceeded. (쿼리 한도를 초과했습니다.)', errorCode: '010' },
  rate: { errorMessage: 'Rate limit exceeded. (속도 제한을 초과했습니다.)', errorCode: '012' },
  SE01: { errorMessage: 'Incorrect query request (잘못된 쿼리요청입니다.)', errorCode: 'SE01' },
  SE02: { errorMessage: 'Invalid display value (부적절한 display 값입니다.)', errorCode: 'SE02' },
  SE03: { errorMessage: 'Invalid start value (부적절한 start 값입니다.)', errorCode: 'SE03' },
  SE04: { errorMessage: 'Invalid sort value (부적절한 sort 값입니다.)', errorCode: 'SE04' },
  SE05: { errorMessage: 'Invalid search api (존재하지 않는 검색 api 입니다.)', errorCode: 'SE05' },
  SE99: { errorMessage: 'System Error (시스템 에러)', errorCode: 'SE99' },
} as const;

function inRange(v: string | null, min: number, max: number): boolean {
  if (v === null) return true;
  const n = Number(v);
  return /^\d+$/.test(v) && n >= min && n <= max;
}

export async function naverFake(opts: { clientId?: string; clientSecret?: string } = {}): Promise<NaverFake> {
  const clientId = opts.clientId ?? NAVER_TEST_CLIENT_ID;
  const clientSecret = opts.clientSecret ?? NAVER_TEST_CLIENT_SECRET;
  const requests: SeenRequest[] = [];
  const items = new Map<string, NaverWireItem[]>();
  const faults: NaverFault[] = [];
  const key = (q: string) => q.trim().toLowerCase();

  const server = await listen((req, res) => {
    requests.push(req);
    const fault = faults.shift();
    if (transportFault(res, fault, '<html><body>점검 중입니다</body></html>')) return;
    switch (fault) {
      case 'wrong-shape': return sendJson(res, 200, { lastBuildDate: buildDate(), total: '3', items: [{ title: 'x', lprice: '12,000' }] });
      case 'bad-gateway':
        res.writeHead(502, { 'content-type': 'text/html' });
        return res.end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>');
      case 'unauthorized': return sendJson(res, 401, ERR.auth);
      case 'forbidden': return sendJson(res, 403, ERR.scope);
      case 'quota': return sendJson(res, 429, ERR.quota);
      case 'rate-limited': return sendJson(res, 429, ERR.rate);
      case 'server-error': return sendJson(res, 500, ERR.SE99);
      default: break;
    }
    if (req.headers['x-naver-client-id'] !== clientId || req.headers['x-naver-client-secret'] !== clientSecret) return sendJson(res, 401, ERR.auth);
    if (req.method !== 'GET' || req.path !== '/v1/search/shop.json') return sendJson(res, 404, ERR.SE05);
    const q = req.query.get('query');
    if (q === null || q.trim() === '') return sendJson(res, 400, ERR.SE01);
    if (!inRange(req.query.get('display'), 1, 100)) return sendJson(res, 400, ERR.SE02);
    if (!inRange(req.query.get('start'), 1, 1000)) return sendJson(res, 400, ERR.SE03);
    const sort = req.query.get('sort');
    if (sort !== null && !['sim', 'date', 'asc', 'dsc'].includes(sort)) return sendJson(res, 400, ERR.SE04);
    const display = Number(req.query.get('display') ?? 10);
    const start = Number(req.query.get('start') ?? 1);
    const all = items.get(key(q)) ?? [];
    const page = all.slice(start - 1, start - 1 + display);
    sendJson(res, 200, { lastBuildDate: buildDate(), total: all.length, start, display: page.length, items: page });
  });

  return {
    url: server.origin,
    requests,
    get calls() { return requests.length; },
    get aborted() { return server.aborted; },
    abortedAtLeast: (n: number) => server.abortedAtLeast(n),
    put(query, list) { items.set(key(query), list); },
    failNext(fault, times = 1) { for (let i = 0; i < times; i++) faults.push(fault); },
    close: () => server.close(),
  };
}

// The HTTP client and the session over a fake fetch: problem documents become ApiError with their code,
// a refused token is renewed once and the request retried, concurrent renewals share one refresh (a
// refresh token is single-use), cookie and token modes, Idempotency-Key kept across retries.
import t from 'tap';
import { ApiError, OkjApi, type Api, type FetchLike, type FetchResponse } from '../../client/index.ts';

interface Call { url: string; method: string; headers: Record<string, string>; body: unknown; credentials?: string }

function response(status: number, body?: unknown, headers: Record<string, string> = {}): FetchResponse {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  const h = new Map(Object.entries({ 'content-type': type, ...headers }).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status,
    headers: { get: (n) => h.get(n.toLowerCase()) ?? null },
    text: async () => (body === undefined ? '' : JSON.stringify(body)),
    blob: async () => new Blob([]),
  };
}

const problem = (status: number, code: string, detail = code) => ({ type: 'about:blank', title: code, status, code, detail });

function tokens(n: number, ttl = 900): Api.Tokens {
  return { tokenType: 'Bearer', accessToken: `access-${n}`, expiresIn: ttl, refreshToken: `refresh-${n}`, refreshExpiresIn: 86_400, userId: 'u1', role: 'USER' };
}

/** A fake server: `route` answers each call; every call is recorded. */
function fake(route: (c: Call, n: number) => FetchResponse | Promise<FetchResponse>) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    const c: Call = { url, method: init.method, headers: init.headers, body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body, credentials: init.credentials };
    calls.push(c);
    return route(c, calls.length);
  };
  return { calls, fetch };
}

t.test('a problem document is an ApiError carrying its code', async (t) => {
  const { fetch } = fake(() => response(429, problem(429, 'TOO_MANY_ATTEMPTS'), { 'retry-after': '30' }));
  const api = new OkjApi({ baseUrl: 'http://h', fetch });
  const err = await api.auth.login({ email: 'a@b.co', password: 'x' }).catch((e: unknown) => e);
  t.ok(err instanceof ApiError);
  t.match(err, { status: 429, code: 'TOO_MANY_ATTEMPTS', retryAfter: 30 });
});

t.test('sign-in adopts tokens; requests carry them; paths and queries are encoded', async (t) => {
  const { calls, fetch } = fake((c) => (c.url.endsWith('/auth/login') ? response(200, tokens(1)) : response(200, { items: [], next: null })));
  const api = new OkjApi({ baseUrl: 'http://h/', fetch, session: { mode: 'token' } });
  await api.auth.login({ email: 'a@b.co', password: 'pw' });
  t.equal(calls[0].headers.authorization, undefined, 'sign-in itself is anonymous');
  await api.auctions.bids('a/b', { after: 5, limit: 10 });
  t.equal(calls[1].url, 'http://h/api/v1/auctions/a%2Fb/bids?after=5&limit=10');
  t.equal(calls[1].headers.authorization, 'Bearer access-1');
});

t.test('a refused access token: one refresh shared by concurrent requests, each retried once', async (t) => {
  let issued = 1;
  const { calls, fetch } = fake(async (c) => {
    if (c.url.endsWith('/auth/refresh')) {
      await new Promise((r) => setTimeout(r, 10));
      return response(200, tokens(++issued));
    }
    return c.headers.authorization === 'Bearer access-1' ? response(401, problem(401, 'UNAUTHENTICATED', 'the access token has expired')) : response(200, { ok: 1 });
  });
  const api = new OkjApi({ baseUrl: 'http://h', fetch, session: { mode: 'token' } });
  api.session.adopt(tokens(1));
  const rotated: string[] = [];
  api.session.on('tokens', (tk) => rotated.push(tk.refreshToken ?? ''));
  const answers = await Promise.all([api.inbox.list(), api.wishes.list(), api.orders.list()]);
  t.same(answers, [{ ok: 1 }, { ok: 1 }, { ok: 1 }]);
  const refreshes = calls.filter((c) => c.url.endsWith('/auth/refresh'));
  t.equal(refreshes.length, 1, 'one refresh for three refusals');
  t.same(refreshes[0].body, { refreshToken: 'refresh-1' }, 'token mode: the held refresh token');
  t.same(rotated, ['refresh-2'], 'the rotated one is handed out to keep');
  await api.auth.refresh();
  t.same(calls.filter((c) => c.url.endsWith('/auth/refresh'))[1].body, { refreshToken: 'refresh-2' }, 'and used next time');
});

t.test('cookie mode: the refresh goes with credentials and names no token', async (t) => {
  const { calls, fetch } = fake(() => response(200, tokens(7)));
  const api = new OkjApi({ baseUrl: 'http://h', fetch, session: { mode: 'cookie' } });
  t.equal(await api.session.resume(), true, 'a page load finds its session through the cookie');
  t.same(calls[0].body, {});
  t.equal(calls[0].credentials, 'include');
  t.equal(calls[0].headers.authorization, undefined);
  t.equal(calls[0].headers['okj-session'], 'cookie', 'cookie mode is asked for');
  t.equal(await api.session.accessToken(), 'access-7');
  await api.auth.login({ email: 'a@example.com', password: 'pw' });
  t.equal(calls[1].headers['okj-session'], 'cookie', 'and on sign-in');
});

t.test('a refused refresh ends the session; the request fails with its own error', async (t) => {
  const { fetch } = fake((c) => (c.url.endsWith('/auth/refresh')
    ? response(401, problem(401, 'REFRESH_TOKEN_INVALID'))
    : response(401, problem(401, 'UNAUTHENTICATED'))));
  const api = new OkjApi({ baseUrl: 'http://h', fetch, session: { mode: 'token' } });
  api.session.adopt(tokens(1));
  const ended: string[] = [];
  api.session.on('signedOut', (e) => ended.push(e.reason));
  const err = await api.auth.me().catch((e: unknown) => e);
  t.match(err, { code: 'UNAUTHENTICATED' });
  t.same(ended, ['refused']);
  t.equal(await api.session.accessToken(), null);
});

t.test('RECENT_SIGN_IN_REQUIRED is not a token problem: no refresh', async (t) => {
  const { calls, fetch } = fake(() => response(401, problem(401, 'RECENT_SIGN_IN_REQUIRED')));
  const api = new OkjApi({ baseUrl: 'http://h', fetch, session: { mode: 'token' } });
  api.session.adopt(tokens(1));
  await t.rejects(api.auth.me(), { code: 'RECENT_SIGN_IN_REQUIRED' });
  t.equal(calls.length, 1);
});

t.test('a token about to expire is renewed before the request', async (t) => {
  let now = 0;
  const { calls, fetch } = fake((c) => (c.url.endsWith('/auth/refresh') ? response(200, tokens(2)) : response(200, {})));
  const api = new OkjApi({ baseUrl: 'http://h', fetch, session: { mode: 'token', now: () => now } });
  api.session.adopt(tokens(1, 900));
  now = 900_000 - 59_000; // 59 s left: under a minute
  await api.inbox.list();
  t.same(calls.map((c) => c.url.replace('http://h/api/v1', '')), ['/auth/refresh', '/inbox']);
  t.equal(calls[1].headers.authorization, 'Bearer access-2');
});

t.test('a bid over HTTP keeps its Idempotency-Key through retries', async (t) => {
  const { calls, fetch } = fake((_c, n) => {
    if (n === 1) throw new TypeError('fetch failed');
    if (n === 2) return response(503, problem(503, 'STORE_UNAVAILABLE'), { 'retry-after': '0' });
    return response(200, { ok: true, rid: 'k', seq: 4, price: 12_000, leading: true, endsAt: 1 });
  });
  const api = new OkjApi({ baseUrl: 'http://h', fetch });
  const ok = await api.auctions.bid('a1', 12_000, { max: 15_000, idempotencyKey: 'bid-key-1' });
  t.match(ok, { ok: true, seq: 4 });
  t.same(calls.map((c) => c.headers['idempotency-key']), ['bid-key-1', 'bid-key-1', 'bid-key-1']);
  t.same(calls[0].body, { amount: 12_000, max: 15_000 });
  await t.rejects(new OkjApi({ baseUrl: 'http://h', fetch: fake(() => response(409, problem(409, 'BID_TOO_LOW'))).fetch }).auctions.bid('a1', 1), { code: 'BID_TOO_LOW' }, 'a refusal is not retried');
});

t.test('writes that need a key get one', async (t) => {
  const { calls, fetch } = fake(() => response(201, { ok: true, rid: 'x', seq: 1, price: 1, leading: false, endsAt: 1, id: 'a1' }));
  const api = new OkjApi({ baseUrl: 'http://h', fetch });
  await api.auctions.create({ productId: 'p', startPrice: 1_000, endsAt: 1 });
  await api.auctions.open('a1');
  t.ok(calls.every((c) => typeof c.headers['idempotency-key'] === 'string' && c.headers['idempotency-key'].length > 0));
});

t.test('settlement routes: paths, methods and bodies as the document says; a CSV answers its text', async (t) => {
  const csv = 'order_id,price\r\no1,1000\r\n';
  const { calls, fetch } = fake((c) => c.url.endsWith('.csv')
    ? { status: 200, headers: { get: (n) => (n.toLowerCase() === 'content-type' ? 'text/csv; charset=utf-8' : null) }, text: async () => csv, blob: async () => new Blob([]) }
    : response(c.method === 'DELETE' ? 204 : 200, c.method === 'DELETE' ? undefined : {}));
  const api = new OkjApi({ baseUrl: 'http://h', fetch });
  api.session.adopt(tokens(1));
  t.equal(await api.settlements.csv('s 1'), csv, 'the CSV as text');
  await api.settlements.list({ all: true });
  await api.settlements.setPlan('u1', 'IMMEDIATELY');
  await api.settlements.setPayoutAccount('u1', { bankCode: '088', accountNumber: '110123456789', holderName: 'Kim' });
  await api.settlementAdmin.run('2026-12-01');
  await api.settlementAdmin.addFeePolicy({ categoryId: null, plan: 'AUTO', rateBps: 350, minFee: 200, effectiveFrom: 0 });
  t.equal(await api.settlementAdmin.removeFeePolicy('f1'), undefined);
  t.same(calls.map((c) => `${c.method} ${c.url.slice('http://h'.length)}`), [
    'GET /api/v1/settlements/s%201.csv',
    'GET /api/v1/settlements?all=true',
    'PUT /api/v1/sellers/u1/settlement/plan',
    'PUT /api/v1/sellers/u1/settlement/payout-account',
    'POST /api/v1/admin/settlements/run',
    'POST /api/v1/admin/fee-policies',
    'DELETE /api/v1/admin/fee-policies/f1',
  ]);
  t.same(calls[2].body, { plan: 'IMMEDIATELY' });
  t.same(calls[4].body, { period: '2026-12-01' });
  t.equal(calls[0].headers.authorization, 'Bearer access-1');
});

// Cookie mode (the web app, `Okj-Session: cookie`): the refresh token in an HttpOnly, SameSite=Strict
// cookie scoped to the refresh route (Secure outside loopback), never in the JSON; rotation through the
// cookie, a reused cookie revoking the session and clearing itself, logout clearing it, requests from
// another origin refused with CROSS_SITE_REFUSED, and the JSON mode unchanged without the header. Also
// Google sign-in started by the web app, which ends in the app with the cookie set.
import http from 'node:http';
import t from 'tap';
import { boot } from '../gateway/harness.ts';
import { FakeIdp, begin } from './fake-idp.ts';
import { PASSWORD, person, signUpAndVerify, type Server } from './helpers.ts';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  cookies: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** node:http rather than fetch: the test sets Host, Origin and Sec-Fetch-Site, which fetch may not. */
function send(base: string, method: string, path: string, o: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const raw = o.body === undefined ? undefined : JSON.stringify(o.body);
  const headers: Record<string, string> = { ...o.headers };
  if (raw !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, headers: res.headers, cookies: res.headers['set-cookie'] ?? [],
        body: text !== '' && (res.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text,
      }));
    });
    req.on('error', reject);
    req.end(raw);
  });
}

const COOKIE = { 'okj-session': 'cookie' };
/** The `okj_refresh=...` pair of a Set-Cookie list, to send back as a Cookie header. */
const pairOf = (cookies: string[]): string => (cookies.find((c) => c.startsWith('okj_refresh=')) ?? '').split(';')[0];
const attrs = (cookies: string[]): string[] => (cookies.find((c) => c.startsWith('okj_refresh=')) ?? '').split(';').slice(1).map((s) => s.trim());

async function account(s: Server): Promise<{ email: string }> {
  const p = person();
  await signUpAndVerify(s, p);
  return { email: p.email };
}

t.test('cookie mode on a loopback server', async (t) => {
  const s = (await boot({ PUBLIC_BASE_URL: 'https://okjangpan.example' })) as Server;
  t.teardown(() => s.stop());
  const { email } = await account(s);
  const login = (headers: Record<string, string> = {}) => send(s.http, 'POST', '/api/v1/auth/login', { headers, body: { email, password: PASSWORD } });
  const refresh = (cookie: string, headers: Record<string, string> = COOKIE) => send(s.http, 'POST', '/api/v1/auth/refresh', { headers: { ...headers, cookie } });

  t.test('without the header: JSON as before, no cookie', async (t) => {
    const r = await login();
    t.equal(r.status, 200);
    t.type(r.body.refreshToken, 'string');
    t.same(r.cookies, []);
    const ignored = await refresh(`okj_refresh=${r.body.refreshToken}`, {});
    t.equal(ignored.status, 400, 'a cookie alone is never read: the body must name the token');
    t.equal(ignored.body.code, 'VALIDATION_FAILED');
  });

  t.test('sign-in sets the cookie, and the JSON carries no refresh token', async (t) => {
    const r = await login(COOKIE);
    t.equal(r.status, 200, JSON.stringify(r.body));
    t.equal(r.body.refreshToken, undefined);
    t.type(r.body.accessToken, 'string');
    t.match(pairOf(r.cookies), /^okj_refresh=[A-Za-z0-9_-]{43}$/);
    const a = attrs(r.cookies);
    t.ok(a.includes('Path=/api/v1/auth/refresh'), 'scoped to the refresh route');
    t.ok(a.includes('HttpOnly'));
    t.ok(a.includes('SameSite=Strict'));
    t.notOk(a.includes('Secure'), 'not Secure on plain HTTP to a loopback host');
    t.ok(Number(a.find((x) => x.startsWith('Max-Age='))?.slice(8)) > 0, 'lives as long as the refresh token');
    t.equal(r.headers['cache-control'], 'no-store');
  });

  t.test('Secure when the host is not loopback', async (t) => {
    const r = await login({ ...COOKIE, host: 'okjangpan.example', origin: 'https://okjangpan.example' });
    t.equal(r.status, 200, JSON.stringify(r.body));
    t.ok(attrs(r.cookies).includes('Secure'));
  });

  t.test('rotation through the cookie; a reused cookie revokes the session and is cleared', async (t) => {
    const first = pairOf((await login(COOKIE)).cookies);
    const r1 = await refresh(first);
    t.equal(r1.status, 200, JSON.stringify(r1.body));
    t.equal(r1.body.refreshToken, undefined);
    const second = pairOf(r1.cookies);
    t.not(second, first, 'a new token each refresh');
    t.equal((await send(s.http, 'GET', '/api/v1/accounts/me', { headers: { authorization: `Bearer ${r1.body.accessToken}` } })).status, 200);
    const r2 = await refresh(second);
    t.equal(r2.status, 200, 'the rotated cookie works');
    const third = pairOf(r2.cookies);

    const reused = await refresh(first);
    t.equal(reused.status, 401);
    t.equal(reused.body.code, 'REFRESH_TOKEN_INVALID');
    t.ok(attrs(reused.cookies).includes('Max-Age=0'), 'the refused cookie is cleared');
    t.equal(pairOf(reused.cookies), 'okj_refresh=');
    t.equal((await refresh(third)).status, 401, 'the reuse revoked the whole session: its latest cookie is dead too');
    t.equal((await send(s.http, 'GET', '/api/v1/accounts/me', { headers: { authorization: `Bearer ${r2.body.accessToken}` } })).body.code, 'SESSION_REVOKED');
  });

  t.test('no cookie: REFRESH_TOKEN_INVALID', async (t) => {
    const r = await send(s.http, 'POST', '/api/v1/auth/refresh', { headers: COOKIE });
    t.equal(r.status, 401);
    t.equal(r.body.code, 'REFRESH_TOKEN_INVALID');
  });

  t.test('logout clears the cookie and ends the session', async (t) => {
    const r = await login(COOKIE);
    const out = await send(s.http, 'POST', '/api/v1/auth/logout', { headers: { ...COOKIE, authorization: `Bearer ${r.body.accessToken}` } });
    t.equal(out.status, 204);
    t.equal(out.headers['content-length'], undefined, 'a 204 says no length (the connection stays usable)');
    t.equal(pairOf(out.cookies), 'okj_refresh=');
    t.ok(attrs(out.cookies).includes('Max-Age=0'));
    t.ok(attrs(out.cookies).includes('Path=/api/v1/auth/refresh'), 'the same path, so the browser drops it');
    t.equal((await refresh(pairOf(r.cookies))).body.code, 'REFRESH_TOKEN_INVALID');
  });

  t.test('requests from another origin are refused, and spend nothing', async (t) => {
    const cookie = pairOf((await login(COOKIE)).cookies);
    const cases: [string, Record<string, string>][] = [
      ['an Origin of another site', { origin: 'https://evil.example' }],
      ['an Origin of another port', { origin: `http://127.0.0.1:1` }],
      ['an opaque Origin', { origin: 'null' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
    ];
    for (const [what, headers] of cases) {
      const r = await refresh(cookie, { ...COOKIE, ...headers });
      t.equal(r.status, 403, what);
      t.equal(r.body.code, 'CROSS_SITE_REFUSED', what);
      t.same(r.cookies, [], `${what}: the cookie is left alone`);
    }
    const evilLogin = await login({ ...COOKIE, origin: 'https://evil.example' });
    t.equal(evilLogin.body.code, 'CROSS_SITE_REFUSED', 'a login from another origin (login CSRF) too');
    t.same(evilLogin.cookies, []);

    const own = await refresh(cookie, { ...COOKIE, origin: s.http, 'sec-fetch-site': 'same-origin' });
    t.equal(own.status, 200, 'the page\'s own origin passes, and the cookie was not spent by the refusals');
    const configured = await refresh(pairOf(own.cookies), { ...COOKIE, origin: 'https://okjangpan.example' });
    t.equal(configured.status, 200, 'PUBLIC_BASE_URL\'s origin passes (behind a proxy that rewrites Host)');
    t.equal((await refresh(cookie, { 'okj-session': 'yes' })).body.code, 'VALIDATION_FAILED', 'the header takes one value');
  });
});

t.test('Google sign-in from the web app ends in the app with the cookie set', async (t) => {
  const idp = await FakeIdp.start();
  t.teardown(() => idp.close());
  const s = (await boot(idp.env())) as Server;
  t.teardown(() => s.stop());
  idp.user = { sub: 'g-web-1', email: 'web@example.com', email_verified: true, name: 'Web Person' };

  const start = await send(s.http, 'GET', '/api/v1/auth/google/start?mode=cookie');
  t.equal(start.status, 302);
  const binding = start.cookies.map((c) => c.split(';')[0]).join('; ');
  t.match(binding, /okj_oauth=.+; okj_oauth_mode=cookie/);
  const back = await fetch(new URL(start.headers.location ?? ''), { redirect: 'manual' });
  const to = new URL(back.headers.get('location') ?? '');
  const r = await send(s.http, 'GET', `/api/v1/auth/google/callback?${to.searchParams}`, { headers: { cookie: binding } });
  t.equal(r.status, 303);
  t.equal(r.headers.location, '/');
  t.match(pairOf(r.cookies), /^okj_refresh=.{43}$/);
  t.ok(r.cookies.some((c) => c.startsWith('okj_oauth_mode=;')), 'the mode cookie is spent');
  t.equal((await send(s.http, 'POST', '/api/v1/auth/refresh', { headers: { ...COOKIE, cookie: pairOf(r.cookies) } })).status, 200, 'the app finds its session');

  const f = await begin(s);
  const failed = await send(s.http, 'GET', `/api/v1/auth/google/callback?code=${f.code}&state=forged`, { headers: { cookie: `${f.cookie}; okj_oauth_mode=cookie` } });
  t.equal(failed.status, 303);
  t.equal(failed.headers.location, '/signin?error=OAUTH_STATE_INVALID', 'a failure lands on the sign-in page with its code');
  t.same(failed.cookies.filter((c) => c.startsWith('okj_refresh')), []);
});

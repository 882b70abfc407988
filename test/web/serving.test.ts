// The web app as the server serves it: its one page for every client route (deep links included) with a
// Content-Security-Policy that allows no inline code and names the socket, the hashed assets (immutable,
// gzip when asked for), a 404 problem for an unknown asset or file, and every path of the API, the
// probes, the socket and the metrics answered as before, never with the page.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import t from 'tap';
import { boot } from '../gateway/harness.ts';
import { contentSecurityPolicy, pageHeaders } from '../../http/web/page.ts';

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * node:http, so the answer's bytes are seen as sent (fetch would gunzip them); a connection each, since
 * uWebSockets.js ends the connection after answering a HEAD.
 */
function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const s = await boot();
t.teardown(() => s.stop());
const host = new URL(s.http).host;

t.test('the page: headers and a body without inline code', async (t) => {
  const r = await get(s.http, '/');
  t.equal(r.status, 200);
  t.match(r.headers['content-type'], /^text\/html; charset=utf-8/);
  const csp = String(r.headers['content-security-policy']);
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
  t.equal(directives['default-src'], "'none'");
  t.equal(directives['script-src'], "'self'", 'scripts only from this origin: no inline, no eval');
  t.equal(directives['style-src'], "'self'");
  t.equal(directives['connect-src'], `'self' ws://${host} wss://${host}`, 'the API and the socket');
  t.equal(directives['frame-ancestors'], "'none'");
  t.equal(directives['base-uri'], "'none'");
  t.equal(directives['object-src'], "'none'");
  t.notMatch(csp, /unsafe-inline|unsafe-eval/);
  t.equal(r.headers['x-content-type-options'], 'nosniff');
  t.equal(r.headers['x-frame-options'], 'DENY');
  t.equal(r.headers['referrer-policy'], 'no-referrer');
  t.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
  t.equal(r.headers['cache-control'], 'no-cache');
  const html = r.body.toString();
  t.match(html, /<html lang="ko">/, 'Korean by default');
  t.match(html, /<script type="module" src="\/assets\/app-[A-Z0-9]+\.js"><\/script>/);
  t.match(html, /<link rel="stylesheet" href="\/assets\/app-[A-Z0-9]+\.css">/);
  t.notMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  t.notMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'no inline style or handler');
  t.match(html, /<meta name="okj-google" content="off">/, 'Google sign-in is off unless configured');

  const head = await get(s.http, '/', {}, 'HEAD');
  t.equal(head.status, 200);
  t.equal(head.body.length, 0);
});

t.test('deep links load the app', async (t) => {
  const page = (await get(s.http, '/')).body.toString();
  for (const path of ['/auctions/4f1c2a', '/verify-email', '/me/bids', '/admin/tags', '/signin?next=%2Fsell', '/no/such/page']) {
    const r = await get(s.http, path);
    t.equal(r.status, 200, path);
    t.equal(r.body.toString(), page, `${path}: the app's page`);
  }
});

t.test('the API, the probes, the socket path and the metrics are not shadowed', async (t) => {
  const problem = async (path: string, status: number) => {
    const r = await get(s.http, path);
    t.equal(r.status, status, path);
    t.match(r.headers['content-type'], /^application\/problem\+json/, `${path}: a problem document, not the page`);
  };
  await problem('/api/v1/no-such-route', 404);
  await problem('/api/v1/auctions/no-such-auction', 404);
  await problem('/api', 404);
  await problem('/api/', 404);
  await problem('/ws', 404);
  await problem('/metrics', 404);
  for (const path of ['/api/v1/auctions', '/openapi.json', '/healthz', '/readyz']) {
    const r = await get(s.http, path);
    t.equal(r.status, 200, path);
    t.match(r.headers['content-type'], /^application\/json/, path);
  }
  const post = await get(s.http, '/auctions/x', {}, 'POST');
  t.equal(post.status, 404, 'only GET and HEAD get the page');
});

t.test('assets: hashed, immutable, gzipped on request; unknown files are 404', async (t) => {
  const html = (await get(s.http, '/')).body.toString();
  const paths = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  t.equal(paths.length, 3, 'script, stylesheet and icon');
  for (const path of paths) {
    const plain = await get(s.http, path);
    t.equal(plain.status, 200, path);
    t.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    t.equal(plain.headers['content-encoding'], undefined, 'identity when gzip is not asked for');
    const gz = await get(s.http, path, { 'accept-encoding': 'gzip, br' });
    t.equal(gz.headers['content-encoding'], 'gzip');
    t.match(gz.headers.vary, /Accept-Encoding/i);
    t.same(gunzipSync(gz.body), plain.body, `${path}: the same bytes`);
  }
  const typeOf = async (ext: string) => (await get(s.http, paths.find((p) => p.endsWith(ext)) ?? '')).headers['content-type'];
  t.match(await typeOf('.js'), /^text\/javascript/);
  t.match(await typeOf('.css'), /^text\/css/);
  t.match(await typeOf('.svg'), /^image\/svg\+xml/);
  for (const path of ['/assets/app-NOPE.js', '/assets/', '/favicon.ico', '/robots.txt', '/auctions/x.json']) {
    const r = await get(s.http, path);
    t.equal(r.status, 404, path);
    t.match(r.headers['content-type'], /^application\/problem\+json/, path);
  }
});

t.test("the checkout document alone lets Toss's payment window in", async (t) => {
  const directives = (csp: string) => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
  const toss = { google: false, imageOrigins: [], checkout: { sdkUrl: 'https://js.tosspayments.com/v2/standard' } };
  const at = directives(contentSecurityPolicy('shop.example:443', toss, '/orders/0b7c/pay'));
  t.equal(at['script-src'], "'self' https://js.tosspayments.com", "Toss's SDK and nothing else beside this origin");
  t.equal(at['frame-src'], 'https://js.tosspayments.com https://*.tosspayments.com', "Toss's window frames");
  t.match(at['form-action'], /^'self' .*https:\/\/\*\.tosspayments\.com/);
  t.match(at['connect-src'], /^'self' ws:\/\/shop\.example:443 wss:\/\/shop\.example:443 /);
  t.equal(at['require-trusted-types-for'], undefined, "Toss's SDK writes its own DOM");
  t.equal(at['frame-ancestors'], "'none'");
  t.equal(pageHeaders('shop.example', toss, '/orders/0b7c/pay')['Cross-Origin-Opener-Policy'], 'same-origin-allow-popups');

  for (const path of ['/', '/me/orders', '/orders/pay/success', '/orders/pay/fail', '/orders/0b7c/pay/x', '/orders//pay']) {
    const csp = contentSecurityPolicy('shop.example', toss, path);
    t.notMatch(csp, /tosspayments|frame-src|unsafe-inline/, `${path}: the app's own policy`);
    t.match(csp, /require-trusted-types-for 'script'/, path);
    t.equal(pageHeaders('shop.example', toss, path)['Cross-Origin-Opener-Policy'], 'same-origin', path);
  }
  const unconfigured = contentSecurityPolicy('shop.example', { ...toss, checkout: null }, '/orders/0b7c/pay');
  t.notMatch(unconfigured, /tosspayments|frame-src/, 'without Toss keys the checkout has no Toss origin either');

  t.notMatch((await get(s.http, '/')).body.toString(), /okj-toss-sdk/, 'the page names no SDK without Toss keys');
  const paying = await boot({ TOSS_SECRET_KEY: 'test_sk_placeholder', TOSS_CLIENT_KEY: 'test_ck_placeholder' });
  t.teardown(() => paying.stop());
  const page = await get(paying.http, '/orders/0b7c/pay');
  t.match(page.body.toString(), /<meta name="okj-toss-sdk" content="https:\/\/js\.tosspayments\.com\/v2\/standard">/, 'Toss\'s SDK by default');
  t.match(String(page.headers['content-security-policy']), /script-src 'self' https:\/\/js\.tosspayments\.com;/);
});

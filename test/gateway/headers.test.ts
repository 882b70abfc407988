// Every HTTP response on the public port carries the security headers (no MIME sniffing, no framing, no
// referrer) and names no server software: answers, problem documents, 404s, a 413, a HEAD, the socket
// upgrade, and the 502 the forwarder writes itself when the API does not answer.
import net from 'node:net';
import t, { type Test } from 'tap';
import uWS from 'uWebSockets.js';
import WebSocket from 'ws';
import { silentLogger } from '../../engine/logger.ts';
import { forwardToKoa } from '../../http/bridge.ts';
import { boot, rid } from './harness.ts';

const b = await boot({ HTTP_BODY_LIMIT_BYTES: '2048' });
t.teardown(() => b.stop());
const seller = await b.token('seller');

const EXPECTED = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

function hardened(t: Test, what: string, headers: Headers | Record<string, string | string[] | undefined>): void {
  const get = (k: string) => (headers instanceof Headers ? headers.get(k) ?? undefined : (headers[k] as string | undefined));
  for (const [k, v] of Object.entries(EXPECTED)) t.equal(get(k), v, `${what}: ${k}`);
  t.equal(get('uwebsockets'), undefined, `${what}: no uWebSockets header`);
  t.equal(get('server'), undefined, `${what}: no Server header`);
  t.equal(get('x-powered-by'), undefined, `${what}: no X-Powered-By header`);
}

t.test('answers, problem documents and 404s', async (t) => {
  const now = Date.now();
  const cases: [string, string, RequestInit, number][] = [
    ['a probe', '/healthz', {}, 200],
    ['the OpenAPI document', '/openapi.json', {}, 200],
    ['HEAD', '/healthz', { method: 'HEAD' }, 200],
    ['a 404 problem', '/api/v1/nothing', {}, 404],
    // (an extensionless path outside the API is the web app's page: test/web/serving.test.ts)
    ['a 404 outside the API', '/nothing/at/all.txt', {}, 404],
    ['a 401 problem', '/api/v1/auctions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, 401],
    ['a 413 problem', '/api/v1/auctions', { method: 'POST', headers: { authorization: `Bearer ${seller}`, 'idempotency-key': rid(), 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(4096) }) }, 413],
    ['a 201', '/api/v1/auctions', {
      method: 'POST', headers: { authorization: `Bearer ${seller}`, 'idempotency-key': rid(), 'content-type': 'application/json' },
      body: JSON.stringify({ productId: 'p1', startPrice: 10_000, startsAt: now, endsAt: now + 3_600_000 }),
    }, 201],
  ];
  for (const [what, path, init, status] of cases) {
    const r = await fetch(b.http + path, init);
    await r.arrayBuffer();
    t.equal(r.status, status, `${what}: status`);
    hardened(t, what, r.headers);
  }
});

t.test('the socket upgrade names no server software', async (t) => {
  const ws = new WebSocket(b.ws);
  const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
    ws.once('upgrade', (res) => resolve(res.headers));
    ws.once('error', reject);
  });
  ws.close();
  t.equal(headers.uwebsockets, undefined);
});

t.test("the forwarder's own 502, when the API does not answer", async (t) => {
  // A loopback port nothing listens on: taken, then released.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const dead = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  const app = uWS.App();
  const bridge = forwardToKoa(app, { host: '127.0.0.1', port: dead }, silentLogger);
  const listen = await new Promise<uWS.us_listen_socket | false>((resolve) => app.listen('127.0.0.1', 0, resolve));
  if (listen === false) throw new Error('cannot listen');
  t.teardown(() => {
    uWS.us_listen_socket_close(listen);
    bridge.close();
  });
  const port = uWS.us_socket_local_port(listen as unknown as uWS.us_socket);
  const r = await fetch(`http://127.0.0.1:${port}/healthz`);
  t.equal(r.status, 502);
  t.match(await r.json(), { code: 'INTERNAL' });
  hardened(t, 'the 502', r.headers);
});

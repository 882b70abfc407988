// Who may read GET /metrics: nobody on the public port by default (in production too), anyone there with
// METRICS_PUBLIC=1, and Prometheus on a listener of its own with METRICS_PORT; configuration mistakes are
// refused naming the variable.
import t from 'tap';
import { ConfigError, loadConfig } from '../../app/config.ts';
import { api, boot } from '../gateway/harness.ts';
import { parseExposition } from './exposition.ts';

const scrape = async (base: string) => {
  const r = await fetch(`${base}/metrics`);
  return { status: r.status, type: r.headers.get('content-type') ?? '', nosniff: r.headers.get('x-content-type-options'), text: await r.text() };
};

t.test('closed on the public port by default, in production too', async (t) => {
  for (const env of [{}, { NODE_ENV: 'production' }] as Record<string, string>[]) {
    const b = await boot(env);
    t.teardown(() => b.stop());
    const r = await scrape(b.http);
    t.equal(r.status, 404, `${JSON.stringify(env)}: not served`);
    t.match(r.type, /application\/problem\+json/);
    t.match(JSON.parse(r.text), { code: 'NOT_FOUND' });
    t.notMatch(r.text, /okj_|nodejs_/, 'no metric leaks');
    t.equal(b.server.metricsPort, null, 'no metrics listener either');
    t.match(await api(b.http, 'GET', '/healthz'), { status: 200 }, 'the probes stay public');
  }
});

t.test('METRICS_PUBLIC=1 serves it on the public port', async (t) => {
  const b = await boot({ METRICS_PUBLIC: '1' });
  t.teardown(() => b.stop());
  const r = await scrape(b.http);
  t.equal(r.status, 200);
  t.match(r.type, /^text\/plain; version=0\.0\.4/);
  t.ok(parseExposition(r.text).has('okj_bids_accepted_total'));
});

t.test('METRICS_PORT: its own listener serves it, the public port does not', async (t) => {
  const b = await boot({ METRICS_PORT: '0' });
  t.teardown(() => b.stop());
  const port = b.server.metricsPort;
  if (port === null) throw new Error('no metrics listener');
  t.not(port, b.server.port);
  const internal = `http://127.0.0.1:${port}`;
  const r = await scrape(internal);
  t.equal(r.status, 200);
  t.match(r.type, /^text\/plain; version=0\.0\.4/);
  t.equal(r.nosniff, 'nosniff', 'with the security headers');
  t.ok(parseExposition(r.text).has('okj_ws_connections'));
  const head = await fetch(`${internal}/metrics`, { method: 'HEAD' });
  t.equal(head.status, 200, 'HEAD too');
  for (const path of ['/healthz', '/api/v1/auctions', '/metrics/x']) {
    const other = await fetch(internal + path);
    t.equal(other.status, 404, `only /metrics there, not ${path}`);
    t.match(await other.json(), { code: 'NOT_FOUND' });
  }
  t.equal((await scrape(b.http)).status, 404, 'not on the public port');
});

t.test('configuration: validated once, naming the variable', async (t) => {
  t.strictSame(loadConfig({}).metrics, { public: false, port: null, host: '127.0.0.1' });
  t.strictSame(loadConfig({ METRICS_PUBLIC: '1', METRICS_PORT: '9464', HOST: '0.0.0.0' }).metrics, { public: true, port: 9464, host: '0.0.0.0' });
  t.strictSame(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).metrics, { public: false, port: 9464, host: '10.0.0.5' });
  const cases: [Record<string, string>, string][] = [
    [{ METRICS_PUBLIC: 'yes' }, 'METRICS_PUBLIC'],
    [{ METRICS_PUBLIC: 'true' }, 'METRICS_PUBLIC'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT'],
    [{ METRICS_PORT: 'nine' }, 'METRICS_PORT'],
    [{ PORT: '8080', METRICS_PORT: '8080' }, 'METRICS_PORT'],
    [{ METRICS_HOST: '' }, 'METRICS_HOST'],
  ];
  for (const [env, name] of cases) {
    const err = t.throws(() => loadConfig(env)) as ConfigError;
    t.ok(err instanceof ConfigError, JSON.stringify(env));
    t.match(err.problems.join('\n'), new RegExp(`^${name}:`, 'm'), `${JSON.stringify(env)} names ${name}`);
  }
});

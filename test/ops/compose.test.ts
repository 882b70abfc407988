// The production shape: docker-compose.yml checked by a real validator (`docker-compose config -q`,
// or `docker compose`; no Docker engine needed), the Prometheus config by promtool, and the Grafana
// dashboard checked to query only metrics the engine exports. Missing tools skip loudly (fail under
// OKJ_REQUIRE_SERVICES=1).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { loadConfig } from '../../app/config.ts';
import { Metrics } from '../../app/metrics.ts';
import { run, toolMissing, which, type Ran } from '../helpers/tools.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const COMPOSE = path.join(ROOT, 'docker-compose.yml');
const DASHBOARD = path.join(ROOT, 'ops/grafana-dashboard.json');

/** `docker-compose ...args`, or `docker compose ...args`; null when neither is installed. */
function compose(args: string[]): Ran | null {
  const v1 = which('docker-compose');
  if (v1 !== null) return run(v1, ['-f', COMPOSE, ...args], { cwd: ROOT });
  const docker = which('docker');
  if (docker !== null && run(docker, ['compose', 'version']).status === 0) return run(docker, ['compose', '-f', COMPOSE, ...args], { cwd: ROOT });
  return null;
}

t.test('docker-compose config accepts the file, with every service of the production shape', async (t) => {
  const checked = compose(['config', '-q']);
  if (checked === null) return toolMissing(t, 'docker-compose', 'docker-compose');
  t.equal(checked.status, 0, `config -q: ${checked.stderr}`);
  const services = compose(['config', '--services'])!;
  t.same(services.stdout.trim().split('\n').sort(), ['engine', 'grafana', 'localstack', 'mysql', 'prometheus', 'redis']);
});

t.test('every file the compose file mounts or builds from exists', async (t) => {
  const text = readFileSync(COMPOSE, 'utf8');
  const mounts = [...text.matchAll(/^\s*-\s*(\.\/[^:\s]+):/gm)].map((m) => m[1]);
  t.ok(mounts.length >= 4, `${mounts.length} mounts`);
  for (const m of mounts) t.ok(existsSync(path.join(ROOT, m)), `${m} exists`);
  t.ok(existsSync(path.join(ROOT, 'Dockerfile')), 'the engine builds from ./Dockerfile');
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  t.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 2, 'multi-stage');
  t.match(dockerfile, /^USER node$/m, 'runs as a non-root user');
  t.match(dockerfile, /HOST=0\.0\.0\.0/, 'listens on every interface in the container');
});

/** The engine service's block of the compose file. */
function engineBlock(): string {
  return /^ {2}engine:\n([\s\S]*?)^ {2}\w/m.exec(readFileSync(COMPOSE, 'utf8'))?.[1] ?? '';
}

/** The engine service's environment as written in the compose file, `${VAR:-default}` taking its default. */
function engineEnvironment(): Record<string, string> {
  const env = /^ {4}environment:\n((?: {6}.*\n)+)/m.exec(engineBlock())?.[1] ?? '';
  const out: Record<string, string> = {};
  for (const m of env.matchAll(/^ {6}([A-Z0-9_]+): (.*)$/gm)) {
    out[m[1]] = m[2].trim().replace(/^"(.*)"$/, '$1').replace(/\$\{\w+:-([^}]*)\}/g, '$1');
  }
  return out;
}

t.test('the engine in compose starts on a valid configuration and publishes to the queue LocalStack makes', async (t) => {
  const env = engineEnvironment();
  t.ok(Object.keys(env).length >= 10, `${Object.keys(env).length} variables read`);
  const config = loadConfig(env); // throws ConfigError naming the variable, were one wrong
  t.equal(config.market.closeScheduler, 'embedded', "closes on the embedded scheduler: LocalStack's Scheduler never fires schedules");
  const queue = config.market.outboxQueueUrl;
  t.ok(queue !== null, 'the outbox goes to SQS');
  const init = readFileSync(path.join(ROOT, 'ops/localstack-init.sh'), 'utf8');
  t.match(init, /^#!\/bin\/sh/, 'a shell script LocalStack can run');
  t.ok((statSync(path.join(ROOT, 'ops/localstack-init.sh')).mode & 0o111) !== 0, 'executable');
  const name = /create-queue --queue-name (\S+)/.exec(init)?.[1];
  t.ok(name !== undefined && queue?.endsWith(`/${name}`), `the init script creates the queue the engine publishes to (${name})`);
  t.match(readFileSync(COMPOSE, 'utf8'), /localstack-init\.sh:\/etc\/localstack\/init\/ready\.d\//, 'mounted as a ready hook');
});

t.test('Prometheus scrapes the engine on a metrics port of its own, which is not published; the public port does not serve /metrics', async (t) => {
  const config = loadConfig(engineEnvironment());
  t.equal(config.metrics.public, false, 'METRICS_PUBLIC is not set: /metrics is not on the public port');
  const port = config.metrics.port;
  t.ok(port !== null && port !== config.port, `METRICS_PORT is set (${port})`);
  const published = [...(/^ {4}ports:\n((?: {6}-.*\n)+)/m.exec(engineBlock())?.[1] ?? '').matchAll(/"?(?:[\d.]+:)?(\d+):(\d+)"?/g)].map((m) => Number(m[2]));
  t.strictSame(published, [config.port], 'only the public port is published to the host');
  const prometheus = readFileSync(path.join(ROOT, 'ops/prometheus.yml'), 'utf8');
  const targets = [...prometheus.matchAll(/targets:\s*\[([^\]]*)\]/g)].flatMap((m) => m[1].split(',').map((s) => s.trim().replace(/^"|"$/g, '')));
  t.strictSame(targets, [`engine:${port}`], 'Prometheus scrapes that port over the compose network');
  t.notMatch(prometheus, /engine:8080/, 'and never the public port');
});

t.test('promtool check config accepts ops/prometheus.yml', async (t) => {
  const promtool = which('promtool');
  if (promtool === null) return toolMissing(t, 'promtool', 'prometheus');
  const r = run(promtool, ['check', 'config', path.join(ROOT, 'ops/prometheus.yml')]);
  t.equal(r.status, 0, r.stdout + r.stderr);
});

// ---- the Grafana dashboard ------------------------------------------------------------------------

const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords or labels. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(GROUPING, '');
  const names: string[] = [];
  for (const m of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    if (bare.slice(m.index + m[0].length).trimStart().startsWith('(')) continue;
    if (!KEYWORDS.has(m[0].toLowerCase())) names.push(m[0]);
  }
  return names;
}

/** Every series name the engine's registry exports, histogram and summary series included. */
async function exportedSeries(): Promise<Set<string>> {
  const out = new Set<string>();
  for (const m of await new Metrics().registry.getMetricsAsJSON()) {
    out.add(m.name);
    const type = String(m.type); // prom-client declares an enum but puts the plain type name here
    const suffixes = type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['_sum', '_count'] : [];
    for (const s of suffixes) out.add(m.name + s);
  }
  return out;
}

interface Panel {
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
}

t.test('metricNames reads PromQL as Grafana panels write it', async (t) => {
  t.same(metricNames('histogram_quantile(0.99, sum by (le, route) (rate(a_bucket{job="x", le!="1"}[$__rate_interval])))'), ['a_bucket']);
  t.same(metricNames('sum(rate(a_sum[5m])) / sum(rate(a_count[5m])) > bool 0 or on (x) b'), ['a_sum', 'a_count', 'b']);
});

t.test('the dashboard queries only metrics the engine exports, and covers what operators watch', async (t) => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { uid: string; panels: Panel[] };
  const exported = await exportedSeries();
  const datasourceUid = /uid:\s*(\S+)/.exec(readFileSync(path.join(ROOT, 'ops/grafana-datasource.yml'), 'utf8'))?.[1];
  const used = new Set<string>();
  for (const p of dashboard.panels) {
    t.equal(p.datasource?.uid, datasourceUid, `${p.title}: the provisioned datasource`);
    t.ok((p.targets ?? []).length > 0, `${p.title} has queries`);
    for (const target of p.targets ?? []) {
      const names = metricNames(target.expr);
      t.ok(names.length > 0, `${p.title}: ${target.expr} reads a metric`);
      for (const n of names) {
        t.ok(exported.has(n), `${p.title}: ${n} is exported by the engine`);
        used.add(n);
      }
    }
  }
  const operatorsWatch = [
    'okj_bids_accepted_total', 'okj_bid_ack_duration_seconds_bucket', 'okj_bids_rejected_total', 'okj_ws_connections',
    'okj_ws_fanout_messages_total', 'okj_journal_commit_duration_seconds_bucket', 'nodejs_eventloop_lag_p99_seconds',
  ];
  for (const n of operatorsWatch) t.ok(used.has(n), `a panel shows ${n}`);
});

// GET /metrics on the running server after real bids, over the socket and HTTP, accepted and refused:
// every family's name, type, HELP and labels, the values those bids must have moved, Prometheus naming,
// and `promtool check metrics` on the output (a loud skip where promtool is not installed).
import t from 'tap';
import { api, boot, Client, openAuction, rid } from '../gateway/harness.ts';
import { run, toolMissing, which } from '../helpers/tools.ts';
import { parseExposition, valueOf, type Family } from './exposition.ts';

const b = await boot({ METRICS_PUBLIC: '1' });
t.teardown(() => b.stop());

const auction = await openAuction(b, 'seller');
const alice = await Client.open(b.ws, { token: await b.token('alice') });
const watcher = await Client.open(b.ws);
t.teardown(() => Promise.all([alice.close(), watcher.close()]));
watcher.send({ t: 'sub', auctions: [auction] });
await watcher.type('snap');
await alice.type('authed');
const wsOk = await alice.command({ t: 'bid', rid: rid(), auction, amount: 10_000 });
const wsLow = await alice.command({ t: 'bid', rid: rid(), auction, amount: 10_000 });
const bob = await b.token('bob');
const httpOk = await api(b.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: bob, key: rid(), body: { amount: 20_000 } });
const httpSelf = await api(b.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: await b.token('seller'), key: rid(), body: { amount: 30_000 } });
await watcher.type('px', { seq: 4 });

const scraped = await fetch(`${b.http}/metrics`);
const text = await scraped.text();
const families = parseExposition(text);
const family = (name: string): Family => {
  const f = families.get(name);
  if (f === undefined) throw new Error(`${name} is not exported`);
  return f;
};

t.test('the bids really happened', async (t) => {
  t.match([wsOk, wsLow, httpOk.status, httpSelf.body.code], [{ ok: true }, { ok: false, code: 'BID_TOO_LOW' }, 200, 'SELF_BID']);
  t.equal(scraped.status, 200);
  t.match(scraped.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
});

t.test('every family has a type and a HELP; okj_ names follow Prometheus naming', async (t) => {
  for (const f of families.values()) {
    t.not(f.type, 'untyped', `${f.name} has a TYPE`);
    t.ok(f.help.length > 0, `${f.name} has a HELP`);
    t.match(f.name, /^[a-z_][a-z0-9_]*$/, `${f.name} is snake_case`);
    if (f.type === 'counter') t.match(f.name, /_total$/, `counter ${f.name} ends in _total`);
    else t.notMatch(f.name, /_total$/, `${f.type} ${f.name} does not end in _total`);
    t.notMatch(f.name, /_(milliseconds|ms|kilobytes|percent)$/, `${f.name} uses base units`);
  }
});

const EXPECTED: Record<string, { type: string; labels: string[] }> = {
  okj_bids_accepted_total: { type: 'counter', labels: ['transport', 'command'] },
  okj_bids_rejected_total: { type: 'counter', labels: ['transport', 'command', 'code'] },
  okj_bid_ack_duration_seconds: { type: 'histogram', labels: ['transport'] },
  okj_journal_batch_commands: { type: 'histogram', labels: [] },
  okj_journal_commit_duration_seconds: { type: 'histogram', labels: [] },
  okj_journal_commit_failures_total: { type: 'counter', labels: [] },
  okj_journal_pending_commands: { type: 'gauge', labels: [] },
  okj_actors: { type: 'gauge', labels: ['status'] },
  okj_actor_mailbox_depth: { type: 'gauge', labels: [] },
  okj_auctions_quarantined: { type: 'gauge', labels: [] },
  okj_ws_connections: { type: 'gauge', labels: [] },
  okj_ws_subscriptions: { type: 'gauge', labels: [] },
  okj_ws_frames_published_total: { type: 'counter', labels: [] },
  okj_ws_fanout_messages_total: { type: 'counter', labels: [] },
  okj_ws_slow_consumers_total: { type: 'counter', labels: ['action'] },
  okj_http_requests_total: { type: 'counter', labels: ['method', 'route', 'status'] },
  okj_http_request_duration_seconds: { type: 'histogram', labels: ['method', 'route'] },
  okj_sqs_calls_total: { type: 'counter', labels: ['operation'] },
  okj_sqs_call_failures_total: { type: 'counter', labels: ['operation'] },
  okj_scheduler_calls_total: { type: 'counter', labels: ['operation'] },
  okj_scheduler_call_failures_total: { type: 'counter', labels: ['operation'] },
  okj_pricing_provider_calls_total: { type: 'counter', labels: ['provider', 'outcome'] },
  okj_pricing_tokens_total: { type: 'counter', labels: ['provider', 'kind'] },
  okj_pricing_cache_total: { type: 'counter', labels: ['result'] },
  okj_settlement_payouts_total: { type: 'counter', labels: ['outcome'] },
  okj_settlement_held_total: { type: 'counter', labels: [] },
  okj_settlement_reconciliation_mismatches_total: { type: 'counter', labels: [] },
  okj_chat_messages_total: { type: 'counter', labels: ['outcome', 'code'] },
  okj_chat_ack_seconds: { type: 'histogram', labels: [] },
  okj_chat_fanout_messages_total: { type: 'counter', labels: [] },
  okj_chat_unread_backlog: { type: 'gauge', labels: [] },
  okj_chat_pending_messages: { type: 'gauge', labels: [] },
  okj_chat_subscriptions: { type: 'gauge', labels: [] },
  okj_payment_confirms_total: { type: 'counter', labels: ['outcome', 'provider_code'] },
  okj_payment_confirm_duration_seconds: { type: 'histogram', labels: [] },
  okj_payment_findings_total: { type: 'counter', labels: ['kind'] },
  okj_payment_webhooks_pending: { type: 'gauge', labels: [] },
  okj_payment_webhook_oldest_age_seconds: { type: 'gauge', labels: [] },
  nodejs_eventloop_lag_seconds: { type: 'gauge', labels: [] },
  nodejs_eventloop_lag_p99_seconds: { type: 'gauge', labels: [] },
  nodejs_heap_size_used_bytes: { type: 'gauge', labels: [] },
  process_cpu_seconds_total: { type: 'counter', labels: [] },
};

t.test('names, types and label sets', async (t) => {
  for (const [name, want] of Object.entries(EXPECTED)) {
    const f = families.get(name);
    if (!t.ok(f, `${name} is exported`) || f === undefined) continue;
    t.equal(f.type, want.type, `${name} is a ${want.type}`);
    t.ok(f.samples.length > 0, `${name} has samples`);
    for (const s of f.samples) {
      const keys = Object.keys(s.labels).filter((k) => k !== 'le').sort();
      t.same(keys, [...want.labels].sort(), `${s.name} labels`);
    }
  }
  const okjNames = [...families.keys()].filter((n) => n.startsWith('okj_')).sort();
  t.same(okjNames, Object.keys(EXPECTED).filter((n) => n.startsWith('okj_')).sort(), 'no okj_ family is exported that this test does not know');
});

t.test('the bids moved the counters and histograms', async (t) => {
  const v = (f: string, name: string, labels: Record<string, string> = {}) => valueOf(families, f, name, labels);
  t.equal(v('okj_bids_accepted_total', 'okj_bids_accepted_total', { transport: 'ws', command: 'bid' }), 1);
  t.equal(v('okj_bids_accepted_total', 'okj_bids_accepted_total', { transport: 'http', command: 'bid' }), 1);
  t.equal(v('okj_bids_rejected_total', 'okj_bids_rejected_total', { transport: 'ws', command: 'bid', code: 'BID_TOO_LOW' }), 1);
  t.equal(v('okj_bids_rejected_total', 'okj_bids_rejected_total', { transport: 'http', command: 'bid', code: 'SELF_BID' }), 1);
  t.equal(v('okj_bid_ack_duration_seconds', 'okj_bid_ack_duration_seconds_count', { transport: 'ws' }), 2);
  t.equal(v('okj_bid_ack_duration_seconds', 'okj_bid_ack_duration_seconds_bucket', { transport: 'http', le: '+Inf' }), 2);
  const buckets = family('okj_bid_ack_duration_seconds').samples.filter((s) => s.name.endsWith('_bucket') && s.labels.transport === 'ws');
  t.same(buckets.map((s) => s.value), [...buckets.map((s) => s.value)].sort((a, c) => a - c), 'buckets are cumulative');
  // create, open and the bids (two accepted, two refused but stored) each wait for a commit
  t.ok((v('okj_journal_commit_duration_seconds', 'okj_journal_commit_duration_seconds_count') ?? 0) >= 3, 'commits observed');
  t.ok((v('okj_journal_batch_commands', 'okj_journal_batch_commands_sum') ?? 0) >= 6, 'commands per batch observed');
  t.equal(v('okj_journal_commit_failures_total', 'okj_journal_commit_failures_total'), 0);
  t.equal(v('okj_actors', 'okj_actors', { status: 'OPEN' }), 1);
  t.equal(v('okj_ws_connections', 'okj_ws_connections'), 2);
  t.equal(v('okj_ws_subscriptions', 'okj_ws_subscriptions'), 1);
  t.ok((v('okj_ws_fanout_messages_total', 'okj_ws_fanout_messages_total') ?? 0) >= 2, 'px frames reached the watcher');
  t.ok((v('okj_ws_frames_published_total', 'okj_ws_frames_published_total') ?? 0) >= 2);
  t.equal(v('okj_ws_slow_consumers_total', 'okj_ws_slow_consumers_total', { action: 'closed' }), 0);
  const bids = { method: 'POST', route: '/api/v1/auctions/:id/bids' };
  t.equal(v('okj_http_requests_total', 'okj_http_requests_total', { ...bids, status: '200' }), 1);
  t.equal(v('okj_http_requests_total', 'okj_http_requests_total', { ...bids, status: '403' }), 1);
  t.equal(v('okj_http_request_duration_seconds', 'okj_http_request_duration_seconds_count', bids), 2);
  t.equal(v('okj_sqs_calls_total', 'okj_sqs_calls_total', { operation: 'SendMessage' }), 0, 'exported before the first SQS call');
  t.ok((v('nodejs_heap_size_used_bytes', 'nodejs_heap_size_used_bytes') ?? 0) > 0);
});

t.test('an unmatched route is labelled as such, not by its path', async (t) => {
  await api(b.http, 'GET', '/no/such/path/12345.txt'); // (an extensionless path is the web app's page)
  const after = parseExposition(await (await fetch(`${b.http}/metrics`)).text());
  t.equal(valueOf(after, 'okj_http_requests_total', 'okj_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }), 1);
  t.notOk(after.get('okj_http_requests_total')?.samples.some((s) => s.labels.route.includes('12345')));
});

t.test('the web app\'s pages are labelled by one template, whatever their path', async (t) => {
  await api(b.http, 'GET', '/auctions/12345');
  await api(b.http, 'GET', '/me/bids');
  const after = parseExposition(await (await fetch(`${b.http}/metrics`)).text());
  t.equal(valueOf(after, 'okj_http_requests_total', 'okj_http_requests_total', { method: 'GET', route: '/*', status: '200' }), 2);
  t.notOk(after.get('okj_http_requests_total')?.samples.some((s) => s.labels.route.includes('12345')));
});

t.test('promtool check metrics passes on the output', async (t) => {
  const promtool = which('promtool');
  if (promtool === null) return toolMissing(t, 'promtool', 'prometheus');
  const r = run(promtool, ['check', 'metrics'], { input: text });
  t.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);
});

t.test('every response carries a request id: a sane incoming one, else a fresh UUID', async (t) => {
  const echo = await fetch(`${b.http}/healthz`, { headers: { 'x-request-id': 'lb-7f3a:42' } });
  t.equal(echo.headers.get('x-request-id'), 'lb-7f3a:42');
  for (const bad of ['two words', 'x'.repeat(129), 'a"b']) {
    const r = await fetch(`${b.http}/api/v1/auctions/${auction}`, { headers: { 'x-request-id': bad } });
    t.match(r.headers.get('x-request-id'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, `${bad.slice(0, 12)} is replaced`);
  }
  t.match((await fetch(`${b.http}/api/v1/auctions/${auction}`)).headers.get('x-request-id'), /^[0-9a-f-]{36}$/, 'one is made when none comes');
});

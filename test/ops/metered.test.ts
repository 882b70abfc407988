// The metering decorators and the AWS call counter, on their own: a journal's commits and failures,
// bids counted by transport, command and code, SQS / Scheduler calls counted for issue 6's pipeline,
// and the bid path's histogram against prom-client's own.
import { Histogram, Registry } from 'prom-client';
import t from 'tap';
import { FastHistogram } from '../../app/fast-histogram.ts';
import { meteredFront, meteredJournal, type Front } from '../../app/metered.ts';
import { Metrics } from '../../app/metrics.ts';
import { reject, type Reply } from '../../engine/index.ts';
import { MemoryJournal } from '../../storage/auction/memory-journal.ts';
import { StoreUnavailableError } from '../../storage/auction/ports.ts';
import { parseExposition, valueOf } from './exposition.ts';

const scrape = async (m: Metrics) => parseExposition(await m.text());

t.test('the journal: one observation per commit, failures counted and passed on', async (t) => {
  const m = new Metrics({ defaultMetrics: false });
  const inner = new MemoryJournal();
  const j = meteredJournal(inner, m);
  const reply: Reply = { ok: true, rid: 'r1', seq: 1, price: 1, leading: true, endsAt: 1, status: 'OPEN' };
  await j.append({ events: [], replies: [1, 2, 3].map((i) => ({ by: `u${i}`, rid: 'r', auction: 'a', reply, at: 0 })) });
  await inner.close();
  await t.rejects(j.append({ events: [], replies: [] }), StoreUnavailableError);
  const f = await scrape(m);
  t.equal(valueOf(f, 'okj_journal_batch_commands', 'okj_journal_batch_commands_sum'), 3);
  t.equal(valueOf(f, 'okj_journal_commit_duration_seconds', 'okj_journal_commit_duration_seconds_count'), 1);
  t.equal(valueOf(f, 'okj_journal_commit_failures_total', 'okj_journal_commit_failures_total'), 1);
});

t.test('the front counts bids and buy-nows only, by code', async (t) => {
  const m = new Metrics({ defaultMetrics: false });
  const answers: Reply[] = [reject('a', 'BID_TOO_LOW'), reject('b', 'BID_TOO_LOW'), reject('c', 'AUCTION_CLOSED')];
  const inner = { submit: (_cmd: unknown, cb: (r: Reply) => void) => cb(answers.shift() ?? reject('z', 'INTERNAL')) } as unknown as Front;
  const front = meteredFront(inner, m, 'ws');
  const got: Reply[] = [];
  for (const t of ['bid', 'bid', 'buy'] as const) front.submit({ t, rid: 'x', auction: 'a', by: 'u', amount: 1 } as never, (r) => got.push(r));
  front.submit({ t: 'open', rid: 'y', auction: 'a', by: 'u', role: 'user' }, (r) => got.push(r));
  t.equal(got.length, 4, 'every reply reaches its caller');
  const f = await scrape(m);
  t.equal(valueOf(f, 'okj_bids_rejected_total', 'okj_bids_rejected_total', { transport: 'ws', command: 'bid', code: 'BID_TOO_LOW' }), 2);
  t.equal(valueOf(f, 'okj_bids_rejected_total', 'okj_bids_rejected_total', { transport: 'ws', command: 'buy', code: 'AUCTION_CLOSED' }), 1);
  t.equal(valueOf(f, 'okj_bid_ack_duration_seconds', 'okj_bid_ack_duration_seconds_count', { transport: 'ws' }), 3, 'the open is not a bid');
  t.equal(valueOf(f, 'okj_bids_rejected_total', 'okj_bids_rejected_total', { code: 'INTERNAL' }), undefined);
});

t.test('AWS calls and failures, by service and operation', async (t) => {
  const m = new Metrics({ defaultMetrics: false });
  t.equal(await m.aws('sqs', 'SendMessage', async () => 'sent'), 'sent');
  await t.rejects(m.aws('scheduler', 'CreateSchedule', async () => Promise.reject(new Error('throttled'))), /throttled/);
  const f = await scrape(m);
  t.equal(valueOf(f, 'okj_sqs_calls_total', 'okj_sqs_calls_total', { operation: 'SendMessage' }), 1);
  t.equal(valueOf(f, 'okj_sqs_call_failures_total', 'okj_sqs_call_failures_total', { operation: 'SendMessage' }), 0);
  t.equal(valueOf(f, 'okj_scheduler_calls_total', 'okj_scheduler_calls_total', { operation: 'CreateSchedule' }), 1);
  t.equal(valueOf(f, 'okj_scheduler_call_failures_total', 'okj_scheduler_call_failures_total', { operation: 'CreateSchedule' }), 1);
});

t.test('two registries never share a count', async (t) => {
  const a = new Metrics({ defaultMetrics: false });
  const b = new Metrics({ defaultMetrics: false });
  a.journalFailed();
  t.equal(valueOf(await scrape(b), 'okj_journal_commit_failures_total', 'okj_journal_commit_failures_total'), 0);
});

t.test('FastHistogram renders exactly as prom-client renders its own Histogram', async (t) => {
  const buckets = [0.001, 0.01, 0.1, 1];
  const values = [0, 0.0005, 0.001, 0.002, 0.01, 0.05, 0.1, 0.7, 1, 3, 1e9];
  const theirs = new Registry();
  const h = new Histogram({ name: 'x_seconds', help: 'x', labelNames: ['transport'], buckets, registers: [theirs] });
  const ours = new Registry();
  const f = new FastHistogram('x_seconds', 'x', 'transport', buckets, ours);
  for (const v of values) {
    h.labels('ws').observe(v);
    f.labels('ws').observe(v);
  }
  h.labels('http').observe(0.02);
  f.labels('http').observe(0.02);
  const parse = async (r: Registry) => [...parseExposition(await r.metrics()).values()];
  t.same(await parse(ours), await parse(theirs));
  const single = new Registry();
  const u = new FastHistogram('y_seconds', 'y', null, buckets, single);
  u.observe(0.5);
  t.match(await single.metrics(), /y_seconds_bucket\{le="1"\} 1\ny_seconds_bucket\{le="\+Inf"\} 1\ny_seconds_sum 0\.5\ny_seconds_count 1/);
});

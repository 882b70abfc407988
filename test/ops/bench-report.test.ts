// The benchmark report bench/all.ts writes: JSON lines picked out of each benchmark's output, the
// figures, the machine, the comparison with the queue-based version, and the splice of the figures into
// docs/benchmarks.md (the latest figures live there with the command that made them, not in the README).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import {
  BENCHMARKS_DOC, benchLines, hasReportMarkers, QUEUE_BASELINE, REPORT_END, REPORT_START, report, spliceReport, table, type Run,
} from '../../bench/report.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

const OUTPUT = [
  'baseline (alloc + Map.set per op): 1,305,512 ops/s',
  '{"bench":"engine","bidsPerSecHot":1271705,"bidsPerSec10k":633322,"bytesPerIdleAuction":653}',
  'sqlite: bare append 19,839 rows/s',
  '{"bench":"journal","store":"sqlite","durableBidsPerSec":30467,"p50AckMs":1.09,"p99AckMs":20.77,"recover10kMs":2312}',
  '{"bench":"journal","store":"mysql","durableBidsPerSec":23277,"p50AckMs":0.99,"p99AckMs":14.82,"recover10kMs":2804}',
  '{"not":"a bench line"}',
  '{"bench": broken',
  '{"bench":"ws-floor","fanoutP50Ms":23.84,"fanoutP99Ms":51.42,"fanoutLastP50Ms":45.06,"realOverFloorP99":1.12}',
  '{"bench":"ws","echoMsgsPerSec":164472,"ackedBidsPerSec":22359,"ratio":0.136,"p50AckMs":142.62,"p99AckMs":228,"fanoutP99Ms":102.33,"bytesPerIdleSocket":1882}',
].join('\n');

const run: Run = {
  date: '2026-11-25',
  command: 'npm run bench',
  machine: { cpu: 'AMD EPYC 7B13', cores: 2, memoryBytes: 8 * 2 ** 30, node: 'v20.19.0', os: 'Linux 6.1 x64', loadAverage: [1.5, 1.2, 1] },
  results: benchLines(OUTPUT),
  failures: [],
};

t.test('every benchmark JSON line, and nothing else', async (t) => {
  t.same(run.results.map((r) => `${r.bench}${r.store ? `:${r.store}` : ''}`), ['engine', 'journal:sqlite', 'journal:mysql', 'ws-floor', 'ws']);
});

t.test('the report carries the figures, the machine and the comparison', async (t) => {
  const md = report(run);
  t.match(md, /\| engine, one hot auction \(in memory\) \| 1,271,705 bids\/s \|/);
  t.match(md, /\| journal \(mysql\), ack p50 \/ p99 at 5,000 bids\/s \| 0\.99 ms \/ 14\.82 ms \|/);
  t.match(md, /\| sockets, acked durable bids \(1,000 auctions\) \| 22,359 bids\/s \(0\.136x a bare echo server\) \|/);
  t.match(md, /\| sockets, fan-out p99 of a bare uWS pub\/sub server \(the floor, same client\) \| 51\.42 ms \(the engine: 1\.12x\) \|/);
  t.ok(md.indexOf('fan-out p99 of a bare uWS') > md.indexOf('fan-out p99 to 5,000 watchers'), 'the floor after the figure it bounds');
  t.match(md, /AMD EPYC 7B13, 2 cores, 8\.0 GiB memory, Node v20\.19\.0/);
  t.match(md, `${QUEUE_BASELINE.bidsPerSec.toLocaleString('en-US')} bids/s at ${QUEUE_BASELINE.latencyMs} ms`);
  t.match(md, /22,359 bids\/s \(17\.3x\), with a p99 ack of 228 ms .*\(3\.3x lower than 750 ms\)/);
  t.match(md, /`npm run bench`/, 'names the command that made it');
  t.match(md, 'docs/benchmarks.md', 'points at the page with the ranges and what bounds each figure');
});

t.test('a failed benchmark is reported as failed', async (t) => {
  const md = table({ ...run, results: run.results.filter((r) => r.bench !== 'ws'), failures: [{ name: 'bench:ws', detail: 'exit 1; a | b' }] });
  t.match(md, /\| bench:ws \| FAILED: exit 1; a \\\| b \|/);
  t.match(md, /No socket figures in this run/);
});

t.test('the table is replaced between its markers, and only there', async (t) => {
  const doc = `# x\n\nbefore\n${REPORT_START}\nold table\n${REPORT_END}\nafter\n`;
  const next = spliceReport(doc, 'new table');
  t.equal(next, `# x\n\nbefore\n${REPORT_START}\nnew table\n${REPORT_END}\nafter\n`);
  t.equal(spliceReport(next, 'newer'), `# x\n\nbefore\n${REPORT_START}\nnewer\n${REPORT_END}\nafter\n`, 'idempotent in shape');
  t.equal(spliceReport('no markers', 'x'), 'no markers');
  const twice = `${doc}${REPORT_START}\nagain\n${REPORT_END}\n`;
  t.equal(hasReportMarkers(twice), false, 'markers twice: nowhere to splice for sure');
  t.equal(spliceReport(twice, 'x'), twice, 'and nothing is touched');
  t.equal(hasReportMarkers(`${REPORT_END}\n${REPORT_START}\n`), false, 'markers out of order');
});

t.test('docs/benchmarks.md holds the latest figures, with the command that made them', async (t) => {
  t.equal(BENCHMARKS_DOC, 'docs/benchmarks.md');
  const doc = readFileSync(path.join(ROOT, BENCHMARKS_DOC), 'utf8');
  t.ok(hasReportMarkers(doc), 'the markers, once each, so that npm run bench lands its table');
  const block = doc.slice(doc.indexOf(REPORT_START) + REPORT_START.length, doc.indexOf(REPORT_END));
  t.match(block, /^\nLatest run: \d{4}-\d{2}-\d{2}, `npm run bench`, on /, 'the date and the command');
  t.match(block, /\n\| figure \| value \|\n\|---\|---\|\n/, 'the figures table');
  for (const figure of ['engine, one hot auction', 'journal (sqlite), durable bids', 'journal (mysql), durable bids', 'sockets, acked durable bids', 'memory per idle socket']) {
    t.match(block, `| ${figure}`, figure);
  }
  // What the splice writes, it can read back and replace again: the next run lands in the same place.
  const next = spliceReport(doc, table(run));
  t.equal(next.slice(0, next.indexOf(REPORT_START)), doc.slice(0, doc.indexOf(REPORT_START)), 'the text before the markers is kept');
  t.equal(next.slice(next.indexOf(REPORT_END)), doc.slice(doc.indexOf(REPORT_END)), 'and the text after them');
  t.match(next, table(run));
});

t.test('the README holds no benchmark table (docs/benchmarks.md does)', async (t) => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  t.notOk(readme.includes(REPORT_START) || readme.includes(REPORT_END), 'no report markers in the README');
  t.match(readme, 'docs/benchmarks.md', 'it links to the page');
});

t.test('a p99 above the queue-based version is called higher, not lower', async (t) => {
  const slow = benchLines('{"bench":"ws","ackedBidsPerSec":9843,"ratio":0.108,"p99AckMs":1745.76}');
  t.match(table({ ...run, results: slow }), /\(2\.3x higher than 750 ms\)/);
});

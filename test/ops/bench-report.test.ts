// The benchmark report bench/all.ts writes: JSON lines picked out of each benchmark's output, the
// figures, the machine, the comparison with the queue-based version, and the README splice.
import t from 'tap';
import { benchLines, QUEUE_BASELINE, README_END, README_START, report, spliceReadme, table, type Run } from '../../bench/report.ts';

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
});

t.test('a failed benchmark is reported as failed', async (t) => {
  const md = table({ ...run, results: run.results.filter((r) => r.bench !== 'ws'), failures: [{ name: 'bench:ws', detail: 'exit 1; a | b' }] });
  t.match(md, /\| bench:ws \| FAILED: exit 1; a \\\| b \|/);
  t.match(md, /No socket figures in this run/);
});

t.test('the README table is replaced between its markers, and only there', async (t) => {
  const readme = `# x\n\nbefore\n${README_START}\nold table\n${README_END}\nafter\n`;
  const next = spliceReadme(readme, 'new table');
  t.equal(next, `# x\n\nbefore\n${README_START}\nnew table\n${README_END}\nafter\n`);
  t.equal(spliceReadme(next, 'newer'), `# x\n\nbefore\n${README_START}\nnewer\n${README_END}\nafter\n`, 'idempotent in shape');
  t.equal(spliceReadme('no markers', 'x'), 'no markers');
});

t.test('a p99 above the queue-based version is called higher, not lower', async (t) => {
  const slow = benchLines('{"bench":"ws","ackedBidsPerSec":9843,"ratio":0.108,"p99AckMs":1745.76}');
  t.match(table({ ...run, results: slow }), /\(2\.3x higher than 750 ms\)/);
});

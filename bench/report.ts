// The benchmark report: figures from each benchmark's JSON lines, the machine they ran on, and the
// comparison with the queue-based version of this marketplace. Pure functions; bench/all.ts runs the
// benchmarks and writes what these render: bench/REPORT.md, and the figures table spliced into
// docs/benchmarks.md (BENCHMARKS_DOC) between its bench:report markers.

/** The queue-based version of this marketplace, as measured by its authors. */
export const QUEUE_BASELINE = { bidsPerSec: 1290, latencyMs: 750 };

export interface Machine {
  cpu: string;
  cores: number;
  memoryBytes: number;
  node: string;
  os: string;
  loadAverage: readonly number[];
}

export type BenchLine = Record<string, unknown> & { bench: string };

export interface Run {
  /** ISO date of the run. */
  date: string;
  command: string;
  machine: Machine;
  results: readonly BenchLine[];
  /** Benchmarks that exited with an error: name and the last lines they printed. */
  failures: readonly { name: string; detail: string }[];
}

/** Every JSON object line with a `bench` field in a benchmark's output. */
export function benchLines(output: string): BenchLine[] {
  const out: BenchLine[] = [];
  for (const line of output.split('\n')) {
    const s = line.trim();
    if (!s.startsWith('{') || !s.includes('"bench"')) continue;
    try {
      const v = JSON.parse(s) as unknown;
      if (typeof v === 'object' && v !== null && typeof (v as BenchLine).bench === 'string') out.push(v as BenchLine);
    } catch {
      // a log line that merely looks like JSON
    }
  }
  return out;
}

const int = (n: unknown) => (typeof n === 'number' ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: unknown) => (typeof n === 'number' ? `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })} ms` : 'n/a');

interface Row {
  figure: string;
  value: string;
}

function rows(r: BenchLine): Row[] {
  switch (r.bench) {
    case 'engine':
      return [
        { figure: 'engine, one hot auction (in memory)', value: `${int(r.bidsPerSecHot)} bids/s` },
        { figure: 'engine, 10,000 auctions (in memory)', value: `${int(r.bidsPerSec10k)} bids/s` },
        { figure: 'heap per idle open auction', value: `${int(r.bytesPerIdleAuction)} B` },
      ];
    case 'journal': {
      const store = String(r.store);
      return [
        { figure: `journal (${store}), durable bids at full load`, value: `${int(r.durableBidsPerSec)} bids/s` },
        { figure: `journal (${store}), ack p50 / p99 at 5,000 bids/s`, value: `${ms(r.p50AckMs)} / ${ms(r.p99AckMs)}` },
        { figure: `journal (${store}), recover 10,000 open auctions`, value: ms(r.recover10kMs) },
      ];
    }
    case 'ws':
      return [
        { figure: 'sockets, acked durable bids (1,000 auctions)', value: `${int(r.ackedBidsPerSec)} bids/s (${r.ratio ?? 'n/a'}x a bare echo server)` },
        { figure: 'sockets, ack p50 / p99 at 10,000 bids/s offered', value: `${ms(r.p50AckMs)} / ${ms(r.p99AckMs)}` },
        { figure: 'sockets, fan-out p99 to 5,000 watchers', value: ms(r.fanoutP99Ms) },
        { figure: 'memory per idle socket', value: `${int(r.bytesPerIdleSocket)} B` },
      ];
    case 'ws-floor':
      return [
        { figure: 'sockets, fan-out p99 of a bare uWS pub/sub server (the floor, same client)', value: `${ms(r.fanoutP99Ms)} (the engine: ${r.realOverFloorP99 ?? 'n/a'}x)` },
      ];
    default:
      return [{ figure: r.bench, value: JSON.stringify(r) }];
  }
}

/** How the end-to-end socket figures compare with the queue-based version. */
export function comparison(results: readonly BenchLine[]): string {
  const ws = results.find((r) => r.bench === 'ws');
  const base = `The queue-based version of this marketplace: ${int(QUEUE_BASELINE.bidsPerSec)} bids/s at ${QUEUE_BASELINE.latencyMs} ms.`;
  if (ws === undefined || typeof ws.ackedBidsPerSec !== 'number' || typeof ws.p99AckMs !== 'number') return `${base} (No socket figures in this run to compare.)`;
  const x = ws.ackedBidsPerSec / QUEUE_BASELINE.bidsPerSec;
  const ratio = QUEUE_BASELINE.latencyMs / ws.p99AckMs;
  const versus = ratio >= 1 ? `${ratio.toFixed(1)}x lower than` : `${(1 / ratio).toFixed(1)}x higher than`;
  return `${base} This engine, end to end over sockets with durable acks: ${int(ws.ackedBidsPerSec)} bids/s ` +
    `(${x.toFixed(1)}x), with a p99 ack of ${ms(ws.p99AckMs)} at 10,000 bids/s offered (${versus} ${QUEUE_BASELINE.latencyMs} ms).`;
}

export function machineLine(m: Machine): string {
  const gib = (m.memoryBytes / 2 ** 30).toFixed(1);
  return `${m.cpu}, ${m.cores} cores, ${gib} GiB memory, Node ${m.node}, ${m.os}; load average ${m.loadAverage.map((l) => l.toFixed(2)).join(' / ')} at the start`;
}

/** The figures table alone (also spliced into docs/benchmarks.md). */
export function table(run: Run): string {
  const lines = [
    `Latest run: ${run.date}, \`${run.command}\`, on ${machineLine(run.machine)}.`,
    '',
    '| figure | value |',
    '|---|---|',
    // The fan-out floor's line comes out before bench:ws's own (which must be its last): shown after it.
    ...[...run.results].sort((a, b) => Number(a.bench === 'ws-floor') - Number(b.bench === 'ws-floor')).flatMap(rows).map((r) => `| ${r.figure} | ${r.value} |`),
  ];
  for (const f of run.failures) lines.push(`| ${f.name} | FAILED: ${f.detail.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
  lines.push('', comparison(run.results));
  return lines.join('\n');
}

export function report(run: Run): string {
  return [
    '# Benchmark report',
    '',
    `Made by \`${run.command}\` (bench/all.ts), which runs \`bench:engine\`, \`bench:journal\` and \`bench:ws\` in turn.`,
    'Each benchmark also measures a baseline in the same run; see its own output, and docs/benchmarks.md for the ranges over runs and what bounds each figure.',
    '',
    table(run),
    '',
    '## Raw figures',
    '',
    '```',
    ...run.results.map((r) => JSON.stringify(r)),
    '```',
    '',
  ].join('\n');
}

/** Where the latest figures live, between the markers below: relative to the repository root. */
export const BENCHMARKS_DOC = 'docs/benchmarks.md';
export const REPORT_START = '<!-- bench:report -->';
export const REPORT_END = '<!-- /bench:report -->';

/** Whether a document has the report markers, once each and in order, so that a splice lands. */
export function hasReportMarkers(doc: string): boolean {
  const a = doc.indexOf(REPORT_START);
  const b = doc.indexOf(REPORT_END);
  return a >= 0 && b > a && doc.indexOf(REPORT_START, a + 1) < 0 && doc.indexOf(REPORT_END, b + 1) < 0;
}

/** The document with the text between the report markers replaced; unchanged when the markers are not there once each. */
export function spliceReport(doc: string, body: string): string {
  if (!hasReportMarkers(doc)) return doc;
  const a = doc.indexOf(REPORT_START);
  const b = doc.indexOf(REPORT_END);
  return `${doc.slice(0, a + REPORT_START.length)}\n${body}\n${doc.slice(b)}`;
}

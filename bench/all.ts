// `npm run bench`: every benchmark in turn (engine, journal, sockets), each one's output shown as it
// runs; then bench/REPORT.md with the figures, the machine and the comparison with the queue-based
// version, and the same table in docs/benchmarks.md between its bench:report markers. A benchmark that
// fails is reported as failed; the others still run.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCHMARKS_DOC, benchLines, hasReportMarkers, report, spliceReport, table, type BenchLine, type Machine, type Run } from './report.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCRIPTS = ['bench:engine', 'bench:journal', 'bench:ws'];

/** Run one benchmark, echoing its output; resolves with its exit code, stdout, and its last error line. */
function runScript(script: string): Promise<{ code: number | null; output: string; lastError: string }> {
  return new Promise((resolve) => {
    console.log(`\n$ npm run ${script}`);
    const child = spawn('npm', ['run', '--silent', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (d: Buffer) => {
      process.stdout.write(d);
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      process.stderr.write(d);
      errors = (errors + d.toString()).slice(-4096);
    });
    child.on('close', (code) => {
      const last = (text: string) => text.trim().split('\n').filter((l) => l.trim() !== '').pop() ?? '';
      resolve({ code, output, lastError: (last(errors) || last(output)).slice(0, 200) });
    });
  });
}

function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg(),
  };
}

const started = machine();
const results: BenchLine[] = [];
const failures: Run['failures'][number][] = [];
for (const script of SCRIPTS) {
  const { code, output, lastError } = await runScript(script);
  results.push(...benchLines(output));
  if (code !== 0) failures.push({ name: script, detail: `exit ${code}: ${lastError}` });
}

const run: Run = { date: new Date().toISOString().slice(0, 10), command: 'npm run bench', machine: started, results, failures };
writeFileSync(path.join(ROOT, 'bench/REPORT.md'), report(run));
const docPath = path.join(ROOT, BENCHMARKS_DOC);
const doc = readFileSync(docPath, 'utf8');
if (hasReportMarkers(doc)) {
  writeFileSync(docPath, spliceReport(doc, table(run)));
  console.log(`\n${table(run)}\n\nwrote bench/REPORT.md and the table in ${BENCHMARKS_DOC}`);
} else {
  console.log(`\n${table(run)}\n\nwrote bench/REPORT.md; ${BENCHMARKS_DOC} has no bench:report markers (once each), so its table is unchanged`);
}
process.exit(failures.length > 0 ? 1 : 0);

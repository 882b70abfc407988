// `npm test`: runs the suites package.json's "tap" section names (include, in order: test/suites/long/
// then short/), `jobs` at a time, each as `node --import tsx <suite>`, and reports them as TAP with
// tap's closing summary line (`# { total: N, pass: N, fail: N }`, which .ci/run reads).
//
// Why not tap's own runner: it starts every test process with @tapjs/processinfo, a coverage hook
// that sends each loaded module's source to the main thread and measures its lines, and with
// --enable-source-maps, whether coverage is on or not. Measured on a suite: 9.4 s wall and 11.7 s of
// CPU under `tap`, 6.1 s and 7.3 s run directly. The tests themselves are unchanged: each suite still
// uses tap's library, and `npx tap test/<folder>/<file>.test.ts` still runs any file alone.
//
// `node test/run.mjs [files...]` runs the given files instead; OKJ_TEST_JOBS overrides `jobs`.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'tap-parser';

const ROOT = path.resolve(import.meta.dirname, '..');
const tap = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).tap;
const JOBS = Number(process.env.OKJ_TEST_JOBS ?? tap.jobs ?? 2);
const TIMEOUT_S = Number(process.env.TAP_TIMEOUT ?? tap.timeout ?? 900);
const NODE_ARGS = tap['node-arg'] ?? [];

/** `dir/*.test.ts` globs (the only form package.json uses), expanded in name order. */
function expand(pattern) {
  const m = /^(.+)\/\*(\.[\w.]+)$/.exec(pattern);
  if (m === null) throw new Error(`test/run.mjs: unsupported include pattern ${pattern}`);
  return readdirSync(path.join(ROOT, m[1])).filter((f) => f.endsWith(m[2])).sort().map((f) => `${m[1]}/${f}`);
}

const files = process.argv.length > 2 ? process.argv.slice(2) : tap.include.flatMap(expand);

/** Runs one file; resolves with what the report needs. */
function run(file) {
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_ARGS, file], {
    cwd: ROOT,
    env: { ...process.env, TAP_TIMEOUT: String(TIMEOUT_S) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = { file, pass: 0, fail: 0, todo: 0, skip: 0, failures: [], comments: [], stderr: '', ok: false, code: null, signal: null, ms: 0, summary: null };
  const parser = new Parser();
  // Leaf assertions only: a subtest's closing point repeats what its own points said.
  const watch = (p, trail) => {
    const open = new Map(); // subtest name -> its records, oldest first (names can repeat)
    const self = { failed: 0 };
    p.on('child', (c) => {
      const rec = watch(c, [...trail, c.name]);
      open.set(c.name, [...(open.get(c.name) ?? []), rec]);
    });
    p.on('comment', (line) => {
      if (!/^\s*# (Subtest|time=|\{ total)/.test(line)) result.comments.push(line.trim());
    });
    const failed = (name, diag) => {
      result.fail++;
      self.failed++;
      result.failures.push({ trail: [...trail, name], diag });
    };
    p.on('assert', (r) => {
      const sub = open.get(r.name)?.shift();
      if (sub !== undefined) {
        // A subtest that failed with no failing point of its own (a timeout, a plan miss) still fails.
        if (!r.ok && !r.todo && !r.skip && sub.failed === 0) failed(r.name, r.diag);
        self.failed += sub.failed;
        return;
      }
      if (r.todo) result.todo++;
      else if (r.skip) result.skip++;
      else if (r.ok) result.pass++;
      else failed(r.name, r.diag);
    });
    return self;
  };
  watch(parser, []);
  parser.on('complete', (final) => (result.summary = final));
  child.stdout.pipe(parser);
  child.stderr.on('data', (d) => {
    result.stderr = (result.stderr + d.toString()).slice(-20_000);
  });
  // tap's library times its own tests out; this is for a process that hangs outside them.
  const killer = setTimeout(() => child.kill('SIGKILL'), (TIMEOUT_S + 60) * 1000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      parser.end();
      result.code = code;
      result.signal = signal;
      result.ms = performance.now() - started;
      result.ok = code === 0 && result.fail === 0 && result.summary?.ok === true;
      resolve(result);
    });
  });
}

/** A failure's diagnostics, readably: where, then each field (blocks for multi-line text). */
function diagText(diag) {
  if (diag == null || typeof diag !== 'object') return '';
  const out = [];
  const at = diag.at;
  if (at?.fileName !== undefined) out.push(`at: ${at.fileName}:${at.lineNumber}:${at.columnNumber}`);
  for (const [k, v] of Object.entries(diag)) {
    if (k === 'at' || k === 'stack') continue;
    if (typeof v === 'string' && v.includes('\n')) out.push(`${k}: |`, ...v.trimEnd().split('\n').map((l) => `  ${l}`));
    else out.push(`${k}: ${JSON.stringify(v)}`);
  }
  if (typeof diag.stack === 'string') out.push('stack: |', ...diag.stack.trimEnd().split('\n').map((l) => `  ${l}`));
  return out.map((l) => `      ${l}`).join('\n');
}

let n = 0;
function report(r) {
  n++;
  const counts = [`${r.pass} passed`, ...[[r.fail, 'failed'], [r.todo, 'todo'], [r.skip, 'skipped']].filter(([k]) => k > 0).map(([k, w]) => `${k} ${w}`)].join(', ');
  console.log(`${r.ok ? 'ok' : 'not ok'} ${n} - ${r.file} # time=${r.ms.toFixed(0)}ms ${counts}`);
  for (const c of r.comments) console.log(`    ${c}`);
  if (r.ok) return;
  for (const f of r.failures.slice(0, 20)) console.log(`    not ok - ${f.trail.join(' > ')}\n${diagText(f.diag)}`);
  if (r.failures.length > 20) console.log(`    ... and ${r.failures.length - 20} more failures`);
  if (r.code !== 0 || r.summary?.ok !== true) {
    console.log(`    exit: ${r.signal ?? r.code}${r.summary === null ? ', no complete TAP stream' : ''}`);
    if (r.stderr.trim() !== '') console.log(r.stderr.trimEnd().split('\n').slice(-60).map((l) => `    | ${l}`).join('\n'));
  }
}

const started = performance.now();
console.log('TAP version 14');
console.log(`1..${files.length}`);
const queue = [...files];
const results = [];
await Promise.all(
  Array.from({ length: Math.min(JOBS, files.length) }, async () => {
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
      const r = await run(f);
      results.push(r);
      report(r);
    }
  }),
);
const pass = results.reduce((s, r) => s + r.pass, 0);
// A suite that failed without a failing point (a crash, a kill) counts as one failure.
const fail = results.reduce((s, r) => s + (r.fail > 0 ? r.fail : r.ok ? 0 : 1), 0);
const todo = results.reduce((s, r) => s + r.todo, 0);
const skip = results.reduce((s, r) => s + r.skip, 0);
console.log(`# { total: ${pass + fail + todo + skip}, pass: ${pass}${fail > 0 ? `, fail: ${fail}` : ''}${todo > 0 ? `, todo: ${todo}` : ''}${skip > 0 ? `, skip: ${skip}` : ''} }`);
console.log(`# time=${(performance.now() - started).toFixed(0)}ms`);
process.exitCode = fail > 0 ? 1 : 0;

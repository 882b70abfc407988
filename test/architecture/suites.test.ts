// `npm test` (test/run.mjs) runs the suites package.json's tap.include names, test/suites/long/ then
// test/suites/short/ (so the long ones start first and the short ones fill in beside them), each a
// folder's files in one process (or a share of them): a folder of tests no suite names, or a share left
// out, would never run in CI. This holds them together.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { testFiles } from '../helpers/suite.ts';

const TEST_ROOT = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(TEST_ROOT, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string>; tap: { include: string[] } };

t.test('npm test runs the suites, and the suites run every test file exactly once', async (t) => {
  t.equal(pkg.scripts.test, 'node test/run.mjs', 'npm test is test/run.mjs, which runs tap.include');
  t.strictSame(pkg.tap.include, ['test/suites/long/*.test.ts', 'test/suites/short/*.test.ts'], 'npm test runs test/suites/, the long ones first');
  const runs = new Map<string, number>();
  const suites = ['long', 'short'].flatMap((d) => readdirSync(path.join(TEST_ROOT, 'suites', d)).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(d, f)));
  t.same(readdirSync(path.join(TEST_ROOT, 'suites')).sort(), ['long', 'short'], 'every suite is in long/ or short/');
  for (const suite of suites) {
    const src = readFileSync(path.join(TEST_ROOT, 'suites', suite), 'utf8');
    const calls = [...src.matchAll(/runFolder\('([\w-]+)'(?:, \[(\d+), (\d+)\])?\)/g)];
    t.ok(calls.length > 0, `${suite} runs a folder`);
    for (const [, folder, k, n] of calls) {
      for (const f of testFiles(folder, k === undefined ? undefined : [Number(k), Number(n)])) runs.set(f, (runs.get(f) ?? 0) + 1);
    }
  }
  const all: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = path.join(dir, e);
      if (statSync(p).isDirectory()) {
        if (p !== path.join(TEST_ROOT, 'suites')) walk(p);
      } else if (e.endsWith('.test.ts')) all.push(p);
    }
  };
  walk(TEST_ROOT);
  t.ok(all.length > 100, `${all.length} test files found`);
  for (const f of all) t.equal(runs.get(f) ?? 0, 1, `${path.relative(TEST_ROOT, f)} runs once`);
});

// `npm test` (test/run.mjs) starts each suite with package.json's node-arg alone (tsx); `npx tap`
// rebuilds for package.json's plugin list too late for its first run, which carries the old build's
// loaders, so a file run alone through tap may be slow once, never wrong.
t.test("test processes carry no loader of a plugin package.json turns off", async (t) => {
  const pkgPlugins = (JSON.parse(readFileSync(path.join(TEST_ROOT, '..', 'package.json'), 'utf8')) as { tap: { plugin: string[] } }).tap.plugin;
  const off = pkgPlugins.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  t.ok(off.includes('@tapjs/typescript'), 'tsx compiles the tests, not @tapjs/typescript');
  const argv = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  for (const p of off) t.notOk(argv.includes(`${p}/`), `no ${p} loader in this process (${argv.length} characters of node options)`);
});

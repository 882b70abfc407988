// Runs a folder's test files in this one process, one after another. A tap process costs about a second
// of CPU before its first test (node, tsx, tap's plugins), and the suite has over a hundred files: `npm
// test` runs one process per folder (test/suites/), while `npx tap test/<d>/<f>.test.ts` still runs any
// file alone. Each file's top-level tests join this process's root test in import order; a failure
// names its test and, in its `at:` line, its file.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';

const TEST_ROOT = path.resolve(import.meta.dirname, '..');

/** The test files of `test/<folder>`, sorted; `part` [k, n] keeps the k-th of n interleaved shares. */
export function testFiles(folder: string, part?: readonly [number, number]): string[] {
  const dir = path.join(TEST_ROOT, folder);
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort();
  if (files.length === 0) throw new Error(`no test files in test/${folder}`);
  return part === undefined ? files.map((f) => path.join(dir, f)) : files.filter((_, i) => i % part[1] === part[0]).map((f) => path.join(dir, f));
}

type Teardown = () => unknown;

/**
 * Import every file of `test/<folder>` (or a share of them) into this process. A file's top-level
 * `t.teardown` would make tap end the root test as soon as it is idle, which it is while the next file
 * awaits its own setup: so each file's top-level teardowns are kept and run by a test queued after its
 * tests, before the next file's.
 */
export async function runFolder(folder: string, part?: readonly [number, number]): Promise<void> {
  const root = t as unknown as { teardown: (fn: Teardown) => void };
  const original = root.teardown;
  // OKJ_SUITE_TIMES=1 prints each file's wall and CPU time: what to look at when the suite gets slow.
  const timed = process.env.OKJ_SUITE_TIMES === '1';
  let since = { at: performance.now(), cpu: process.cpuUsage() };
  for (const file of testFiles(folder, part)) {
    const name = path.relative(path.dirname(TEST_ROOT), file);
    const kept: Teardown[] = [];
    root.teardown = (fn) => void kept.push(fn);
    try {
      await import(pathToFileURL(file).href);
    } finally {
      root.teardown = original;
    }
    if (kept.length > 0) {
      t.test(`${name}: its teardown`, async (t) => {
        for (const fn of kept.reverse()) await fn();
        t.pass(`${kept.length} top-level teardown(s) ran`);
      });
    }
    if (timed) {
      t.test(`${name}: time`, (t) => {
        const cpu = process.cpuUsage(since.cpu);
        t.comment(`suite-time ${name} wall=${((performance.now() - since.at) / 1000).toFixed(1)}s cpu=${((cpu.user + cpu.system) / 1e6).toFixed(1)}s`);
        since = { at: performance.now(), cpu: process.cpuUsage() };
        t.end();
      });
    }
  }
}

// The README and the pages under docs/ point at files: in backticks (`app/auction/lanes.ts`) and in
// links ([storage.md](storage.md#what-a-commit-writes)). Code moves; this test fails when a page still
// names a file that is not there, or links to a heading that is not there. Patterns (`app/<d>/config.ts`,
// `test/**/*.test.ts`) are not paths and are left alone. docs/SPEC.md is the shared contract, copied as
// it is (test/architecture/spec.test.ts), so it is not checked here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PAGES = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md') && f !== 'SPEC.md').map((f) => `docs/${f}`)];

const TOP = ['app', 'engine', 'gateway', 'http', 'storage', 'test', 'bench', 'client', 'examples', 'ops', 'docs', '.ci'];
const FILES = ['Dockerfile', 'docker-compose.yml', 'package.json', 'ARCHITECTURE.md', 'README.md', '.dependency-cruiser.cjs', 'tsconfig.json'];

/** Paths named in backticks: under a top-level folder, or a top-level file; no pattern characters. */
export function namedPaths(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/`([^`\s]+)`/g)) {
    const p = (m[1] as string).replace(/[.,:;]$/, '');
    if (/[<>*{}$]|NNNN/.test(p)) continue;
    const top = p.split('/')[0] as string;
    if ((TOP.includes(top) && p.includes('/')) || FILES.includes(p)) out.add(p);
  }
  return [...out];
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

const anchorsOf = (markdown: string): Set<string> =>
  new Set([...markdown.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1] as string)));

t.test('anchors are GitHub\'s', async (t) => {
  t.equal(anchorOf('Shared: `app/config.ts`'), 'shared-appconfigts');
  t.equal(anchorOf('1. Auction rules (engine/)'), '1-auction-rules-engine');
  t.equal(anchorOf('Where we differ from SPEC and why'), 'where-we-differ-from-spec-and-why');
});

t.test('every page is there', async (t) => {
  for (const page of ['README.md', 'docs/configuration.md', 'docs/accounts.md', 'docs/marketplace.md', 'docs/operations.md', 'docs/benchmarks.md',
    'docs/libraries.md', 'docs/socket.md', 'docs/http.md', 'docs/auction-rules.md', 'docs/storage.md', 'docs/SPEC.md', 'docs/errors.md']) {
    t.ok(existsSync(path.join(ROOT, page)), page);
  }
});

for (const page of PAGES) {
  t.test(`${page} names files that exist, and its links land`, async (t) => {
    const text = readFileSync(path.join(ROOT, page), 'utf8');
    const dir = path.dirname(path.join(ROOT, page));
    const missing = namedPaths(text).filter((p) => !existsSync(path.join(ROOT, p.replace(/\/$/, ''))));
    t.strictSame(missing, [], 'every path in backticks is in the repository');

    const broken: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] as string;
      if (/^[a-z]+:/i.test(target)) continue; // http://, mailto:
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const full = file === '' ? path.join(ROOT, page) : path.resolve(dir, file);
      if (!existsSync(full)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor !== undefined && full.endsWith('.md') && !anchorsOf(readFileSync(full, 'utf8')).has(anchor)) broken.push(`${target}: no such heading`);
    }
    t.strictSame(broken, [], 'every relative link reaches its file and heading');
  });
}

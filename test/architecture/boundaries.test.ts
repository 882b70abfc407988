// The import boundaries of ARCHITECTURE.md, checked by dependency-cruiser with the project's own rules
// (.dependency-cruiser.cjs): none is broken, and each rule really refuses what it names (a module with a
// wrong import, written for the test beside the code, is reported under that rule's name).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import t from 'tap';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const config = require(path.join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: object[]; options: Record<string, unknown> };
const SOURCES = ['engine', 'gateway', 'http', 'storage', 'app', 'client', 'web'];

/** `maxDepth` n > 0 follows imports n levels from `paths` only: a fixture's rule needs its own edges (a cycle, two levels). */
async function violations(paths: string[], maxDepth = 0): Promise<IViolation[]> {
  const cwd = process.cwd();
  process.chdir(ROOT); // rule paths are relative to the project root
  try {
    const r = await cruise(paths, { ...config.options, maxDepth, validate: true, ruleSet: { forbidden: config.forbidden } } as never, undefined, {
      tsConfig: { fileName: 'tsconfig.json' },
    } as never);
    return (r.output as ICruiseResult).summary.violations;
  } finally {
    process.chdir(cwd);
  }
}

const describe = (v: IViolation) => `${v.rule.name}: ${v.from} -> ${v.to}`;

t.test('the code keeps every boundary', async (t) => {
  const found = await violations(SOURCES);
  t.same(found.map(describe), [], 'no violation');
});

// Each case: a module placed where the rule looks, importing what the rule forbids.
const CASES: { rule: string; dir: string; source: string }[] = [
  { rule: 'engine-is-pure', dir: 'engine', source: "import { openStores } from '../app/stores.ts';\nexport const x = openStores;\n" },
  { rule: 'engine-is-pure', dir: 'engine', source: "import { randomUUID } from 'node:crypto';\nexport const x = randomUUID;\n" },
  { rule: 'transports-not-root', dir: 'http', source: "import type { Config } from '../app/config.ts';\nexport type X = Config;\n" },
  { rule: 'transports-use-ports-only', dir: 'gateway', source: "import { MemoryMarket } from '../storage/market/memory.ts';\nexport const x = MemoryMarket;\n" },
  { rule: 'storage-below', dir: 'storage', source: "import type { Config } from '../app/config.ts';\nexport type X = Config;\n" },
  { rule: 'domains-through-api', dir: 'app/market', source: "import type { AccountService } from '../accounts/service.ts';\nexport type X = AccountService;\n" },
  { rule: 'web-is-browser', dir: 'web/app', source: "import { SIGNUP_ACCEPTED } from '../../http/accounts/routes.ts';\nexport const x = SIGNUP_ACCEPTED;\n" },
  { rule: 'web-is-browser', dir: 'web/app', source: "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n" },
  { rule: 'no-circular', dir: 'engine', source: "import { y } from './zz-cycle-b.ts';\nexport const x = 1 + y;\n" },
];

for (const c of CASES) {
  t.test(`a wrong import is refused by ${c.rule}`, async (t) => {
    const dir = path.join(ROOT, c.dir);
    const tmp = mkdtempSync(path.join(dir, 'zz-boundary-'));
    t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
    // Written one level down, so relative imports climb one more.
    const file = path.join(tmp, 'zz-cycle-a.ts');
    writeFileSync(file, c.source.replaceAll("from '../", "from '../../").replaceAll("from './zz", "from './zz"));
    if (c.rule === 'no-circular') writeFileSync(path.join(tmp, 'zz-cycle-b.ts'), "import { x } from './zz-cycle-a.ts';\nexport const y = 1;\nexport const z = () => x;\n");
    const rel = path.relative(ROOT, tmp);
    const found = await violations([rel], c.rule === 'no-circular' ? 2 : 1);
    t.ok(found.some((v) => v.rule.name === c.rule), `${c.rule} reported: ${found.map(describe).join('; ') || 'nothing'}`);
  });
}

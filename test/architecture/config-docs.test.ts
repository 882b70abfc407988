// docs/configuration.md cannot fall behind the code: every variable that a section of the configuration
// declares (SECTIONS in app/config.ts, merged from app/<domain>/config.ts) has a row in the table of its
// section, no row names a variable the code does not declare, and each row's default and bounds are the
// ones the zod schema has.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { z } from 'zod';
import { SECTIONS } from '../../app/config.ts';
import type { EnvShape } from '../../app/config-env.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOC = readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8');

/** The file that declares a section: the shared one in app/config.ts, each domain's in app/<d>/config.ts. */
const fileOf = (section: string): string => (section === 'kernel' ? 'app/config.ts' : `app/${section}/config.ts`);

interface Row { name: string; cells: string[] }

/** The doc's `## ` sections: heading and the variable rows of its tables. */
function sectionsOf(doc: string): { heading: string; rows: Row[] }[] {
  const out: { heading: string; rows: Row[] }[] = [];
  for (const part of doc.split(/^## /m).slice(1)) {
    const [heading = '', ...lines] = part.split('\n');
    const rows: Row[] = [];
    for (const line of lines) {
      const m = /^\| `([A-Z][A-Z0-9_]*)` \|(.*)\|\s*$/.exec(line);
      if (m !== null) rows.push({ name: m[1] as string, cells: (m[2] as string).split(' | ').map((c) => c.trim()) });
    }
    out.push({ heading, rows });
  }
  return out;
}

/** What the schema says of a variable: its default, and the bounds or values it allows. */
function facts(schema: z.ZodType): { default?: unknown; minimum?: number; maximum?: number; enum?: unknown[] } {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as ReturnType<typeof facts>;
}

/** Every way the doc falls behind the sections; empty when it is in step. */
export function problemsOf(doc: string, sections: Readonly<Record<string, EnvShape>>): string[] {
  const problems: string[] = [];
  const parts = sectionsOf(doc);
  const declared = new Map<string, string>();
  for (const [section, shape] of Object.entries(sections)) for (const v of Object.keys(shape)) declared.set(v, section);

  for (const [section, shape] of Object.entries(sections)) {
    const file = fileOf(section);
    const part = parts.find((p) => p.heading.includes(`\`${file}\``));
    if (part === undefined) {
      problems.push(`no "## ... \`${file}\`" section for the ${section} variables`);
      continue;
    }
    const rows = new Map(part.rows.map((r) => [r.name, r]));
    for (const [name, schema] of Object.entries(shape)) {
      const row = rows.get(name);
      if (row === undefined) {
        problems.push(`${name} (declared in ${file}) has no row in its section`);
        continue;
      }
      const [def = '', allowed = ''] = row.cells;
      const f = facts(schema);
      if (f.default !== undefined) {
        if (!def.includes(`\`${String(f.default)}\``)) problems.push(`${name}: the default column should show \`${String(f.default)}\`, it says "${def}"`);
      } else if (!def.startsWith('unset')) {
        problems.push(`${name}: has no default in ${file}, so its default column should start with "unset", it says "${def}"`);
      }
      for (const bound of [f.minimum, f.maximum]) {
        if (bound !== undefined && !allowed.includes(`\`${bound}\``)) problems.push(`${name}: the allowed column should show the bound \`${bound}\`, it says "${allowed}"`);
      }
      for (const value of f.enum ?? []) {
        if (!allowed.includes(`\`${String(value)}\``)) problems.push(`${name}: the allowed column should list \`${String(value)}\`, it says "${allowed}"`);
      }
    }
    for (const name of rows.keys()) {
      if (!(name in shape)) problems.push(`${name} has a row in the ${file} section but ${file} does not declare it`);
    }
  }
  // A declared variable documented again elsewhere would be a second truth.
  for (const part of parts) {
    for (const row of part.rows) {
      const owner = declared.get(row.name);
      if (owner !== undefined && !part.heading.includes(`\`${fileOf(owner)}\``)) {
        problems.push(`${row.name} has a row under "## ${part.heading}", but it belongs to the ${fileOf(owner)} section`);
      }
    }
  }
  return problems;
}

t.test('docs/configuration.md documents every variable of every section, as the code declares it', async (t) => {
  t.ok(Object.keys(SECTIONS).length >= 4, 'the shared section and the domains');
  t.strictSame(problemsOf(DOC, SECTIONS), []);
});

t.test('the check refuses a page that fell behind', async (t) => {
  const shape: EnvShape = {
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    MODE: z.enum(['a', 'b']).default('a'),
    TOKEN: z.string().optional(),
  };
  const good = [
    '## Shared: `app/config.ts`', '',
    '| variable | default | allowed | meaning |', '|---|---|---|---|',
    '| `PORT` | `8080` | `0` to `65535` | the port |',
    '| `MODE` | `a` | `a`, `b` | the mode |',
    '| `TOKEN` | unset | any | a token |', '',
  ].join('\n');
  t.strictSame(problemsOf(good, { kernel: shape }), [], 'a page in step passes');
  t.match(problemsOf(good.replace(/^\| `TOKEN`.*\n/m, ''), { kernel: shape }), [/TOKEN .* has no row/], 'a variable left out');
  t.match(problemsOf(good.replace('| `8080` |', '| `8000` |'), { kernel: shape }), [/PORT: the default column should show `8080`/], 'a wrong default');
  t.match(problemsOf(good.replace('`0` to `65535`', '`1` to `65535`'), { kernel: shape }), [/PORT: the allowed column should show the bound `0`/], 'a wrong bound');
  t.match(problemsOf(good.replace('`a`, `b`', '`a`'), { kernel: shape }), [/MODE: the allowed column should list `b`/], 'a value left out');
  t.match(problemsOf(good.replace('| `TOKEN` | unset |', '| `TOKEN` | `x` |'), { kernel: shape }), [/TOKEN: has no default/], 'a default the code does not have');
  t.match(problemsOf(`${good}| \`GONE\` | unset | any | retired |\n`, { kernel: shape }), [/GONE has a row .* does not declare it/], 'a variable the code no longer has');
  t.match(problemsOf(`${good}\n## Elsewhere\n\n| \`PORT\` | \`8080\` | x | again |\n`, { kernel: shape }), [/PORT has a row under "## Elsewhere"/], 'a variable documented twice');
  t.match(problemsOf(good, { kernel: shape, market: {} }), [/no "## \.\.\. `app\/market\/config\.ts`" section/], 'a section without its heading');
});

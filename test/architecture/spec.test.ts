// docs/SPEC.md is the product contract, a copy of the shared one (../shared/SPEC.md beside the
// repository). Where the shared copy exists, the two must be equal, so a change to the contract reaches
// the repository with the code that follows it. A clean clone (CI) may not have the shared copy: then
// this check is skipped, loudly. Where the code knowingly differs from SPEC, the docs page of that part
// says so under "Where we differ from SPEC and why"; docs/SPEC.md itself is never edited apart.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OURS = path.join(ROOT, 'docs/SPEC.md');
const SHARED = path.resolve(ROOT, '../shared/SPEC.md');

t.test('docs/SPEC.md is there and reads as the contract', async (t) => {
  const ours = readFileSync(OURS, 'utf8');
  t.match(ours, /^# Okjangpan engine: product contract\n/, 'the contract, from its first line');
  for (let n = 1; n <= 9; n++) t.match(ours, new RegExp(`^## ${n}\\. `, 'm'), `section ${n}`);
});

t.test('docs/SPEC.md equals ../shared/SPEC.md', async (t) => {
  if (!existsSync(SHARED)) {
    const line = '!'.repeat(100);
    console.error(`\n${line}\n!!! SKIPPED: ${SHARED} does not exist (a clean clone has no shared copy):\n!!! docs/SPEC.md was not compared with the shared contract.\n${line}\n`);
    t.skip(`SKIPPED: no ${SHARED} to compare docs/SPEC.md with`, () => {});
    return;
  }
  const ours = readFileSync(OURS, 'utf8');
  const shared = readFileSync(SHARED, 'utf8');
  if (ours === shared) {
    t.pass('docs/SPEC.md is the shared contract, byte for byte');
    return;
  }
  // Say where they part, so the fix is obvious: copy the shared file over docs/SPEC.md.
  const a = ours.split('\n');
  const b = shared.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  t.fail(`docs/SPEC.md differs from ${SHARED} from line ${i + 1}: copy the shared file over docs/SPEC.md`, {
    found: a[i] ?? '(end of file)',
    wanted: b[i] ?? '(end of file)',
  });
});

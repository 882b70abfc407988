// Drift guard: client/api-types.ts must be what the generator makes of the running server's
// /openapi.json. When the server's document changes, regenerate with
//   node --import tsx client/gen/cli.ts http://127.0.0.1:8080
// and commit the result (tsc then shows every SDK call the change breaks).
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { generate } from '../../client/gen/openapi-ts.ts';
import { freePort, ServerProcess, tempDir } from './server.ts';

t.test('the checked-in HTTP types are generated from the live document', async (t) => {
  const server = await ServerProcess.start(await tempDir(t), await freePort());
  t.teardown(() => server.kill());
  const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as Record<string, unknown>;
  const fresh = generate(doc);
  const checkedIn = await readFile(new URL('../../client/api-types.ts', import.meta.url), 'utf8');
  const a = fresh.split('\n');
  const b = checkedIn.split('\n');
  const at = a.findIndex((line, i) => line !== b[i]);
  t.equal(at === -1 && a.length === b.length ? 'same' : `first difference at line ${at + 1}:\n  live:       ${a[at]}\n  checked in: ${b[at]}`, 'same',
    'client/api-types.ts matches the server; regenerate with client/gen/cli.ts');
  t.ok(Object.keys(doc.paths as object).length > 30, 'a real document');
});

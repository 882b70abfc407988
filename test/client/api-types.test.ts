// Drift guard: client/api-types.ts must be what the generator makes of the server's OpenAPI document
// (the one /openapi.json serves). When the document changes, regenerate with `npm run gen:client` and
// commit the result (tsc then shows every SDK call the change breaks).
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { generate } from '../../client/gen/openapi-ts.ts';
import { openApiDocument } from '../../http/openapi.ts';

t.test('the checked-in HTTP types are generated from the server document', async (t) => {
  const doc = JSON.parse(JSON.stringify(openApiDocument())) as Record<string, unknown>;
  const fresh = generate(doc);
  const checkedIn = await readFile(new URL('../../client/api-types.ts', import.meta.url), 'utf8');
  const a = fresh.split('\n');
  const b = checkedIn.split('\n');
  const at = a.findIndex((line, i) => line !== b[i]);
  t.equal(at === -1 && a.length === b.length ? 'same' : `first difference at line ${at + 1}:\n  document:   ${a[at]}\n  checked in: ${b[at]}`, 'same',
    'client/api-types.ts matches the server document; regenerate with npm run gen:client');
  t.ok(Object.keys(doc.paths as object).length > 30, 'a real document');
});

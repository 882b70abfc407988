// Writes client/api-types.ts from the server's OpenAPI document: the one this checkout builds (no
// argument), or a running server's /openapi.json. The one file of client/ that uses Node: a development
// tool, never part of a bundle.
// Usage: npm run gen:client   |   node --import tsx client/gen/cli.ts [http://127.0.0.1:8080]
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generate } from './openapi-ts.ts';

async function document(): Promise<Record<string, unknown>> {
  const base = process.argv[2]?.replace(/\/+$/, '');
  if (base === undefined) {
    const { openApiDocument } = await import('../../http/openapi.ts');
    return JSON.parse(JSON.stringify(openApiDocument())) as Record<string, unknown>;
  }
  const res = await fetch(`${base}/openapi.json`);
  if (!res.ok) throw new Error(`GET ${base}/openapi.json answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

const out = fileURLToPath(new URL('../api-types.ts', import.meta.url));
await writeFile(out, generate(await document()));
console.log(`wrote ${out}`);

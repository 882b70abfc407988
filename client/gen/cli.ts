// Writes client/api-types.ts from a running server's OpenAPI document. The one file of client/ that uses
// Node: it is a development tool, never part of a bundle.
// Usage: node --import tsx client/gen/cli.ts [http://127.0.0.1:8080]   (or OKJ_URL)
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generate } from './openapi-ts.ts';

const base = (process.argv[2] ?? process.env.OKJ_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const res = await fetch(`${base}/openapi.json`);
if (!res.ok) {
  console.error(`GET ${base}/openapi.json answered ${res.status}`);
  process.exit(1);
}
const out = fileURLToPath(new URL('../api-types.ts', import.meta.url));
await writeFile(out, generate((await res.json()) as Record<string, unknown>));
console.log(`wrote ${out}`);

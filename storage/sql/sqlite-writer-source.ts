// The writer thread's code (./sqlite-writer.ts and what it imports) as one CommonJS script, built once per
// process with esbuild (the web app's bundler already): a worker started from it loads no TypeScript
// loader of its own. Registering tsx in each worker cost about 0.8 s of CPU per start, measured, paid by
// every SQLite server start (and by the test suite's hundreds of them).
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ENTRY = new URL('./sqlite-writer.ts', import.meta.url);
// The one `import.meta.url` in the writer's graph: better-sqlite3.ts finds the driver from its own place.
const DRIVER_LOADER = new URL('./better-sqlite3.ts', import.meta.url);

let source: string | null = null;

export function writerSource(): string {
  source ??= buildSync({
    entryPoints: [fileURLToPath(ENTRY)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
    define: { 'import.meta.url': JSON.stringify(DRIVER_LOADER.href) },
  }).outputFiles[0].text;
  return source;
}

// A TypeScript entry bundled by esbuild into plain JavaScript, for the child processes tests start
// (servers they kill and restart, crash children, scripts). Started through tsx, each child spent about
// two seconds of CPU compiling and resolving the same files the suite process already had; a bundle
// starts in about half the time. Packages stay external (node_modules is resolved as usual), lazy
// `import()`s stay lazy (their own chunks, so the AWS SDK still loads only when configured), and each
// file's `import.meta.url`/`dirname`/`filename` are its own source's, so paths found from them are
// the same as under tsx. Built once per test process per entry, into node_modules/.cache (bare
// imports in the bundle resolve from there); `npm start` itself is tested through tsx elsewhere.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OUT = path.join(ROOT, 'node_modules', '.cache', 'okj-test-bundles', String(process.pid));

/** Each file keeps its own import.meta: the bundle's would point into node_modules/.cache. */
const ownImportMeta: Plugin = {
  name: 'own-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.')) return undefined;
      const own: Record<string, string> = { url: pathToFileURL(args.path).href, dirname: path.dirname(args.path), filename: args.path };
      // Not inside a string: storage/sql/sqlite-writer-source.ts names 'import.meta.url' to esbuild.
      const contents = source.replaceAll(/(?<!['"`])\bimport\.meta\.(url|dirname|filename)\b/g, (_, k: string) => JSON.stringify(own[k]));
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

const built = new Map<string, Promise<string>>();
let cleanup = false;

/** The path of `entry` (a .ts file, absolute or from the repository's root) bundled; run it with plain `node`. */
export function bundled(entry: string): Promise<string> {
  const abs = path.resolve(ROOT, entry);
  let p = built.get(abs);
  if (p === undefined) {
    p = bundle(abs);
    built.set(abs, p);
    p.catch(() => built.delete(abs));
  }
  return p;
}

/** True unless no process has this pid (a test process killed before its exit handler ran). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function bundle(entry: string): Promise<string> {
  if (!cleanup) {
    cleanup = true;
    process.once('exit', () => rmSync(OUT, { recursive: true, force: true }));
    mkdirSync(OUT, { recursive: true });
    for (const d of readdirSync(path.dirname(OUT))) if (/^\d+$/.test(d) && !alive(Number(d))) rmSync(path.join(path.dirname(OUT), d), { recursive: true, force: true });
  }
  const name = path.relative(ROOT, entry).replace(/\.tsx?$/, '').replaceAll(/[\\/]/g, '_');
  const outdir = path.join(OUT, name);
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { [name]: entry },
    outdir, outExtension: { '.js': '.mjs' },
    bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    packages: 'external', logLevel: 'silent', plugins: [ownImportMeta],
    tsconfig: path.join(ROOT, 'tsconfig.json'),
  });
  return path.join(outdir, `${name}.mjs`);
}

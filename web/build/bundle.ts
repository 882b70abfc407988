// Builds the web app in memory with esbuild: web/app/main.tsx and everything it imports (Preact, the
// SDK in client/, the styles) into one minified module script and one stylesheet, named by their
// content's hash, each gzipped once. Nothing is written to disk and nothing is fetched: `npm start`
// builds on the first page asked for (app/main.ts starts it at boot), in well under a second.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { WebAsset, WebBundle } from '../../http/web/bundle.ts';

const APP = path.resolve(import.meta.dirname, '../app');
/** Browsers of the last few years (ES2020 modules, optional chaining, CSS nesting is not relied on). */
const TARGET = ['chrome100', 'edge100', 'firefox100', 'safari15', 'ios15'];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

function asset(name: string, body: Buffer): WebAsset {
  const ext = path.extname(name);
  const type = TYPES[ext] ?? 'application/octet-stream';
  return { path: `/assets/${name}`, type, body, gzip: gzipSync(body, { level: 9 }) };
}

const hashOf = (b: Buffer) => createHash('sha256').update(b).digest('base64url').slice(0, 10);

export async function buildWebApp(): Promise<WebBundle & { ms: number }> {
  const started = performance.now();
  const r = await build({
    entryPoints: { app: path.join(APP, 'main.tsx') },
    bundle: true, format: 'esm', platform: 'browser', target: TARGET, minify: true, write: false,
    outdir: '/assets', entryNames: '[name]-[hash]', assetNames: '[name]-[hash]',
    jsx: 'automatic', jsxImportSource: 'preact', logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const assets = new Map<string, WebAsset>();
  const scripts: string[] = [];
  const styles: string[] = [];
  for (const f of r.outputFiles) {
    const a = asset(path.basename(f.path), Buffer.from(f.contents));
    assets.set(a.path, a);
    if (a.path.endsWith('.js')) scripts.push(a.path);
    else if (a.path.endsWith('.css')) styles.push(a.path);
  }
  const svg = await readFile(path.join(APP, 'icon.svg'));
  const icon = asset(`icon-${hashOf(svg)}.svg`, svg);
  assets.set(icon.path, icon);
  return { assets, scripts, styles, icon: icon.path, ms: Math.round(performance.now() - started) };
}

let once: Promise<WebBundle & { ms: number }> | null = null;

/** The app, built once per process (a failed build is tried again on the next call). */
export function webBundle(): Promise<WebBundle & { ms: number }> {
  once ??= buildWebApp().catch((err: unknown) => {
    once = null;
    throw err;
  });
  return once;
}

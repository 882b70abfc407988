// The web app at `/`: hashed assets under /assets/ (immutable, gzip when asked for), and the app's one
// HTML page for every other GET of a path without a file extension, so deep links (/auctions/<id>,
// /verify-email) load the app, whose router takes it from there. Mounted after the API: the API, the
// probes, the socket's path and /metrics are never answered here, whether or not a route of theirs
// matched; an unknown asset or file is the usual 404 problem document.
import type { Context, Next } from 'koa';
import type { Logger } from '../../engine/logger.ts';
import type { WebAsset, WebBundle } from './bundle.ts';
import { pageHeaders, pageHtml, type PageOptions } from './page.ts';

export interface WebOptions extends PageOptions {
  /** The built app; called on the first page or asset asked for, and kept. */
  bundle(): Promise<WebBundle>;
  log: Logger;
}

const RESERVED = /^\/(?:api|ws|openapi\.json|healthz|readyz|metrics)(?:\/|$)/;
/** The last segment names a file (favicon.ico, robots.txt, app.js): not a page of the app. */
const FILE = /\/[^/]*\.[A-Za-z0-9]+$/;

export function webRoutes(o: WebOptions) {
  let built: Promise<{ bundle: WebBundle; html: Buffer }> | null = null;
  const load = () =>
    (built ??= o.bundle().then(
      (bundle) => ({ bundle, html: Buffer.from(pageHtml(bundle, o)) }),
      (err: unknown) => {
        built = null; // the next request tries again
        o.log.error({ err }, 'the web app could not be built');
        throw err;
      },
    ));

  return async (ctx: Context, next: Next): Promise<void> => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || RESERVED.test(ctx.path)) return next();
    if (ctx.path.startsWith('/assets/')) {
      const asset = (await load()).bundle.assets.get(ctx.path);
      if (asset === undefined) return next();
      ctx._matchedRoute = '/assets/:file'; // the metrics' route label (http/observe.ts): templates, not paths
      return sendAsset(ctx, asset);
    }
    if (FILE.test(ctx.path)) return next();
    ctx._matchedRoute = '/*';
    const { html } = await load();
    ctx.set(pageHeaders(ctx.get('host'), o, ctx.path));
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  };
}

function sendAsset(ctx: Context, a: WebAsset): void {
  ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
  ctx.type = a.type;
  if (a.gzip !== null) {
    ctx.vary('Accept-Encoding');
    if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
      ctx.set('Content-Encoding', 'gzip');
      ctx.body = a.gzip;
      return;
    }
  }
  ctx.body = a.body;
}

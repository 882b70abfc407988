// Headers every HTTP response carries: no MIME sniffing (a JSON or image answer is never run as a page),
// no framing by any site (clickjacking; CSP frame-ancestors, and X-Frame-Options for older browsers),
// and no Referer sent on from wherever a response links. The Koa app sets them on all it answers; the
// forwarder and the gateway write them on the few answers they make themselves.
import type { Context, Next } from 'koa';
import type { HttpResponse } from 'uWebSockets.js';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
});

/** Outermost Koa middleware: set before anything runs, so problem documents and 404s carry them too. */
export function securityHeaders() {
  return async (ctx: Context, next: Next): Promise<void> => {
    ctx.set(SECURITY_HEADERS);
    await next();
  };
}

/** For a response written directly on uWebSockets.js (inside its cork). */
export function writeSecurityHeaders(res: HttpResponse): HttpResponse {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.writeHeader(k, v);
  return res;
}

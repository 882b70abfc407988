// The one HTML page of the web app (every client-side route answers with it) and its headers. The page
// has no inline script or style: everything it runs comes from /assets/ on this origin, so the
// Content-Security-Policy allows 'self' and nothing else, plus the socket and the image CDN.
import type { WebBundle } from './bundle.ts';

export interface PageOptions {
  /** Google sign-in is configured: the sign-in page offers it. */
  google: boolean;
  /** Origins product images come from beside this one (CDN_BASE_URL). */
  imageOrigins: readonly string[];
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function pageHtml(b: WebBundle, o: PageOptions): string {
  return [
    '<!doctype html>',
    '<html lang="ko">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>옥장판</title>',
    '<meta name="description" content="옥장판: 실시간 중고 경매">',
    `<meta name="okj-google" content="${o.google ? 'on' : 'off'}">`,
    `<link rel="icon" href="${escape(b.icon)}" type="image/svg+xml">`,
    ...b.styles.map((s) => `<link rel="stylesheet" href="${escape(s)}">`),
    ...b.scripts.map((s) => `<script type="module" src="${escape(s)}"></script>`),
    '</head>',
    '<body>',
    '<noscript>옥장판은 자바스크립트가 있어야 동작합니다. okjangpan needs JavaScript.</noscript>',
    '<div id="app"></div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A Host header fit to be written into a policy (anything else: the socket is left to 'self'). */
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/**
 * The page's policy. connect-src names the socket's ws:/wss: URL of the host the page was loaded from,
 * since older browsers do not count ws: as 'self'.
 */
export function contentSecurityPolicy(host: string, o: PageOptions): string {
  const socket = HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' blob: data:${o.imageOrigins.map((x) => ` ${x}`).join('')}`,
    `connect-src 'self'${socket}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "require-trusted-types-for 'script'",
  ].join('; ');
}

/** Headers of the HTML answer, beside the ones every answer has (http/security-headers.ts). */
export function pageHeaders(host: string, o: PageOptions): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(host, o),
    // Revalidated each load, so a new build's asset names are picked up at once.
    'Cache-Control': 'no-cache',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=()',
  };
}

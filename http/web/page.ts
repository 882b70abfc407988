// The one HTML page of the web app (every client-side route answers with it) and its headers. The page
// has no inline script or style: everything it runs comes from /assets/ on this origin, so the
// Content-Security-Policy allows 'self' and nothing else, plus the socket and the image CDN. One document
// differs: the checkout (/orders/<id>/pay) runs Toss's payment window, a script of Toss's origin that
// opens Toss's frames and forms, so that document alone also allows Toss's origins.
import type { WebBundle } from './bundle.ts';

export interface PageOptions {
  /** Google sign-in is configured: the sign-in page offers it. */
  google: boolean;
  /** Origins product images come from beside this one (CDN_BASE_URL). */
  imageOrigins: readonly string[];
  /** Toss's payment-window SDK when payments are configured (TOSS_SDK_URL), or null. */
  checkout: { sdkUrl: string } | null;
}

/** The checkout document's path: the only one that loads Toss's script. */
export const CHECKOUT_PATH = /^\/orders\/[^/]+\/pay$/;
/** Where Toss's payment window opens its frames, posts its forms and calls home. */
const TOSS_ORIGINS = ['https://*.tosspayments.com'];

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
    ...(o.checkout === null ? [] : [`<meta name="okj-toss-sdk" content="${escape(o.checkout.sdkUrl)}">`]),
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
 * since older browsers do not count ws: as 'self'. On the checkout document Toss's script runs with this
 * page's rights, so it gets Toss's origins and none of the app's Trusted Types rule (Toss's SDK writes
 * its own DOM); that document shows only the order's name and amount, no one else's text.
 */
export function contentSecurityPolicy(host: string, o: PageOptions, path = '/'): string {
  const socket = HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  const toss = o.checkout !== null && CHECKOUT_PATH.test(path) ? [new URL(o.checkout.sdkUrl).origin, ...TOSS_ORIGINS] : [];
  const plus = (xs: readonly string[]) => xs.map((x) => ` ${x}`).join('');
  return [
    "default-src 'none'",
    `script-src 'self'${plus(toss.slice(0, 1))}`,
    // Toss's SDK styles the overlay it draws around its frame with inline styles.
    `style-src 'self'${toss.length > 0 ? " 'unsafe-inline'" : ''}`,
    `img-src 'self' blob: data:${plus(o.imageOrigins)}${plus(toss)}`,
    `connect-src 'self'${socket}${plus(toss)}`,
    ...(toss.length > 0 ? [`frame-src${plus(toss)}`] : []),
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    `form-action 'self'${plus(toss)}`,
    "frame-ancestors 'none'",
    "object-src 'none'",
    ...(toss.length > 0 ? [] : ["require-trusted-types-for 'script'"]),
  ].join('; ');
}

/** Headers of the HTML answer, beside the ones every answer has (http/security-headers.ts). */
export function pageHeaders(host: string, o: PageOptions, path = '/'): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(host, o, path),
    // Revalidated each load, so a new build's asset names are picked up at once.
    'Cache-Control': 'no-cache',
    // Toss's window may open a card company's popup, which must keep its opener on the checkout.
    'Cross-Origin-Opener-Policy': CHECKOUT_PATH.test(path) ? 'same-origin-allow-popups' : 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=()',
  };
}

// Cookie mode for the web app: the refresh token lives in an HttpOnly cookie that page scripts never see,
// scoped to the refresh route, and the JSON answer carries no refresh token. A client asks for it on
// each auth request with the `Okj-Session: cookie` header; without it the routes keep their JSON
// behaviour for API integrators.
//
// CSRF: the cookie is SameSite=Strict (no cross-site request carries it) and is only read when the
// custom header is present, which a cross-site form cannot send and a cross-site fetch cannot send
// without a CORS preflight this server never grants. A request in cookie mode that a browser marks as
// coming from another origin (Sec-Fetch-Site, or an Origin that is not this server's) is refused with
// CROSS_SITE_REFUSED: that also stops a sibling subdomain, which SameSite counts as the same site.
import type { Context } from 'koa';
import { OkjError } from '../../engine/index.ts';

export const REFRESH_COOKIE = 'okj_refresh';
export const REFRESH_PATH = '/api/v1/auth/refresh';
/** The request header that asks for cookie mode (its only accepted value is `cookie`). */
export const SESSION_MODE_HEADER = 'Okj-Session';

/** The value of one cookie of the request, or undefined. */
export function readCookie(ctx: Context, name: string): string | undefined {
  for (const part of ctx.get('cookie').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/** Secure, except over plain HTTP on a loopback host (a developer's `npm start`), where it could not be set. */
function secure(ctx: Context): boolean {
  return ctx.protocol === 'https' || !LOOPBACK.test(ctx.get('host'));
}

export function setRefreshCookie(ctx: Context, token: string, maxAgeSeconds: number): void {
  ctx.append('Set-Cookie', `${REFRESH_COOKIE}=${token}; Path=${REFRESH_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure(ctx) ? '; Secure' : ''}`);
}

export function clearRefreshCookie(ctx: Context): void {
  ctx.append('Set-Cookie', `${REFRESH_COOKIE}=; Path=${REFRESH_PATH}; Max-Age=0; HttpOnly; SameSite=Strict${secure(ctx) ? '; Secure' : ''}`);
}

/**
 * Whether this request asked for cookie mode; when it did, it must come from this server's own pages
 * (`publicOrigin` is PUBLIC_BASE_URL's origin; the Host the request was sent to counts too).
 */
export function cookieMode(ctx: Context, publicOrigin: string | null): boolean {
  const mode = ctx.get(SESSION_MODE_HEADER);
  if (mode === '') return false;
  if (mode !== 'cookie') throw new OkjError('VALIDATION_FAILED', `${SESSION_MODE_HEADER} takes only the value cookie`);
  const site = ctx.get('sec-fetch-site');
  if (site !== '' && site !== 'same-origin') throw new OkjError('CROSS_SITE_REFUSED', `a ${site} request may not use the session cookie`);
  const origin = ctx.get('origin');
  if (origin !== '' && origin !== publicOrigin && hostOf(origin) !== ctx.get('host').toLowerCase()) {
    throw new OkjError('CROSS_SITE_REFUSED', 'the request comes from another origin');
  }
  return true;
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null; // `null` (an opaque origin) or garbage: never ours
  }
}

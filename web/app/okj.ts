// The app's one connection to the server: the SDK's HTTP client and socket, sharing a session in cookie
// mode (the refresh token stays in the HttpOnly cookie; the access token lives only in this page's memory).
import { createOkj, type FetchLike, type FetchResponse } from '../../client/index.ts';

const REFRESH = '/api/v1/auth/refresh';

/**
 * Refreshes from several tabs take turns (Web Locks): each spends the cookie and sets the next one,
 * so a tab that went at the same time as another would present a spent token, which the server takes
 * for theft and answers by revoking the session.
 */
const fetchInTurn: FetchLike = (url, init) => {
  const go = () => globalThis.fetch(url, init as RequestInit) as Promise<FetchResponse>;
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return url.endsWith(REFRESH) && locks !== undefined ? (locks.request('okj-refresh', go) as unknown as Promise<FetchResponse>) : go();
};

export const { api, socket } = createOkj({ session: { mode: 'cookie' }, fetch: fetchInTurn });

/** Whether the server offers Google sign-in (it says so in the page it serves). */
export const googleSignIn = document.querySelector('meta[name="okj-google"]')?.getAttribute('content') === 'on';

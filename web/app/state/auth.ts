// Who is signed in. On load the page asks the refresh cookie once (a reload keeps the session); sign-in,
// verification and Google put tokens into the SDK's session; the socket is opened again on every change
// so it authenticates as the new user (or watches anonymously).
import type { Api } from '../../../client/index.ts';
import { api, socket } from '../okj.ts';
import { store } from './store.ts';

export interface Me {
  userId: string;
  role: 'USER' | 'ADMIN';
  nickname: string | null;
}

export type AuthState = { status: 'unknown' } | { status: 'out' } | { status: 'in'; me: Me };

export const auth = store<AuthState>({ status: 'unknown' });

/**
 * A hint, kept in localStorage, that this browser holds a session cookie (which scripts cannot see):
 * without it a page load asks nothing of the refresh route, so an anonymous visit costs no request
 * and no 401. Another tab signing out removes it, and this tab follows.
 */
const HINT = 'okj.session';
function hint(on: boolean): void {
  try {
    if (on) localStorage.setItem(HINT, '1');
    else localStorage.removeItem(HINT);
  } catch {
    // storage refused: every load asks the refresh route
  }
}
function hinted(): boolean {
  try {
    return localStorage.getItem(HINT) === '1';
  } catch {
    return true;
  }
}
/** Before leaving for Google: the callback comes back to `/` with the cookie set. */
export const expectSession = (): void => hint(true);

export const signedInAs = (): Me | null => {
  const a = auth.get();
  return a.status === 'in' ? a.me : null;
};

function reconnect(): void {
  socket.close();
  socket.connect();
}

async function profile(base: Me): Promise<void> {
  try {
    const a = await api.auth.me();
    const current = signedInAs();
    if (current?.userId === base.userId) auth.set({ status: 'in', me: { ...current, nickname: a.nickname ?? null, role: a.role ?? current.role } });
  } catch {
    // the name is a nicety; the session stands without it
  }
}

/** Tokens from login, verify or a refresh were adopted by the SDK's session. */
export function signedIn(tokens: Pick<Api.Tokens, 'userId' | 'role'>): void {
  const me: Me = { userId: tokens.userId, role: tokens.role, nickname: null };
  hint(true);
  auth.set({ status: 'in', me });
  reconnect();
  void profile(me);
}

export async function signOut(): Promise<void> {
  try {
    await api.auth.logout();
  } finally {
    ended();
  }
}

/** Signed out here, by the server (a refused refresh) or in another tab. */
function ended(): void {
  hint(false);
  if (auth.get().status === 'in') {
    auth.set({ status: 'out' });
    reconnect();
  }
}

/** At page load: is there a session in the cookie? */
export async function resume(): Promise<void> {
  api.session.on('signedOut', ended);
  window.addEventListener('storage', (e) => {
    if (e.key === HINT && e.newValue === null) {
      api.session.clear('logout');
      ended();
    }
  });
  let tokens: Api.Tokens | null = null;
  api.session.on('tokens', (t) => (tokens = t));
  try {
    if (hinted() && (await api.session.resume())) {
      const t = tokens as Api.Tokens | null;
      if (t !== null) return signedIn(t);
    }
    hint(false);
  } catch {
    // the server did not answer: signed out for now, the hint kept for the next load
  }
  auth.set({ status: 'out' });
  socket.connect();
}

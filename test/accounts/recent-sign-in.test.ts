// Actions with no password to prove need a recent sign-in (RECENT_SIGN_IN_SECONDS, 2 here): setting a
// first password and withdrawing an account made through Google. A refresh does not renew the sign-in,
// and a token with no session (signed by a tool) never counts as one. On SQLite and MariaDB.
import t from 'tap';
import { api, sleep } from '../gateway/harness.ts';
import { backends, me } from './helpers.ts';
import { FakeIdp, googleSignIn } from './fake-idp.ts';

for (const backend of backends) {
  t.test(`setting a first password and withdrawing a Google-only account need a recent sign-in (${backend.name})`, async (t) => {
    const idp = await FakeIdp.start();
    t.teardown(() => idp.close());
    const s = await backend.start(t, { ...idp.env(), RECENT_SIGN_IN_SECONDS: '2' });
    if (s === null) return;
    const signIn = async (sub: string) => {
      const r = await googleSignIn(s, idp, { sub, email: `${sub}@example.com`, email_verified: true });
      if (r.status !== 200) throw new Error(`google sign-in: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as { accessToken: string; refreshToken: string; userId: string };
    };
    const setPassword = (token: string) => api(s.http, 'POST', '/api/v1/accounts/me/password', { token, body: { newPassword: 'a passphrase of my own' } });
    const withdraw = (token: string) => api(s.http, 'DELETE', '/api/v1/accounts/me', { token });

    // Just signed in: both pass.
    t.equal((await setPassword((await signIn('fresh-set')).accessToken)).status, 204, 'a first password, right after signing in');
    const w = await withdraw((await signIn('fresh-withdraw')).accessToken);
    t.equal(w.status, 200, 'withdrawal, right after signing in');

    // A token without a session proves no sign-in at all.
    const old = await signIn('old-set');
    const toolToken = await s.token(old.userId);
    const noSession = await setPassword(toolToken);
    t.equal(noSession.status, 401);
    t.equal(noSession.body.code, 'RECENT_SIGN_IN_REQUIRED', 'a token with no session');
    const gone = await signIn('old-withdraw');

    await sleep(2200);
    const refreshed = await api(s.http, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: old.refreshToken } });
    t.equal(refreshed.status, 200);
    const late = await setPassword(refreshed.body.accessToken);
    t.equal(late.status, 401, 'a sign-in 2 s ago, with a fresh access token from a refresh');
    t.match(late.type, /application\/problem\+json/);
    t.match(late.body, { code: 'RECENT_SIGN_IN_REQUIRED', maxAgeSeconds: 2, title: String, detail: String });
    t.match((await me(s, old.accessToken)).body, { hasPassword: false }, 'no password was set');
    const lateWithdraw = await withdraw(gone.accessToken);
    t.equal(lateWithdraw.body.code, 'RECENT_SIGN_IN_REQUIRED', 'withdrawal refused the same way');
    t.equal((await me(s, gone.accessToken)).status, 200, 'the account is still there');

    // Signing in again is the way forward.
    t.equal((await setPassword((await signIn('old-set')).accessToken)).status, 204, 'after a new sign-in');
    t.equal((await withdraw((await signIn('old-withdraw')).accessToken)).status, 200);
  });
}

// Google sign-in against a loopback identity provider that signs real ID tokens with its own key:
// the happy path (a new account, then a first password), linking by verified email, and every refusal:
// wrong state, a state without its browser cookie, a wrong nonce, a replayed code, a token signed by
// another key or for another audience, an unverified email; and the feature off when unconfigured.
import t from 'tap';
import { api } from '../gateway/harness.ts';
import { backends, login, me, newUser, type Server } from './helpers.ts';
import { CLIENT, FakeIdp } from './fake-idp.ts';

interface Flow {
  state: string;
  code: string;
  cookie: string;
  authorize: URL;
}

/** start -> the provider's /authorize (which consents at once) -> the code and state it sends back. */
async function begin(s: Server): Promise<Flow> {
  const r = await fetch(`${s.http}/api/v1/auth/google/start`, { redirect: 'manual' });
  if (r.status !== 302) throw new Error(`start: ${r.status} ${await r.text()}`);
  const authorize = new URL(r.headers.get('location') ?? '');
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  const back = await fetch(authorize, { redirect: 'manual' });
  const to = new URL(back.headers.get('location') ?? '');
  return { state: to.searchParams.get('state') ?? '', code: to.searchParams.get('code') ?? '', cookie, authorize };
}

const callback = (s: Server, f: { state: string; code: string }, cookie?: string) =>
  api(s.http, 'GET', `/api/v1/auth/google/callback?${new URLSearchParams({ code: f.code, state: f.state })}`, { headers: cookie ? { cookie } : {} });

t.test('Google sign-in', async (t) => {
  const idp = await FakeIdp.start();
  t.teardown(() => idp.close());
  const s = await backends[0].start(t, idp.env());
  if (s === null) return;

  t.test('a new account through Google, then a first password', async (t) => {
    idp.user = { sub: 'g-new-1', email: 'New.Person@Example.com', email_verified: true, name: 'New <b>Person</b>' };
    const f = await begin(s);
    const q = f.authorize.searchParams;
    t.equal(f.authorize.origin + f.authorize.pathname, `${idp.base}/authorize`);
    t.match(Object.fromEntries(q), { response_type: 'code', client_id: CLIENT.id, redirect_uri: CLIENT.redirect, code_challenge_method: 'S256', scope: /openid/ });
    t.ok(q.get('state')!.length >= 43 && q.get('nonce')!.length >= 43 && q.get('code_challenge')!.length === 43, 'random state, nonce and S256 challenge');
    t.match(f.cookie, /^okj_oauth=.{43}$/);

    const r = await callback(s, f, f.cookie);
    t.equal(r.status, 200, JSON.stringify(r.body));
    t.match(r.body, { tokenType: 'Bearer', accessToken: String, refreshToken: String, role: 'USER' });
    const ex = idp.exchanges.at(-1)!;
    t.equal(ex.get('client_secret'), CLIENT.secret, 'the code was exchanged with the client secret');
    t.ok((ex.get('code_verifier') ?? '').length >= 43, 'and the PKCE verifier');
    const profile = await me(s, r.body.accessToken);
    t.match(profile.body, { email: 'new.person@example.com', googleLinked: true, hasPassword: false, name: 'New bPersonb', gender: null });

    const set = await api(s.http, 'POST', '/api/v1/accounts/me/password', { token: r.body.accessToken, body: { newPassword: 'my own passphrase now' } });
    t.equal(set.status, 204);
    t.equal((await login(s, 'new.person@example.com', 'my own passphrase now')).body.userId, r.body.userId, 'and signs in with it');

    const again = await callback(s, await begin(s), (await begin(s)).cookie);
    t.equal(again.body.code, 'OAUTH_STATE_INVALID', 'a cookie from another start does not fit');
    const second = await begin(s);
    t.equal((await callback(s, second, second.cookie)).body.userId, r.body.userId, 'the same Google account signs into the same account');
  });

  t.test('a replayed code is refused', async (t) => {
    idp.user = { sub: 'g-replay', email: 'replay@example.com', email_verified: true };
    const f = await begin(s);
    t.equal((await callback(s, f, f.cookie)).status, 200);
    const replay = await callback(s, f, f.cookie);
    t.equal(replay.status, 400, 'the same callback again: its state is spent');
    t.equal(replay.body.code, 'OAUTH_STATE_INVALID');
    const g = await begin(s);
    const old = await callback(s, { state: g.state, code: f.code }, g.cookie);
    t.equal(old.status, 401, 'the old code with a fresh state: the provider refuses it');
    t.equal(old.body.code, 'OAUTH_FAILED');
  });

  t.test('a wrong state, or a state without its cookie, is refused', async (t) => {
    const f = await begin(s);
    const forged = await callback(s, { state: 'forged-state', code: f.code }, f.cookie);
    t.equal(forged.status, 400);
    t.equal(forged.body.code, 'OAUTH_STATE_INVALID');
    const g = await begin(s);
    t.equal((await callback(s, g)).body.code, 'OAUTH_STATE_INVALID', 'no cookie: a login CSRF attempt');
    t.equal((await callback(s, g, g.cookie)).body.code, 'OAUTH_STATE_INVALID', 'and the state is spent by the failed try');
    t.equal((await api(s.http, 'GET', '/api/v1/auth/google/callback?state=x')).body.code, 'VALIDATION_FAILED');
    t.equal((await api(s.http, 'GET', '/api/v1/auth/google/callback?error=access_denied&state=x')).body.code, 'OAUTH_FAILED');
  });

  t.test('ID tokens with a wrong nonce, a foreign key or another audience are refused; nothing is created', async (t) => {
    const spoils = [{ nonce: 'not-the-nonce' }, { foreignKey: true }, { audience: 'another-client' }];
    for (const spoil of spoils) {
      idp.user = { sub: `g-spoiled-${Object.keys(spoil)[0]}`, email: `spoiled-${Object.keys(spoil)[0]}@example.com`, email_verified: true };
      idp.spoil = spoil;
      const f = await begin(s);
      const r = await callback(s, f, f.cookie);
      t.equal(r.status, 401, JSON.stringify(spoil));
      t.equal(r.body.code, 'OAUTH_FAILED');
      t.equal(await s.stores.accounts.byGoogleSubject(idp.user.sub), null, 'no account');
    }
    idp.spoil = {};
  });

  t.test('accounts are linked by verified email only', async (t) => {
    const a = await newUser(s);
    idp.user = { sub: 'g-unverified', email: a.person.email, email_verified: false };
    let f = await begin(s);
    const refused = await callback(s, f, f.cookie);
    t.equal(refused.body.code, 'OAUTH_FAILED', 'an unverified email links nothing');
    t.equal((await me(s, a.access)).body.googleLinked, false);

    idp.user = { sub: 'g-linked', email: a.person.email.toUpperCase(), email_verified: true };
    f = await begin(s);
    const linked = await callback(s, f, f.cookie);
    t.equal(linked.status, 200);
    t.equal(linked.body.userId, a.userId, 'the existing account, linked');
    t.match((await me(s, a.access)).body, { googleLinked: true, hasPassword: true });
  });
});

t.test('Google sign-in is off, with a clear code, when not configured', async (t) => {
  const s = await backends[0].start(t);
  if (s === null) return;
  const r = await api(s.http, 'GET', '/api/v1/auth/google/start');
  t.equal(r.status, 501);
  t.equal(r.body.code, 'OAUTH_NOT_CONFIGURED');
  t.equal((await api(s.http, 'GET', '/api/v1/auth/google/callback?code=a&state=b')).body.code, 'OAUTH_NOT_CONFIGURED');
});

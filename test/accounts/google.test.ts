// Google sign-in against a loopback identity provider that signs real ID tokens with its own key, on
// SQLite and MariaDB: the happy path (a new account, then a first password), linking by verified email
// (the account keeps its password and sessions: its email was proven at signup), a stranger's signup
// with someone else's email (never an account, so the owner's Google sign-in makes theirs), and every
// refusal: wrong state, a state without its browser cookie, a wrong nonce, a replayed code, a token
// signed by another key or for another audience, an unverified email; and the feature off when
// unconfigured.
import t from 'tap';
import { api } from '../gateway/harness.ts';
import { backends, login, me, newUser, person, signup, verificationToken, verify } from './helpers.ts';
import { begin, callback, CLIENT, FakeIdp, googleSignIn } from './fake-idp.ts';

for (const backend of backends) {
  t.test(`Google sign-in (${backend.name})`, async (t) => {
    const idp = await FakeIdp.start();
    t.teardown(() => idp.close());
    const s = await backend.start(t, idp.env());
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
      t.match((await me(s, linked.body.accessToken)).body, { googleLinked: true, hasPassword: true }, 'its password stays: its email was proven at signup');
      t.equal((await me(s, a.access)).status, 200, 'and so do its sessions');
      t.equal((await login(s, a.person.email, a.person.password)).status, 200, 'the password still signs in');
    });

    t.test('a stranger cannot pre-register the owner\'s email: their signup never becomes an account, and the owner\'s Google sign-in makes one', async (t) => {
      // The stranger signs up with the victim's address and a password of theirs.
      const email = `victim-${Date.now()}@example.com`;
      const stranger = person({ email, password: 'the stranger\'s passphrase' });
      t.equal((await signup(s, stranger)).status, 202);
      t.equal((await login(s, email, stranger.password)).body.code, 'INVALID_CREDENTIALS', 'no account: the email is not proven');
      // The link went to the victim's mailbox, which the stranger cannot read (the test can).
      const token = await verificationToken(s, email);
      t.equal((await verify(s, { token, password: 'the victim guesses' })).body.code, 'VERIFICATION_FAILED',
        'a victim who opens the link cannot complete the stranger\'s signup without the stranger\'s password');

      const victim = await googleSignIn(s, idp, { sub: 'g-victim', email, email_verified: true });
      t.equal(victim.status, 200, JSON.stringify(victim.body));
      const mine = await me(s, victim.body.accessToken);
      t.match(mine.body, { id: victim.body.userId, email, googleLinked: true, hasPassword: false, emailVerifiedAt: Number }, 'a new account, the victim\'s');
      t.not(mine.body.nickname, stranger.nickname, 'nothing of the stranger\'s signup in it');

      // Even with the link and the password, the stranger's registration cannot attach to it now.
      t.equal((await verify(s, { token, password: stranger.password })).body.code, 'VERIFICATION_FAILED', 'the email has an account');
      t.equal((await login(s, email, stranger.password)).body.code, 'INVALID_CREDENTIALS', 'the stranger\'s password opens nothing');
      t.equal((await api(s.http, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: victim.body.refreshToken } })).status, 200, 'the owner\'s session works');
      const set = await api(s.http, 'POST', '/api/v1/accounts/me/password', { token: victim.body.accessToken, body: { newPassword: 'the owner\'s own passphrase' } });
      t.equal(set.status, 204, 'and the owner may set a password of their own');
      t.equal((await login(s, email, 'the owner\'s own passphrase')).body.userId, victim.body.userId);
    });
  });
}

t.test('Google sign-in is off, with a clear code, when not configured', async (t) => {
  const s = await backends[0].start(t);
  if (s === null) return;
  const r = await api(s.http, 'GET', '/api/v1/auth/google/start');
  t.equal(r.status, 501);
  t.equal(r.body.code, 'OAUTH_NOT_CONFIGURED');
  t.equal((await api(s.http, 'GET', '/api/v1/auth/google/callback?code=a&state=b')).body.code, 'OAUTH_NOT_CONFIGURED');
});

// Signup proves the email before any account exists, over real HTTP on SQLite and MariaDB. A signup
// followed by a sign-in with the password just chosen cannot tell a registered email from a new one;
// the verification link works once, with the signup's password, and a used, expired, forged or
// superseded token changes nothing; a registered email gets a notice and no second account; signups,
// their mails and failed verifications are limited.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { PasswordHasher } from '../../app/accounts/password.ts';
import { verificationTokenHash } from '../../app/accounts/service.ts';
import { api } from '../gateway/harness.ts';
import {
  backends, login, mailTo, me, newUser, person, signup, verificationToken, verify, type Server,
} from './helpers.ts';

const HOUR = 3_600_000;

/** Everything a client sees of an answer but the request id: status, type and body. */
const seen = (r: { status: number; type: string; body: unknown }) => ({ status: r.status, type: r.type, body: r.body });

for (const backend of backends) {
  t.test(`email verification (${backend.name})`, async (t) => {
    const s = await backend.start(t, { PUBLIC_BASE_URL: 'https://okj.example/app/', MAIL_FROM: 'Okjangpan <no-reply@okj.example>' });
    if (s === null) return;

    await t.test('signup then sign-in cannot tell a registered email from a new one', async (t) => {
      const owner = await newUser(s);
      const probeNew = person();
      const probeOld = person({ email: owner.person.email, password: 'the prober\'s own passphrase' });
      const [suNew, suOld] = [await signup(s, probeNew), await signup(s, probeOld)];
      t.strictSame(seen(suOld), seen(suNew), 'signup: the same answer');
      t.equal(suNew.status, 202);
      const [liNew, liOld] = [await login(s, probeNew.email, probeNew.password), await login(s, probeOld.email, probeOld.password)];
      t.strictSame(seen(liOld), seen(liNew), 'sign-in right after: the same answer');
      t.match(liNew, { status: 401, body: { code: 'INVALID_CREDENTIALS' } }, 'both INVALID_CREDENTIALS');
      // Only the mailboxes differ, and only their owners read them.
      t.equal((await mailTo(s, probeNew.email, 'verify-email')).to, probeNew.email, 'the new email gets a link');
      const notice = await mailTo(s, owner.person.email, 'already-registered');
      t.match(notice, { from: 'Okjangpan <no-reply@okj.example>', subject: /tried to sign up/ }, 'the registered one a notice');
      t.match(notice.text, 'https://okj.example/app/');
      t.equal((await login(s, owner.person.email, owner.person.password)).status, 200, 'the owner\'s password is untouched');
    });

    await t.test('the link works once, with the signup\'s password', async (t) => {
      const p = person();
      await signup(s, p);
      const m = await mailTo(s, p.email, 'verify-email');
      t.match(m, { from: 'Okjangpan <no-reply@okj.example>', to: p.email, subject: /Confirm your email/ });
      const link = /https:\/\/okj\.example\/app\/verify-email#token=([A-Za-z0-9_-]{43})/.exec(m.text);
      t.ok(link, 'a link under PUBLIC_BASE_URL, the token in its fragment');
      const token = link![1];

      const wrong = await verify(s, { token, password: 'not the signup password' });
      t.match(wrong, { status: 400, body: { code: 'VERIFICATION_FAILED' } }, 'the link alone is not enough');
      t.equal(await s.stores.accounts.byEmail(p.email), null, 'nothing made');
      const ok = await verify(s, { token, password: p.password });
      t.equal(ok.status, 200, 'the right password: the token was not spent by the failure');
      t.match(ok.body, { tokenType: 'Bearer', accessToken: String, refreshToken: String, role: 'USER', userId: String });
      t.match((await me(s, ok.body.accessToken)).body, { email: p.email, nickname: p.nickname, hasPassword: true, emailVerifiedAt: Number });
      t.equal((await login(s, p.email, p.password)).status, 200, 'and the password signs in');

      const reused = await verify(s, { token, password: p.password });
      t.match(reused, { status: 400, body: { code: 'VERIFICATION_FAILED' } }, 'a used token');
      t.equal((await me(s, ok.body.accessToken)).status, 200, 'the account and its session stay as they were');
    });

    await t.test('forged and expired tokens are refused alike, and change nothing', async (t) => {
      const forged = await verify(s, { token: 'A'.repeat(43), password: 'whatever it may be' });
      const malformed = await verify(s, { token: '<script>', password: 'whatever it may be' });
      t.match(forged, { status: 400, body: { code: 'VERIFICATION_FAILED' } });
      t.strictSame(seen(malformed), seen(forged), 'a malformed token gets the very same answer');

      // An expired registration, written through the store as signup would have 25 hours ago.
      const p = person();
      const token = 'expired-token-0123456789abcdefghijklmnopqrstuv';
      const now = Date.now();
      await s.stores.accounts.addRegistration({
        tokenHash: verificationTokenHash(token), email: p.email, passwordHash: await new PasswordHasher({ memoryKib: 256, passes: 1 }).hash(p.password),
        nickname: p.nickname, name: p.name, gender: p.gender, ageBand: p.ageBand, region: p.region, phone: null, preferredCategory: null,
        payoutAccount: null, createdAt: now - 25 * HOUR, expiresAt: now - HOUR,
      });
      const expired = await verify(s, { token, password: p.password });
      t.strictSame(seen(expired), seen(forged), 'an expired token, with the right password: the same answer');
      t.equal(await s.stores.accounts.byEmail(p.email), null, 'no account');
      t.equal((await login(s, p.email, p.password)).body.code, 'INVALID_CREDENTIALS');
    });

    await t.test('a registered email gets a notice, and no second account', async (t) => {
      const a = await newUser(s);
      const before = s.mail.sent.length;
      const again = await signup(s, person({ email: a.person.email.toUpperCase(), password: 'a second passphrase' }));
      t.equal(again.status, 202);
      const notice = await mailTo(s, a.person.email, 'already-registered');
      t.notMatch(notice.text, /token=/, 'nothing to verify in it');
      await s.server.accounts.settled();
      t.strictSame(s.mail.sent.slice(before).map((m) => [m.to, m.kind]), [[a.person.email, 'already-registered']], 'the only mail: no link went out');
      t.equal((await s.stores.accounts.byEmail(a.person.email))?.id, a.userId, 'the one account');
      t.equal((await login(s, a.person.email, 'a second passphrase')).status, 401);
    });

    await t.test('two pending signups of one email: the first verified wins, the other\'s token then fails', async (t) => {
      const first = person();
      const second = person({ email: first.email, password: 'the other passphrase' });
      await signup(s, first);
      const t1 = await verificationToken(s, first.email);
      await signup(s, second);
      const t2 = await verificationToken(s, first.email);
      t.not(t1, t2, 'each signup mails its own link');
      const won = await verify(s, { token: t2, password: second.password });
      t.equal(won.status, 200, 'the later one, verified first, wins');
      t.match((await me(s, won.body.accessToken)).body, { nickname: second.nickname });
      const lost = await verify(s, { token: t1, password: first.password });
      t.match(lost, { status: 400, body: { code: 'VERIFICATION_FAILED' } }, 'the other token is dead');
      t.equal((await login(s, first.email, first.password)).status, 401, 'its password opens nothing');
      t.equal((await s.stores.accounts.byEmail(first.email))?.id, won.body.userId);
    });

    await t.test('a nickname taken between signup and verification: NICKNAME_TAKEN, and the token still works', async (t) => {
      const p = person();
      await signup(s, p);
      const token = await verificationToken(s, p.email);
      await newUser(s, { nickname: p.nickname });
      const taken = await verify(s, { token, password: p.password });
      t.match(taken, { status: 409, body: { code: 'NICKNAME_TAKEN' } });
      t.equal((await signup(s, person({ nickname: p.nickname }))).body.code, 'NICKNAME_TAKEN', 'signup says so for the same nickname, whatever the email');
      const other = await verify(s, { token, password: p.password, nickname: `${p.nickname}_2`.slice(0, 20) });
      t.equal(other.status, 200);
      t.match((await me(s, other.body.accessToken)).body, { email: p.email, nickname: `${p.nickname}_2`.slice(0, 20) });
    });

    await t.test('a withdrawn account\'s email signs up and verifies anew', async (t) => {
      const a = await newUser(s);
      t.equal((await api(s.http, 'DELETE', '/api/v1/accounts/me', { token: a.access, body: { password: a.person.password } })).status, 200);
      await signup(s, person({ email: a.person.email }));
      const v = await verify(s, { token: await verificationToken(s, a.person.email), password: a.person.password });
      t.equal(v.status, 200);
      t.not(v.body.userId, a.userId, 'a new account');
    });
  });
}

t.test('signups, signup mails and failed verifications are limited', async (t) => {
  const s = (await backends[0].start(t, {
    TRUST_PROXY: '1', SIGNUP_MAX_PER_ADDRESS: '3', SIGNUP_MAX_MAILS_PER_EMAIL: '2', VERIFY_MAX_FAILURES_PER_ADDRESS: '2', SIGNUP_WINDOW_SECONDS: '60',
  })) as Server;
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  await t.test('per client address', async (t) => {
    for (let i = 1; i <= 3; i++) t.equal((await signup(s, person(), from('10.1.0.1'))).status, 202, `signup ${i}`);
    const held = await signup(s, person(), from('10.1.0.1'));
    t.match(held, { status: 429, body: { code: 'TOO_MANY_ATTEMPTS', retryAfter: Number } });
    t.equal((await signup(s, person(), from('10.1.0.2'))).status, 202, 'another address is not held');
  });

  await t.test('mails per email: past the limit signup answers the same and mails nothing, registered or not', async (t) => {
    const fresh = person();
    const owner = person();
    const at = Date.now();
    await s.stores.accounts.create({
      id: randomUUID(), email: owner.email, passwordHash: null, googleSubject: null, emailVerifiedAt: at, nickname: owner.nickname, name: owner.name,
      gender: null, ageBand: null, region: null, phone: null, preferredCategory: null, payoutAccount: null, role: 'USER', status: 'ACTIVE',
      createdAt: at, updatedAt: at, withdrawnAt: null,
    });
    for (const p of [fresh, { ...person(), email: owner.email }]) {
      const answers = [];
      for (let i = 1; i <= 3; i++) answers.push(seen(await signup(s, { ...p, nickname: person().nickname }, from(`10.2.${i}.1`))));
      t.strictSame(answers[2], answers[0], 'the third answer is the first\'s');
      await s.server.accounts.settled();
      const mails = s.mail.sent.filter((m) => m.to === p.email && m.kind === (p === fresh ? 'verify-email' : 'already-registered'));
      t.equal(mails.length, 2, `${p === fresh ? 'new' : 'registered'} email: two mails, not three`);
    }
  });

  await t.test('failed verifications per client address', async (t) => {
    const p = person();
    await signup(s, p, from('10.3.0.9'));
    const token = await verificationToken(s, p.email);
    for (let i = 1; i <= 2; i++) t.equal((await verify(s, { token: `forged-${i}`, password: p.password }, from('10.3.0.1'))).body.code, 'VERIFICATION_FAILED');
    const held = await verify(s, { token, password: p.password }, from('10.3.0.1'));
    t.match(held, { status: 429, body: { code: 'TOO_MANY_ATTEMPTS' } }, 'held, even with the right token');
    t.equal((await verify(s, { token, password: p.password }, from('10.3.0.2'))).status, 200, 'another address verifies');
  });
});

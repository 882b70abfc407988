// The AccountStore (accounts and pending registrations) and SessionStore contract, run against every
// adapter: memory, SQLite, MariaDB.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { accountFromRegistration, type Account, type PendingRegistration, type Session } from '../../storage/accounts/ports.ts';
import { accountSubjects } from '../helpers/stores.ts';

const T0 = 1_800_000_000_000;

function account(over: Partial<Account> = {}): Account {
  const id = randomUUID();
  return {
    id, email: `${id}@example.com`, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', googleSubject: null, emailVerifiedAt: T0,
    nickname: `n-${id.slice(0, 8)}`, name: '김민지 Kim', gender: 'FEMALE', ageBand: '30s', region: 'SEOUL', phone: '010-1234-5678',
    preferredCategory: 'electronics', payoutAccount: '110-123-456789', role: 'USER', status: 'ACTIVE',
    createdAt: T0, updatedAt: T0, withdrawnAt: null, ...over,
  };
}

function registration(over: Partial<PendingRegistration> = {}): PendingRegistration {
  const id = randomUUID();
  return {
    tokenHash: `th-${id}`, email: `${id}@example.com`, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$cGVuZGluZw',
    nickname: `p-${id.slice(0, 8)}`, name: 'Lee Seo-yeon', gender: 'OTHER', ageBand: '20s', region: 'BUSAN', phone: null,
    preferredCategory: 'books', payoutAccount: null, createdAt: T0, expiresAt: T0 + 86_400_000, ...over,
  };
}

function session(userId: string, over: Partial<Session> = {}): Session {
  return { id: randomUUID(), userId, createdAt: T0, expiresAt: T0 + 30 * 86_400_000, revokedAt: null, ...over };
}

for (const subject of accountSubjects()) {
  t.test(subject.name, async (t) => {
    const s = await subject.open(t);
    if (s === null) return;
    const { accounts, sessions } = s;

    await t.test('an account round-trips whole; lookups by id, email and Google subject', async (t) => {
      const a = account({ googleSubject: `g-${randomUUID()}` });
      t.equal(await accounts.create(a), 'created');
      t.strictSame(await accounts.byId(a.id), a);
      t.strictSame(await accounts.byEmail(a.email as string), a);
      t.strictSame(await accounts.byGoogleSubject(a.googleSubject as string), a);
      t.equal(await accounts.byId('nobody'), null);
      t.equal(await accounts.byEmail('nobody@example.com'), null);
    });

    await t.test('email, nickname and Google subject are unique; a taken nickname is told first', async (t) => {
      const a = account({ googleSubject: `g-${randomUUID()}` });
      await accounts.create(a);
      t.equal(await accounts.create(account({ email: a.email })), 'email-taken');
      t.equal(await accounts.create(account({ nickname: a.nickname })), 'nickname-taken');
      t.equal(await accounts.create(account({ email: a.email, nickname: a.nickname })), 'nickname-taken', 'nickname first: no hint about the email');
      t.equal(await accounts.create(account({ googleSubject: a.googleSubject })), 'google-taken');
      t.equal(await accounts.create(account({ email: (a.email as string).toUpperCase() })), 'created', 'emails are stored as given (the service lower-cases them)');
    });

    await t.test('profile updates, password, Google link and role', async (t) => {
      const a = account({ passwordHash: null, emailVerifiedAt: null });
      const b = account();
      await accounts.create(a);
      await accounts.create(b);
      t.equal(await accounts.updateProfile(a.id, { nickname: `x-${a.id.slice(0, 6)}`, phone: null, region: 'JEJU' }, T0 + 1), 'updated');
      t.match(await accounts.byId(a.id), { nickname: `x-${a.id.slice(0, 6)}`, phone: null, region: 'JEJU', updatedAt: T0 + 1, name: a.name });
      t.equal(await accounts.updateProfile(a.id, { nickname: b.nickname }, T0 + 2), 'nickname-taken');
      t.equal(await accounts.updateProfile('nobody', { name: 'x' }, T0), 'missing');
      t.equal(await accounts.setPasswordHash(a.id, '$argon2id$new', T0 + 3, b.passwordHash), false, 'not over a password it does not have');
      t.equal(await accounts.setPasswordHash(a.id, '$argon2id$new', T0 + 3, null), true, 'a first password');
      t.equal(await accounts.setPasswordHash(a.id, '$argon2id$other', T0 + 3, null), false, 'a second "first" password loses');
      t.equal(await accounts.setPasswordHash(a.id, '$argon2id$newer', T0 + 3, '$argon2id$new'), true, 'over the one it replaces');
      t.equal((await accounts.byId(a.id))?.passwordHash, '$argon2id$newer');
      const sub = `g-${randomUUID()}`;
      t.equal(await accounts.linkGoogle(a.id, sub, T0 + 4), 'linked');
      t.match(await accounts.byId(a.id), { passwordHash: '$argon2id$newer', emailVerifiedAt: T0 + 4, googleSubject: sub }, 'the link keeps the password and proves the email');
      t.equal(await accounts.linkGoogle(a.id, `g-${randomUUID()}`, T0 + 4), 'missing', 'an account links one Google subject');
      t.equal(await accounts.linkGoogle(b.id, sub, T0 + 4), 'google-taken');
      t.equal((await accounts.byId(b.id))?.passwordHash, b.passwordHash, 'a refused link leaves the password');
      const c = account();
      await accounts.create(c);
      t.equal(await accounts.linkGoogle(c.id, `g-${randomUUID()}`, T0 + 6), 'linked');
      t.equal((await accounts.byId(c.id))?.emailVerifiedAt, T0, 'an email proven before keeps its time');
      t.equal((await accounts.byNickname(b.nickname))?.id, b.id, 'by nickname');
      t.equal(await accounts.byNickname('nobody-at-all'), null);
      t.equal((await accounts.byGoogleSubject(sub))?.id, a.id);
      t.equal(await accounts.setRole(a.id, 'ADMIN', T0 + 5), true);
      t.equal((await accounts.byId(a.id))?.role, 'ADMIN');
      t.equal(await accounts.setRole('nobody', 'ADMIN', T0), false);
    });

    await t.test('withdrawal scrubs personal data, keeps the row, and frees email, nickname and subject', async (t) => {
      const a = account({ googleSubject: `g-${randomUUID()}` });
      await accounts.create(a);
      t.equal(await accounts.withdraw(a.id, T0 + 9), true);
      t.equal(await accounts.withdraw(a.id, T0 + 10), false, 'once');
      t.strictSame(await accounts.byId(a.id), {
        id: a.id, email: null, passwordHash: null, googleSubject: null, emailVerifiedAt: null, nickname: '', name: '', gender: null, ageBand: null, region: null,
        phone: null, preferredCategory: null, payoutAccount: null, role: 'USER', status: 'WITHDRAWN', createdAt: T0, updatedAt: T0 + 9, withdrawnAt: T0 + 9,
      });
      t.equal(await accounts.byEmail(a.email as string), null);
      t.equal(await accounts.byNickname(a.nickname), null, 'the nickname is free');
      t.equal(await accounts.updateProfile(a.id, { name: 'back' }, T0 + 11), 'missing', 'a withdrawn account cannot be changed');
      t.equal(await accounts.setRole(a.id, 'ADMIN', T0 + 11), false);
      const b = account({ email: a.email, nickname: a.nickname, googleSubject: a.googleSubject });
      t.equal(await accounts.create(b), 'created', 'all free again');
      const c = account();
      await accounts.create(c);
      t.equal(await accounts.withdraw(c.id, T0 + 12), true, 'two withdrawn accounts side by side (both NULL in the unique indexes)');
    });

    await t.test('a pending registration is no account; confirming it makes one, once, and drops its email\'s others', async (t) => {
      const r1 = registration();
      const r2 = registration({ email: r1.email, nickname: `q-${randomUUID().slice(0, 8)}`, createdAt: T0 + 1 });
      await accounts.addRegistration(r1);
      await accounts.addRegistration(r2);
      t.strictSame(await accounts.findRegistration(r1.tokenHash, T0 + 5), r1, 'round-trips whole');
      t.strictSame(await accounts.findRegistration(r2.tokenHash, T0 + 5), r2, 'several wait for one email');
      t.equal(await accounts.findRegistration(r1.tokenHash, r1.expiresAt), null, 'not once expired');
      t.equal(await accounts.findRegistration('th-unknown', T0), null);
      t.equal(await accounts.byEmail(r1.email), null, 'no account yet');
      t.equal(await accounts.byNickname(r1.nickname), null, 'and its nickname is not held');

      const id = randomUUID();
      const r = await accounts.confirmRegistration(r1.tokenHash, { id, at: T0 + 10 });
      const expected = accountFromRegistration(r1, { id, at: T0 + 10 });
      t.strictSame(r, { kind: 'created', account: expected });
      t.match(expected, { email: r1.email, passwordHash: r1.passwordHash, nickname: r1.nickname, emailVerifiedAt: T0 + 10, role: 'USER', status: 'ACTIVE', googleSubject: null });
      t.strictSame(await accounts.byId(id), expected, 'stored');
      t.strictSame(await accounts.byEmail(r1.email), expected);
      t.equal(await accounts.findRegistration(r1.tokenHash, T0 + 11), null, 'used up');
      t.equal(await accounts.findRegistration(r2.tokenHash, T0 + 11), null, 'the email\'s other registration is dropped');
      t.strictSame(await accounts.confirmRegistration(r1.tokenHash, { id: randomUUID(), at: T0 + 12 }), { kind: 'invalid' }, 'once');
      t.strictSame(await accounts.confirmRegistration(r2.tokenHash, { id: randomUUID(), at: T0 + 12 }), { kind: 'invalid' });
    });

    await t.test('confirming is refused for a taken email (told first) or nickname, and changes nothing', async (t) => {
      const a = account();
      await accounts.create(a);
      const sameEmail = registration({ email: a.email as string });
      const sameNick = registration({ nickname: a.nickname });
      const both = registration({ email: a.email as string, nickname: a.nickname });
      for (const r of [sameEmail, sameNick, both]) await accounts.addRegistration(r);
      t.strictSame(await accounts.confirmRegistration(sameEmail.tokenHash, { id: randomUUID(), at: T0 + 1 }), { kind: 'email-taken' });
      t.strictSame(await accounts.confirmRegistration(both.tokenHash, { id: randomUUID(), at: T0 + 1 }), { kind: 'email-taken' }, 'the email before the nickname');
      t.strictSame(await accounts.confirmRegistration(sameNick.tokenHash, { id: randomUUID(), at: T0 + 1 }), { kind: 'nickname-taken' });
      t.strictSame(await accounts.findRegistration(sameNick.tokenHash, T0 + 2), sameNick, 'still pending, unchanged');
      t.strictSame(await accounts.findRegistration(sameEmail.tokenHash, T0 + 2), sameEmail);
      t.strictSame(await accounts.byEmail(a.email as string), a, 'the account untouched');
      const other = `o-${randomUUID().slice(0, 8)}`;
      const r = await accounts.confirmRegistration(sameNick.tokenHash, { id: randomUUID(), at: T0 + 3, nickname: other });
      t.match(r, { kind: 'created', account: { nickname: other, email: sameNick.email } }, 'with another nickname');
    });

    await t.test('expired registrations are never confirmed, and are purged', async (t) => {
      const old = registration({ expiresAt: T0 + 5 });
      await accounts.addRegistration(old);
      t.strictSame(await accounts.confirmRegistration(old.tokenHash, { id: randomUUID(), at: T0 + 5 }), { kind: 'invalid' });
      t.equal(await accounts.byEmail(old.email), null, 'no account');
      t.strictSame(await accounts.findRegistration(old.tokenHash, T0), old, 'still there until purged');
      t.ok((await accounts.purgeRegistrations(T0 + 5)) >= 1, 'purged');
      t.equal(await accounts.findRegistration(old.tokenHash, T0), null);
      const older = registration({ expiresAt: T0 + 7 });
      await accounts.addRegistration(older);
      await accounts.addRegistration(registration({ createdAt: T0 + 8 }));
      t.equal(await accounts.findRegistration(older.tokenHash, T0), null, 'adding one purges those expired by its time');
    });

    await t.test('of two confirmations racing for one email, one wins', async (t) => {
      const r1 = registration();
      const r2 = registration({ email: r1.email });
      await accounts.addRegistration(r1);
      await accounts.addRegistration(r2);
      const both = await Promise.all([
        accounts.confirmRegistration(r1.tokenHash, { id: randomUUID(), at: T0 + 1 }),
        accounts.confirmRegistration(r2.tokenHash, { id: randomUUID(), at: T0 + 1 }),
        accounts.confirmRegistration(r1.tokenHash, { id: randomUUID(), at: T0 + 1 }),
      ]);
      t.equal(both.filter((r) => r.kind === 'created').length, 1, JSON.stringify(both.map((r) => r.kind)));
      t.ok(both.every((r) => ['created', 'invalid', 'email-taken'].includes(r.kind)));
      const winner = both.find((r) => r.kind === 'created') as { account: Account };
      t.strictSame(await accounts.byEmail(r1.email), winner.account);
    });

    await t.test('a refresh token rotates once; a spent one revokes its session', async (t) => {
      const sess = session('user-1');
      await sessions.open(sess, `h0-${sess.id}`, T0 + 1000);
      t.strictSame(await sessions.get(sess.id), sess);
      const r1 = await sessions.rotate(`h0-${sess.id}`, `h1-${sess.id}`, T0 + 10, T0 + 2000);
      t.match(r1, { kind: 'rotated', session: { id: sess.id, userId: 'user-1' } });
      const r2 = await sessions.rotate(`h1-${sess.id}`, `h2-${sess.id}`, T0 + 20, T0 + 2000);
      t.equal(r2.kind, 'rotated');
      const reuse = await sessions.rotate(`h0-${sess.id}`, `hx-${sess.id}`, T0 + 30, T0 + 2000);
      t.match(reuse, { kind: 'reused', session: { id: sess.id, revokedAt: T0 + 30 } });
      t.equal((await sessions.get(sess.id))?.revokedAt, T0 + 30, 'the family is revoked');
      t.equal((await sessions.rotate(`h2-${sess.id}`, `h3-${sess.id}`, T0 + 40, T0 + 2000)).kind, 'invalid', 'its newest token too');
      t.equal((await sessions.rotate(`hx-${sess.id}`, `hy-${sess.id}`, T0 + 40, T0 + 2000)).kind, 'invalid', 'nothing was issued for the reuse');
      t.equal((await sessions.rotate('unknown', 'x', T0, T0 + 1)).kind, 'invalid');
    });

    await t.test('expired tokens and sessions do not rotate; a new token never outlives its session', async (t) => {
      const sess = session('user-2', { expiresAt: T0 + 500 });
      await sessions.open(sess, `e0-${sess.id}`, T0 + 100);
      t.equal((await sessions.rotate(`e0-${sess.id}`, `e1-${sess.id}`, T0 + 100, T0 + 1000)).kind, 'invalid', 'the token expired');
      const other = session('user-2', { expiresAt: T0 + 500 });
      await sessions.open(other, `f0-${other.id}`, T0 + 1000);
      t.equal((await sessions.rotate(`f0-${other.id}`, `f1-${other.id}`, T0 + 400, T0 + 5000)).kind, 'rotated');
      t.equal((await sessions.rotate(`f1-${other.id}`, `f2-${other.id}`, T0 + 501, T0 + 5000)).kind, 'invalid', 'the session reached its absolute end');
    });

    await t.test('of two rotations of one token at once, exactly one wins', async (t) => {
      const sess = session('user-3');
      await sessions.open(sess, `r0-${sess.id}`, T0 + 1000);
      const both = await Promise.all([
        sessions.rotate(`r0-${sess.id}`, `ra-${sess.id}`, T0 + 1, T0 + 1000),
        sessions.rotate(`r0-${sess.id}`, `rb-${sess.id}`, T0 + 1, T0 + 1000),
      ]);
      t.strictSame(both.map((r) => r.kind).sort(), ['reused', 'rotated']);
    });

    await t.test('revoke one, or all of a user\'s but one', async (t) => {
      const user = `user-${randomUUID()}`;
      const [a, b, c] = [session(user), session(user), session(user)];
      for (const x of [a, b, c]) await sessions.open(x, `k-${x.id}`, T0 + 1000);
      const stranger = session('someone-else');
      await sessions.open(stranger, `k-${stranger.id}`, T0 + 1000);
      t.equal(await sessions.revoke(a.id, T0 + 5), true);
      t.equal(await sessions.revoke(a.id, T0 + 6), false, 'once');
      t.equal((await sessions.rotate(`k-${a.id}`, 'k2', T0 + 7, T0 + 1000)).kind, 'invalid');
      t.strictSame(await sessions.revokeAllOf(user, T0 + 8, c.id), [b.id]);
      t.equal((await sessions.get(b.id))?.revokedAt, T0 + 8);
      t.equal((await sessions.get(c.id))?.revokedAt, null, 'the kept one');
      t.equal((await sessions.get(stranger.id))?.revokedAt, null, 'other users untouched');
      t.strictSame(await sessions.revokeAllOf(user, T0 + 9), [c.id]);
      t.equal(await sessions.get('nope'), null);
    });
  });
}

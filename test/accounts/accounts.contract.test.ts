// The AccountStore and SessionStore contract, run against every adapter: memory, SQLite, MariaDB.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { Account, Session } from '../../storage/accounts.ts';
import { accountSubjects } from '../helpers/stores.ts';

const T0 = 1_800_000_000_000;

function account(over: Partial<Account> = {}): Account {
  const id = randomUUID();
  return {
    id, email: `${id}@example.com`, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', googleSubject: null,
    nickname: `n-${id.slice(0, 8)}`, name: '김민지 Kim', gender: 'FEMALE', ageBand: '30s', region: 'SEOUL', phone: '010-1234-5678',
    preferredCategory: 'electronics', payoutAccount: '110-123-456789', role: 'USER', status: 'ACTIVE',
    createdAt: T0, updatedAt: T0, withdrawnAt: null, ...over,
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
      const a = account({ passwordHash: null });
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
      t.equal((await accounts.byId(a.id))?.passwordHash, null, 'the link removes the password nobody proved');
      t.equal(await accounts.linkGoogle(a.id, `g-${randomUUID()}`, T0 + 4), 'missing', 'an account links one Google subject');
      t.equal(await accounts.linkGoogle(b.id, sub, T0 + 4), 'google-taken');
      t.equal((await accounts.byId(b.id))?.passwordHash, b.passwordHash, 'a refused link leaves the password');
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
        id: a.id, email: null, passwordHash: null, googleSubject: null, nickname: '', name: '', gender: null, ageBand: null, region: null,
        phone: null, preferredCategory: null, payoutAccount: null, role: 'USER', status: 'WITHDRAWN', createdAt: T0, updatedAt: T0 + 9, withdrawnAt: T0 + 9,
      });
      t.equal(await accounts.byEmail(a.email as string), null);
      t.equal(await accounts.updateProfile(a.id, { name: 'back' }, T0 + 11), 'missing', 'a withdrawn account cannot be changed');
      t.equal(await accounts.setRole(a.id, 'ADMIN', T0 + 11), false);
      const b = account({ email: a.email, nickname: a.nickname, googleSubject: a.googleSubject });
      t.equal(await accounts.create(b), 'created', 'all free again');
      const c = account();
      await accounts.create(c);
      t.equal(await accounts.withdraw(c.id, T0 + 12), true, 'two withdrawn accounts side by side (both NULL in the unique indexes)');
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

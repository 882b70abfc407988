// The whole life of an account over real HTTP against the real server, on SQLite and on MariaDB:
// signup and its email verification, sign-in, profile, password change, auctions, withdrawal (with its
// auction policy), and the email free again afterwards.
import t from 'tap';
import { api, HOUR, rid } from '../gateway/harness.ts';
import { backends, login, mailTo, me, newUser, person, signup, verificationToken, verify, type Server, type SignedIn } from './helpers.ts';

async function createAuction(s: Server, seller: SignedIn): Promise<string> {
  const now = Date.now();
  const created = await api(s.http, 'POST', '/api/v1/auctions', {
    token: seller.access, key: rid('create'),
    body: { productId: 'p1', startPrice: 10_000, bidUnit: 1_000, startsAt: now, endsAt: now + HOUR },
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const opened = await api(s.http, 'POST', `/api/v1/auctions/${created.body.id}/open`, { token: seller.access, key: rid('open') });
  if (opened.status !== 200) throw new Error(`open: ${opened.status} ${JSON.stringify(opened.body)}`);
  return created.body.id as string;
}

const bid = (s: Server, who: SignedIn, auction: string, amount: number) =>
  api(s.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: who.access, key: rid('bid'), body: { amount } });

for (const backend of backends) {
  t.test(`the life of an account (${backend.name})`, async (t) => {
    const s = await backend.start(t);
    if (s === null) return;

    // Signup mails a link; the account exists once the link's token and the password are sent back.
    const p = person({ email: 'Min.Ji@Example.COM', phone: '010-1234-5678', preferredCategory: 'electronics', payoutAccount: '110-123-456789' });
    const first = await signup(s, p);
    t.equal(first.status, 202);
    t.equal((await login(s, p.email, p.password)).body.code, 'INVALID_CREDENTIALS', 'no account until the email is proven');
    const token = await verificationToken(s, 'min.ji@example.com');
    const verified = await verify(s, { token, password: p.password });
    t.equal(verified.status, 200, JSON.stringify(verified.body));
    t.match(verified.body, { tokenType: 'Bearer', accessToken: String, refreshToken: String, role: 'USER' }, 'verification signs in');
    t.equal((await me(s, verified.body.accessToken)).status, 200);

    // Signup answers the same for a registered email; the owner's mailbox gets a notice; nothing is made.
    const again = await signup(s, { ...p, nickname: 'someone_else', password: 'another long passphrase' });
    t.equal(again.status, 202, 'a registered email gets the same answer');
    t.strictSame(again.body, first.body, 'word for word');
    const notice = await mailTo(s, p.email, 'already-registered');
    t.match(notice, { to: 'min.ji@example.com', subject: /tried to sign up/ });
    t.notMatch(notice.text, /token=/, 'no link to verify anything');
    t.equal((await login(s, 'min.ji@example.com', 'another long passphrase')).status, 401, 'the second signup created nothing');

    const li = await login(s, 'MIN.JI@example.com', p.password);
    t.equal(li.status, 200, 'emails compare case-insensitively');
    t.match(li.body, { tokenType: 'Bearer', expiresIn: 900, role: 'USER', refreshExpiresIn: Number });
    const a: SignedIn = { person: p, userId: li.body.userId, access: li.body.accessToken, refresh: li.body.refreshToken };

    // Profile: read, change, and the payout account shown masked.
    const profile = await me(s, a.access);
    t.equal(profile.status, 200);
    t.match(profile.body, {
      id: a.userId, email: 'min.ji@example.com', nickname: p.nickname, region: 'SEOUL', hasPassword: true, googleLinked: false,
      payoutAccount: '**********6789', emailVerifiedAt: Number,
    });
    t.equal(a.userId, verified.body.userId, 'the account verification made');
    t.notOk('passwordHash' in profile.body, 'never the hash');
    const patched = await api(s.http, 'PATCH', '/api/v1/accounts/me', { token: a.access, body: { nickname: 'minji_2', region: 'BUSAN', phone: null } });
    t.equal(patched.status, 200);
    t.match(patched.body, { nickname: 'minji_2', region: 'BUSAN', phone: null });
    t.equal((await me(s, a.access)).body.nickname, 'minji_2', 'stored');

    // A taken nickname is refused, on signup and on update.
    const b = await newUser(s);
    t.equal((await signup(s, person({ nickname: 'minji_2' }))).body.code, 'NICKNAME_TAKEN');
    t.equal((await api(s.http, 'PATCH', '/api/v1/accounts/me', { token: b.access, body: { nickname: 'minji_2' } })).body.code, 'NICKNAME_TAKEN');

    // Password change: the current one is proven, the new one meets the policy, other sessions end.
    const other = await login(s, p.email, p.password);
    const wrong = await api(s.http, 'PUT', `/api/v1/accounts/${a.userId}/password`, { token: a.access, body: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' } });
    t.equal(wrong.body.code, 'INVALID_CREDENTIALS');
    const weak = await api(s.http, 'PUT', '/api/v1/accounts/me/password', { token: a.access, body: { currentPassword: p.password, newPassword: 'password123' } });
    t.match(weak.body, { status: 400, code: 'WEAK_PASSWORD' });
    const changed = await api(s.http, 'PUT', '/api/v1/accounts/me/password', { token: a.access, body: { currentPassword: p.password, newPassword: 'a brand new passphrase' } });
    t.equal(changed.status, 204);
    t.equal((await me(s, a.access)).status, 200, 'this session goes on');
    t.equal((await me(s, other.body.accessToken)).status, 401, 'the other session ended');
    t.equal((await login(s, p.email, p.password)).status, 401, 'the old password is gone');
    t.equal((await login(s, p.email, 'a brand new passphrase')).status, 200);
    const setAgain = await api(s.http, 'POST', '/api/v1/accounts/me/password', { token: a.access, body: { newPassword: 'yet another passphrase' } });
    t.equal(setAgain.body.code, 'PASSWORD_ALREADY_SET', 'setting a first password is for Google accounts');

    // Withdrawal is refused while A leads an open auction or sells one with bids.
    const mine = await createAuction(s, a); // stays bid-less: canceled at withdrawal
    const bs = await createAuction(s, b);
    t.equal((await bid(s, a, bs, 10_000)).status, 200);
    const blocked = await api(s.http, 'DELETE', '/api/v1/accounts/me', { token: a.access, body: { password: 'a brand new passphrase' } });
    t.equal(blocked.status, 409);
    t.match(blocked.body, { code: 'WITHDRAWAL_BLOCKED', auctions: [bs] });
    const c = await newUser(s);
    t.equal((await bid(s, c, bs, 11_000)).status, 200, 'C takes the lead');
    const noPassword = await api(s.http, 'DELETE', '/api/v1/accounts/me', { token: a.access });
    t.match(noPassword.body, { status: 400, code: 'VALIDATION_FAILED' }, 'withdrawal needs the password again');
    const badPassword = await api(s.http, 'DELETE', '/api/v1/accounts/me', { token: a.access, body: { password: 'wrong wrong wrong' } });
    t.equal(badPassword.body.code, 'INVALID_CREDENTIALS');
    const gone = await api(s.http, 'DELETE', '/api/v1/accounts/me', { token: a.access, body: { password: 'a brand new passphrase' } });
    t.equal(gone.status, 200);
    t.strictSame(gone.body, { status: 'withdrawn', canceledAuctions: [mine] });
    t.equal((await api(s.http, 'GET', `/api/v1/auctions/${mine}`)).body.status, 'CANCELED', 'their bid-less auction is canceled');
    t.equal((await api(s.http, 'GET', `/api/v1/auctions/${bs}`)).body.status, 'OPEN', 'the auction they bid on goes on');

    // After: tokens refused, sign-in refused, personal data scrubbed, the email free for a new account.
    t.equal((await me(s, a.access)).status, 401);
    t.equal((await api(s.http, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: a.refresh } })).status, 401);
    t.equal((await login(s, p.email, 'a brand new passphrase')).body.code, 'INVALID_CREDENTIALS');
    const row = await s.stores.accounts.byId(a.userId);
    t.match(row, {
      id: a.userId, status: 'WITHDRAWN', email: null, passwordHash: null, googleSubject: null, nickname: '', name: '',
      phone: null, payoutAccount: null, preferredCategory: null, gender: null, ageBand: null, region: null, withdrawnAt: Number,
    });
    t.equal((await signup(s, person({ email: p.email, nickname: 'minji_2' }))).status, 202, 'email and nickname are free again');
    t.equal((await verify(s, { token: await verificationToken(s, p.email), password: 'correct horse battery staple' })).status, 200, 'a new link');
    const reborn = await login(s, p.email, 'correct horse battery staple');
    t.equal(reborn.status, 200);
    t.not(reborn.body.userId, a.userId, 'a new account, not the old one');
  });
}

// Access and refresh tokens over real HTTP and sockets: forged and broken access tokens are refused;
// refresh tokens rotate and a reused one revokes its session; logout ends a session on HTTP and on
// sockets, new and already open. On SQLite and MariaDB.
import { generateKeyPair, SignJWT, UnsecuredJWT, decodeJwt } from 'jose';
import t from 'tap';
import { signAccessToken } from '../../app/accounts/tokens.ts';
import { api, Client, HOUR, openAuction, rid, SECRET } from '../gateway/harness.ts';
import { backends, me, newUser } from './helpers.ts';

const encoder = new TextEncoder();

for (const backend of backends) {
  t.test(`forged, broken and misdirected access tokens are refused (${backend.name})`, async (t) => {
    const s = await backend.start(t);
    if (s === null) return;
    const a = await newUser(s);
    const b = await newUser(s);
    const { sid } = decodeJwt(a.access);
    const claims = { sid, role: 'user' };
    const now = Math.floor(Date.now() / 1000);
    const signed = (alg: string, key: Uint8Array | CryptoKey, o: { aud?: string; iss?: string } = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).setSubject(a.userId).setIssuer(o.iss ?? 'okjangpan')
        .setAudience(o.aud ?? 'okjangpan-api').setIssuedAt(now).setExpirationTime(now + 600).sign(key);
    const rsa = await generateKeyPair('RS256');
    const [h, p, sig] = a.access.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: b.userId })).toString('base64url')}.${sig}`;
    const adminified = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url')}.${sig}`;

    t.equal((await me(s, a.access)).status, 200, 'the genuine token works');
    t.equal((await me(s, await signed('HS256', encoder.encode(SECRET)))).status, 200, 'and so does one we sign the same way');
    const cases: [string, string][] = [
      ['alg none', new UnsecuredJWT(claims).setSubject(a.userId).setIssuer('okjangpan').setAudience('okjangpan-api').setExpirationTime(now + 600).encode()],
      ['a wrong key', await signed('HS256', encoder.encode('another-secret-that-is-long-enough-for-hs256'))],
      ['another algorithm (HS512, same secret)', await signed('HS512', encoder.encode(SECRET.repeat(2)))],
      ['another algorithm (RS256, its own key)', await signed('RS256', rsa.privateKey)],
      ['a wrong audience', await signed('HS256', encoder.encode(SECRET), { aud: 'someone-else' })],
      ['a wrong issuer', await signed('HS256', encoder.encode(SECRET), { iss: 'evil' })],
      ['expired', await signAccessToken(s.server.keys, a.userId, { sessionId: sid as string, ttlSeconds: -60 })],
      ['tampered subject', tampered],
      ['tampered role', adminified],
      ['a session that does not exist', await signAccessToken(s.server.keys, a.userId, { sessionId: 'no-such-session' })],
      ['garbage', 'not.a.jwt'],
    ];
    for (const [what, token] of cases) {
      const r = await me(s, token);
      t.equal(r.status, 401, `HTTP: ${what}`);
      t.equal(r.body.code, 'UNAUTHENTICATED', `HTTP: ${what}: code`);
      t.match(r.type, /application\/problem\+json/);
    }
    // And on the socket, the same verifier.
    for (const [what, token] of cases.slice(0, 4)) {
      const c = await Client.open(s.ws);
      c.send({ t: 'auth', token });
      t.equal((await c.type('error')).code, 'UNAUTHENTICATED', `socket: ${what}`);
      await c.close();
    }
  });
}

for (const backend of backends) {
  t.test(`refresh tokens rotate; a reused one revokes its whole session (${backend.name})`, async (t) => {
    const s = await backend.start(t);
    if (s === null) return;
    const a = await newUser(s);
    const refresh = (token: string) => api(s.http, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: token } });

    const r1 = await refresh(a.refresh);
    t.equal(r1.status, 200);
    t.not(r1.body.refreshToken, a.refresh, 'a new refresh token every time');
    t.equal(decodeJwt(r1.body.accessToken).sid, decodeJwt(a.access).sid, 'same session');
    const r2 = await refresh(r1.body.refreshToken);
    t.equal(r2.status, 200, 'the new one works once');
    t.equal((await me(s, r2.body.accessToken)).status, 200);

    // Replaying a spent token: refused, and the whole family dies with it.
    const replay = await refresh(a.refresh);
    t.equal(replay.status, 401);
    t.equal(replay.body.code, 'REFRESH_TOKEN_INVALID');
    t.equal((await refresh(r2.body.refreshToken)).status, 401, 'the newest refresh token of the family is revoked');
    t.equal((await me(s, r2.body.accessToken)).status, 401, 'and its access tokens');
    t.equal((await me(s, a.access)).status, 401);

    // Another session of the same user is untouched; unknown tokens are refused.
    const other = await newUser(s);
    t.equal((await me(s, other.access)).status, 200);
    t.equal((await refresh('x'.repeat(43))).body.code, 'REFRESH_TOKEN_INVALID');

    // Two rotations of one token at once: exactly one wins, and the loser counts as reuse.
    const c = await newUser(s);
    const both = await Promise.all([refresh(c.refresh), refresh(c.refresh)]);
    t.strictSame(both.map((r) => r.status).sort(), [200, 401]);
  });
}

for (const backend of backends) {
  t.test(`logout: the old access token is refused on HTTP, on a new socket, and for bids on an open one (${backend.name})`, async (t) => {
    const s = await backend.start(t);
    if (s === null) return;
    const a = await newUser(s);
    const auction = await openAuction(s, 'seller-1', { startsAt: Date.now(), endsAt: Date.now() + HOUR });

    const open = await Client.open(s.ws, { token: a.access });
    t.equal((await open.type('authed')).userId, a.userId);
    t.equal((await open.command({ t: 'bid', rid: rid(), auction, amount: 10_000 })).ok, true, 'bids before logout');

    const out = await api(s.http, 'POST', '/api/v1/auth/logout', { token: a.access });
    t.equal(out.status, 204);
    t.match(await me(s, a.access), { status: 401, body: { code: 'SESSION_REVOKED' } }, 'HTTP refuses it');
    t.equal((await api(s.http, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: a.refresh } })).status, 401, 'the refresh token died too');

    const fresh = await Client.open(s.ws, { token: a.access });
    t.equal((await fresh.type('error')).code, 'SESSION_REVOKED', 'a new socket refuses it on the upgrade');
    fresh.send({ t: 'auth', token: a.access });
    t.equal((await fresh.type('error')).code, 'SESSION_REVOKED', 'and in an auth frame');
    const late = await open.command({ t: 'bid', rid: rid(), auction, amount: 20_000 });
    t.match(late, { t: 'error', code: 'SESSION_REVOKED' }, 'the socket opened before logout can no longer bid');
    await Promise.all([open.close(), fresh.close()]);

    t.equal((await api(s.http, 'POST', '/api/v1/auth/logout', { token: a.access })).status, 401, 'logging out twice is refused');
  });
}

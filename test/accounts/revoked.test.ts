// A token whose session was revoked (logout, withdrawal) is refused with SESSION_REVOKED, saying so, on
// HTTP and on sockets (one opened before, one opened after, an auth frame), never as "expired"; an
// expired token or an unknown session is still UNAUTHENTICATED. On SQLite and MariaDB.
import { decodeJwt } from 'jose';
import t, { type Test } from 'tap';
import { signAccessToken } from '../../app/accounts/tokens.ts';
import { api, Client, HOUR, openAuction, rid } from '../gateway/harness.ts';
import { backends, me, newUser, type Server, type SignedIn } from './helpers.ts';

const REVOKED = { code: 'SESSION_REVOKED', message: /revoked/ };

/** `end` revokes the session of `who`, whose socket `open` was authenticated before: every use of the token now says so. */
async function refusedAsRevoked(t: Test, s: Server, who: SignedIn, end: () => Promise<number>): Promise<void> {
  const auction = await openAuction(s, 'seller-1', { startsAt: Date.now(), endsAt: Date.now() + HOUR });
  const open = await Client.open(s.ws, { token: who.access });
  t.teardown(() => open.close());
  t.equal((await open.type('authed')).userId, who.userId);
  t.equal((await open.command({ t: 'bid', rid: rid(), auction, amount: 10_000 })).ok, true, 'bids before');
  // Outbid, so that withdrawal is not blocked by a lead.
  const rival = await api(s.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: await s.token('rival'), key: rid(), body: { amount: 11_000 } });
  t.match(rival.body, { ok: true, leading: true });

  t.equal(await end(), 200, 'the session is ended');

  const bidRid = rid();
  const late = await open.command({ t: 'bid', rid: bidRid, auction, amount: 20_000 });
  t.match(late, { t: 'error', rid: bidRid, ...REVOKED }, 'the socket opened before');
  t.notMatch(late.message, /expired/);

  const http = await me(s, who.access);
  t.match(http, { status: 401, type: /application\/problem\+json/, body: { status: 401, code: 'SESSION_REVOKED', detail: /revoked/ } }, 'HTTP');

  const fresh = await Client.open(s.ws, { token: who.access });
  t.teardown(() => fresh.close());
  t.match(await fresh.type('error'), REVOKED, 'a new socket, token on the upgrade');
  fresh.send({ t: 'auth', token: who.access });
  t.match(await fresh.type('error'), REVOKED, 'an auth frame');
  const anonymous = rid();
  t.match(await fresh.command({ t: 'bid', rid: anonymous, auction, amount: 20_000 }), { code: 'UNAUTHENTICATED', rid: anonymous }, 'and it stays anonymous');
}

for (const backend of backends) {
  t.test(`after logout (${backend.name})`, async (t) => {
    const s = await backend.start(t);
    if (s === null) return;
    const a = await newUser(s);
    await refusedAsRevoked(t, s, a, async () => {
      const r = await api(s.http, 'POST', '/api/v1/auth/logout', { token: a.access });
      return r.status === 204 ? 200 : r.status;
    });
  });

  t.test(`after withdrawal (${backend.name})`, async (t) => {
    const s = await backend.start(t);
    if (s === null) return;
    const a = await newUser(s);
    await refusedAsRevoked(t, s, a, async () => (await api(s.http, 'DELETE', '/api/v1/accounts/me', { token: a.access, body: { password: a.person.password } })).status);
  });

  t.test(`an expired token and an unknown session are still UNAUTHENTICATED (${backend.name})`, async (t) => {
    const s = await backend.start(t);
    if (s === null) return;
    const a = await newUser(s);
    const sid = decodeJwt(a.access).sid as string;
    const expired = await signAccessToken(s.server.keys, a.userId, { sessionId: sid, ttlSeconds: -60 });
    t.match(await me(s, expired), { status: 401, body: { code: 'UNAUTHENTICATED', detail: /expired/ } });
    const unknown = await signAccessToken(s.server.keys, a.userId, { sessionId: 'no-such-session' });
    t.match(await me(s, unknown), { status: 401, body: { code: 'UNAUTHENTICATED' } });
    const c = await Client.open(s.ws);
    t.teardown(() => c.close());
    c.send({ t: 'auth', token: unknown });
    t.match(await c.type('error'), { code: 'UNAUTHENTICATED' }, 'on the socket too');
  });
}

// The SDK against the real server (a child process): signup through the mailed link, sign-in, the
// session's refresh and logout over the typed HTTP client; a socket authenticated by that session,
// bidding in JSON; and a real gap (a watcher that loses the `opened` snap) detected from seq and
// bidCount and repaired by the fresh snap the server sends for a `sub` without `since`.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import WebSocket from 'ws';
import { ApiError, OkjApi, OkjSocket } from '../../client/index.ts';
import { lossy } from './lossy.ts';
import { freePort, ServerProcess, sign, tempDir, until } from './server.ts';

const dir = await tempDir(t);
const server = await ServerProcess.start(dir, await freePort(), { PUBLIC_BASE_URL: 'http://okj.test' });
t.teardown(() => server.kill());

/** The verification token of the newest mail to `to` (the file mailer's .eml files). */
async function mailedToken(to: string): Promise<string | undefined> {
  const mailDir = path.join(dir, 'mail');
  const names = await readdir(mailDir).catch(() => [] as string[]);
  // The file mailer writes `.<name>.eml.tmp` and renames it: only finished mails are read.
  for (const n of names.filter((x) => x.endsWith('.eml') && !x.startsWith('.'))) {
    const raw = await readFile(path.join(mailDir, n), 'latin1');
    if (!raw.toLowerCase().includes(`to: ${to}`)) continue;
    const body = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    const m = /#token=([A-Za-z0-9_-]+)/.exec(body);
    if (m !== null) return m[1];
  }
  return undefined;
}

t.test('accounts over the typed client: signup, verify, me, refresh, socket auth, logout', async (t) => {
  const api = new OkjApi({ baseUrl: server.url, session: { mode: 'token' } });
  const email = 'sdk.user@example.com';
  const password = 'correct horse battery staple';
  const accepted = await api.auth.signup({ email, password, nickname: 'sdk_user', name: 'Kim', gender: 'UNDISCLOSED', ageBand: '30s', region: 'SEOUL' });
  t.equal(accepted.status, 'accepted');
  const token = await until(() => mailedToken(email), 10_000, 'the verification mail');
  const signedIn = await api.auth.verify({ token, password });
  const me = await api.auth.me();
  t.equal(me.id, signedIn.userId);
  t.equal(me.email, email);

  const socket = new OkjSocket({ url: server.wsUrl, WebSocket, auth: api.session, encoding: 'json' });
  t.teardown(() => socket.close());
  socket.connect();
  t.equal((await socket.once('authed')).userId, signedIn.userId, 'the socket authenticates with the session\'s token');

  const rotated: string[] = [];
  api.session.on('tokens', (tk) => rotated.push(tk.refreshToken ?? ''));
  t.type(await api.auth.refresh(), 'string', 'refresh gives an access token');
  t.ok(rotated.length === 1 && rotated[0] !== signedIn.refreshToken, 'and the next refresh token (rotation)');
  t.equal((await api.auth.me()).id, me.id, 'which works');

  await api.auth.logout();
  t.equal(api.session.active, false);
  await t.rejects(api.auth.me(), { code: 'UNAUTHENTICATED' }, 'signed out');
  const stale = new OkjApi({ baseUrl: server.url });
  await t.rejects(stale.auth.login({ email, password: 'wrong password here' }), { code: 'INVALID_CREDENTIALS', status: 401 });
});

t.test('bids over HTTP and the socket; refusals carry their code', async (t) => {
  const seller = new OkjApi({ baseUrl: server.url });
  const sellerToken = await sign('seller-live');
  seller.http.tokens = { accessToken: async () => sellerToken, refreshAccessToken: async () => null };
  const now = Date.now();
  const created = await seller.auctions.create({ productId: 'p-live', startPrice: 10_000, bidUnit: 1_000, startsAt: now, endsAt: now + 3_600_000 });
  await seller.auctions.open(created.id as string);
  const id = created.id as string;

  const bob = new OkjApi({ baseUrl: server.url });
  const bobToken = await sign('bob-live');
  bob.http.tokens = { accessToken: async () => bobToken, refreshAccessToken: async () => null };
  t.match(await bob.auctions.bid(id, 10_000, { idempotencyKey: 'live-bid-1' }), { ok: true, seq: 3 });
  t.match(await bob.auctions.bid(id, 10_000, { idempotencyKey: 'live-bid-1' }), { ok: true, seq: 3 }, 'the same key: the first reply');
  const low = await bob.auctions.bid(id, 10_500).catch((e: unknown) => e);
  t.ok(low instanceof ApiError && low.code === 'BID_TOO_LOW' && low.problem?.minNext === 11_000, 'a problem with its code and minNext');

  const alice = new OkjSocket({ url: server.wsUrl, WebSocket, auth: await sign('alice-live'), encoding: 'json' });
  t.teardown(() => alice.close());
  alice.connect();
  alice.watch(id);
  await alice.once('snap');
  t.ok(Math.abs(alice.serverNow() - Date.now()) < 1_000, 'the clock estimate is close (same machine)');
  t.match(await alice.bid(id, 11_000, 20_000), { ok: true, leading: true, price: 11_000 });
  t.match(await alice.bid(id, 11_000), { ok: false, code: 'BID_TOO_LOW', minNext: 12_000 }, 'a rule\'s refusal is an ack');
  const view = await seller.auctions.get(id);
  await until(() => (alice.view(id)?.seq === view.seq ? true : undefined), 3_000, 'the px');
  t.match(alice.view(id), { price: view.price, bidCount: view.bidCount, leader: view.leader });
});

t.test('a lost snap is a gap, found from seq and bidCount, and repaired by a fresh snap', async (t) => {
  const seller = new OkjApi({ baseUrl: server.url });
  const sellerToken = await sign('seller-gap');
  seller.http.tokens = { accessToken: async () => sellerToken, refreshAccessToken: async () => null };
  const now = Date.now();
  const id = (await seller.auctions.create({ productId: 'p-gap', startPrice: 5_000, bidUnit: 500, startsAt: now, endsAt: now + 3_600_000 })).id as string;

  let lost = 0;
  let snaps = 0;
  // Lose the second snap: the broadcast that says the auction opened.
  const watcher = new OkjSocket({ url: server.wsUrl, WebSocket: lossy((f) => f.t === 'snap' && ++snaps === 2 && ++lost > 0).factory });
  t.teardown(() => watcher.close());
  const gaps: unknown[] = [];
  watcher.on('gap', (g) => gaps.push(g));
  watcher.connect();
  watcher.watch(id);
  t.equal((await watcher.once('snap')).status, 'PENDING');
  await seller.auctions.open(id);
  const bidder = new OkjApi({ baseUrl: server.url });
  const bidderToken = await sign('carol-gap');
  bidder.http.tokens = { accessToken: async () => bidderToken, refreshAccessToken: async () => null };
  await bidder.auctions.bid(id, 5_000);
  const repaired = await watcher.once('repaired');
  t.equal(lost, 1, 'the opened snap was lost');
  t.equal(gaps.length, 1, 'the px after it did not continue PENDING at its seq: a gap');
  const truth = await seller.auctions.get(id);
  t.equal(repaired.seq, truth.seq);
  t.match(watcher.view(id), { status: 'OPEN', seq: truth.seq, price: truth.price, bidCount: truth.bidCount, leader: truth.leader });
  t.same(watcher.auctions.gaps, { seen: 1, repaired: 1 });
});

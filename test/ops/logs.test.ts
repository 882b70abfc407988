// No log line of a full run carries a secret. The run signs tokens, opens an auction over HTTP with
// `Authorization: Bearer`, connects sockets with `?access_token=` and with an `auth` frame, bids over
// both transports, sends a password to the API and a token in a query string, and stops the server;
// every line is captured at trace level. Each step adds the secrets it used to `run.secrets`, so a new
// step is one more function in STEPS. One step is a whole account flow: sign up, verify the email with
// the mailed token (after a wrong password and a forged token), log in, refresh, bid with the account's
// token, log out, and reuse a rotated refresh token; another signs up with a registered email.
import { Writable } from 'node:stream';
import t from 'tap';
import { createLogger } from '../../app/logger.ts';
import { api, boot, Client, rid, SECRET, type Booted } from '../gateway/harness.ts';
import { person, verificationToken } from '../accounts/helpers.ts';
import { tokenInLink } from '../../engine/accounts/messages.ts';

interface Run {
  b: Booted;
  secrets: string[];
  auction: string;
}

type Step = (run: Run) => Promise<void>;

const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(...chunk.toString().split('\n').filter((l) => l !== ''));
    done();
  },
});
const log = createLogger({ logLevel: 'trace' }, capture);

async function token(run: Run, user: string): Promise<string> {
  const tok = await run.b.token(user);
  run.secrets.push(tok);
  return tok;
}

const STEPS: Step[] = [
  async function openOverHttp(run) {
    const seller = await token(run, 'seller');
    const now = Date.now();
    const created = await api(run.b.http, 'POST', '/api/v1/auctions', {
      token: seller, key: rid('create'), body: { productId: 'p1', startPrice: 10_000, bidUnit: 1_000, startsAt: now, endsAt: now + 3_600_000 },
    });
    run.auction = created.body.id;
    await api(run.b.http, 'POST', `/api/v1/auctions/${run.auction}/open`, { token: seller, key: rid('open') });
  },
  async function bidOverSocketWithQueryToken(run) {
    const c = await Client.open(run.b.ws, { token: await token(run, 'alice') });
    await c.type('authed');
    c.send({ t: 'sub', auctions: [run.auction] });
    await c.type('snap');
    await c.command({ t: 'bid', rid: rid(), auction: run.auction, amount: 10_000 });
    await c.close();
  },
  async function bidOverSocketWithAuthFrame(run) {
    const c = await Client.open(run.b.ws, { enc: 'msgpack' });
    c.send({ t: 'auth', token: await token(run, 'carol') });
    await c.type('authed');
    await c.command({ t: 'bid', rid: rid(), auction: run.auction, amount: 11_000 });
    const expired = await run.b.token('dave', { ttlSeconds: -60 });
    run.secrets.push(expired);
    c.send({ t: 'auth', token: expired });
    await c.type('error', { code: 'UNAUTHENTICATED' });
    await c.close();
  },
  async function bidOverHttpWithBearer(run) {
    const bob = await token(run, 'bob');
    await api(run.b.http, 'POST', `/api/v1/auctions/${run.auction}/bids`, { token: bob, key: rid(), body: { amount: 12_000 }, headers: { 'x-request-id': 'tour-42' } });
    await api(run.b.http, 'POST', `/api/v1/auctions/${run.auction}/bids`, { token: `${bob}x`, key: rid(), body: { amount: 13_000 } });
  },
  async function tokenInAQueryString(run) {
    const tok = await token(run, 'erin');
    await api(run.b.http, 'GET', `/api/v1/auctions/${run.auction}?access_token=${tok}`);
    await api(run.b.http, 'GET', `/no/such/route?token=${tok}&refresh_token=${tok}`);
  },
  async function signUpLogInRefreshBidLogOut(run) {
    const p = person();
    run.secrets.push(p.password);
    await api(run.b.http, 'POST', '/api/v1/auth/signup', { body: p });
    const verification = await verificationToken(run.b, p.email);
    run.secrets.push(verification);
    await api(run.b.http, 'POST', '/api/v1/auth/verify', { body: { token: verification, password: 'not the password at all' } });
    const forged = `${verification.slice(0, -4)}AAAA`;
    run.secrets.push(forged);
    await api(run.b.http, 'POST', '/api/v1/auth/verify', { body: { token: forged, password: p.password } });
    const verified = await api(run.b.http, 'POST', '/api/v1/auth/verify', { body: { token: verification, password: p.password } });
    run.secrets.push(verified.body.accessToken, verified.body.refreshToken);
    const li = await api(run.b.http, 'POST', '/api/v1/auth/login', { body: { email: p.email, password: p.password } });
    run.secrets.push(li.body.accessToken, li.body.refreshToken);
    const again = await api(run.b.http, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: li.body.refreshToken } });
    run.secrets.push(again.body.accessToken, again.body.refreshToken);
    const c = await Client.open(run.b.ws, { token: again.body.accessToken });
    await c.type('authed');
    await c.command({ t: 'bid', rid: rid(), auction: run.auction, amount: 20_000 });
    await c.close();
    await api(run.b.http, 'POST', '/api/v1/auth/logout', { token: again.body.accessToken });
    // The rotated refresh token again: reuse, which revokes the family (and is logged as such).
    await api(run.b.http, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: li.body.refreshToken } });
  },
  async function signUpWithARegisteredEmail(run) {
    const p = person({ password: 'a prober\'s passphrase 42' });
    run.secrets.push(p.password);
    const owner = person();
    run.secrets.push(owner.password);
    await api(run.b.http, 'POST', '/api/v1/auth/signup', { body: owner });
    // A second signup before the owner verified: a second link, never used.
    await api(run.b.http, 'POST', '/api/v1/auth/signup', { body: { ...owner, nickname: person().nickname } });
    const token = await verificationToken(run.b, owner.email);
    const unused = await verificationToken(run.b, owner.email);
    run.secrets.push(token, unused);
    const v = await api(run.b.http, 'POST', '/api/v1/auth/verify', { body: { token, password: owner.password } });
    run.secrets.push(v.body.accessToken, v.body.refreshToken);
    await api(run.b.http, 'POST', '/api/v1/auth/verify', { body: { token: unused, password: owner.password } });
    // Now registered: the prober's signup gets the owner a notice.
    await api(run.b.http, 'POST', '/api/v1/auth/signup', { body: { ...p, email: owner.email } });
    const notice = await run.b.mail.takeTo(owner.email);
    if (notice.kind !== 'already-registered' || tokenInLink(notice.text) !== null) throw new Error(`unexpected mail: ${notice.kind}`);
    await run.b.server.accounts.settled();
  },
  async function passwordsInBodies(run) {
    const password = 'correct-horse-battery-staple-9';
    const refreshToken = 'rt_0123456789abcdef0123456789abcdef';
    run.secrets.push(password, refreshToken);
    await api(run.b.http, 'POST', '/api/v1/auth/login', { body: { email: 'alice@example.com', password } });
    await api(run.b.http, 'POST', '/api/v1/auth/reissue', { body: { refreshToken }, headers: { cookie: `refresh_token=${refreshToken}` } });
  },
];

const b = await boot({}, { logger: log });
const run: Run = { b, secrets: [SECRET], auction: '' };
for (const step of STEPS) await step(run);
await b.stop();

t.test('the run was logged', async (t) => {
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  t.ok(parsed.length >= 8, `${parsed.length} lines`);
  t.ok(parsed.some((l) => l.msg === 'request' && l.route === '/api/v1/auctions/:id/bids' && l.userId === 'bob' && l.auction === run.auction && l.reqId === 'tour-42'),
    'an API request line carries the request id, the user and the auction');
  t.ok(parsed.some((l) => l.msg === 'request' && l.method === 'POST' && l.route === '/api/v1/auctions' && l.auction === run.auction),
    'the create line carries the auction it made');
  t.ok(parsed.every((l) => l.msg !== 'request' || typeof l.reqId === 'string'), 'every request line has a request id');
  t.ok(parsed.some((l) => l.msg === 'server stopped'), 'captured to the end');
  if (process.env.OKJ_SHOW_LOGS === '1') console.error(lines.join('\n'));
});

t.test('no line contains a token, a password or a secret', async (t) => {
  t.ok(run.secrets.length >= 8, `${run.secrets.length} secrets used`);
  for (const s of run.secrets) {
    const leaks = lines.filter((l) => l.includes(s) || l.includes(encodeURIComponent(s)));
    t.same(leaks, [], `${s.slice(0, 12)}… is in no log line`);
  }
});

t.test('the redaction net catches a secret logged by mistake', async (t) => {
  const before = lines.length;
  const tok = 'eyJhbGciOiJIUzI1NiJ9.leaked.signature';
  log.warn({
    headers: { authorization: `Bearer ${tok}`, cookie: `sid=${tok}` },
    body: { password: tok, refreshToken: tok },
    url: `/ws?access_token=${tok}&x=1`,
    token: tok,
    secretKey: tok,
    env: { TOSS_SECRET_KEY: tok },
    config: { payments: { toss: { secretKey: tok } } },
  }, 'mistake');
  const line = lines.slice(before).join('\n');
  t.match(line, /mistake/);
  t.notMatch(line, tok);
  t.match(line, /access_token=\[redacted\]&x=1/, 'the URL keeps its shape');
});

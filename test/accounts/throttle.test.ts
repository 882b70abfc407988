// Sign-in throttling over real HTTP, on SQLite and MariaDB, counted in memory or in Redis: per account
// from one address (registered or not, alike), per account from everywhere, per address; parallel
// attempts never reach the password check past a limit; the window's end lets sign-in through again.
// Client addresses come from X-Forwarded-For behind TRUST_PROXY=1, the way a reverse proxy sends them;
// with TRUST_PROXY=0 a client's own X-Forwarded-For is ignored.
import t from 'tap';
import { clientAddress } from '../../http/bridge.ts';
import { sleep } from '../gateway/harness.ts';
import { redisPrefix, requireRedis, type ServiceTest } from '../helpers/services.ts';
import { backends, login, newUser, type Server } from './helpers.ts';

const LIMITS = {
  LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '3', LOGIN_MAX_FAILURES_PER_ACCOUNT: '6', LOGIN_MAX_FAILURES_PER_ADDRESS: '6',
  LOGIN_FAILURE_WINDOW_SECONDS: '60', TRUST_PROXY: '1',
};

const counters: { name: string; env(t: ServiceTest): Promise<Record<string, string> | null> }[] = [
  { name: 'memory', env: async () => ({}) },
  {
    name: 'redis',
    async env(t) {
      const url = await requireRedis(t);
      if (url === null) return null;
      return { REDIS_URL: url, REDIS_PREFIX: await redisPrefix(t, url) };
    },
  },
];

const from = (ip: string) => ({ 'x-forwarded-for': ip });

for (const backend of backends) {
  for (const counter of counters) {
    t.test(`sign-in throttling (${backend.name}, ${counter.name} counter)`, async (t) => {
      const env = await counter.env(t);
      if (env === null) return;
      const s = await backend.start(t, { ...LIMITS, ...env });
      if (s === null) return;

      await t.test('per account from one address; another address still signs in', async (t) => {
        const a = await newUser(s);
        const b = await newUser(s);
        const here = from('10.0.1.1');
        for (let i = 1; i <= 3; i++) t.equal((await login(s, a.person.email, `wrong password ${i}`, here)).body.code, 'INVALID_CREDENTIALS', `failure ${i}`);
        const held = await login(s, a.person.email, a.person.password, here);
        t.equal(held.status, 429, 'past the limit even the right password waits, from this address');
        t.equal(held.body.code, 'TOO_MANY_ATTEMPTS');
        t.match(held.type, /problem\+json/);
        t.ok(Number(held.body.retryAfter) >= 59 && Number(held.body.retryAfter) <= 60, `retryAfter ${held.body.retryAfter}`);
        t.equal((await login(s, a.person.email, a.person.password, from('10.0.1.2'))).status, 200, 'the owner elsewhere is not locked out');
        t.equal((await login(s, b.person.email, b.person.password, here)).status, 200, 'another account is not held');

        // An unknown email is held the same way: throttling does not tell which emails are registered.
        for (let i = 1; i <= 3; i++) await login(s, 'nobody@example.com', `wrong password ${i}`, from('10.0.1.3'));
        const ghost = await login(s, 'nobody@example.com', 'wrong password 4', from('10.0.1.3'));
        t.equal(ghost.status, 429);
        t.strictSame(Object.keys(ghost.body).sort(), Object.keys(held.body).sort());
      });

      await t.test('per account from everywhere: guesses spread over addresses reach a ceiling', async (t) => {
        const c = await newUser(s);
        for (const ip of ['10.0.2.1', '10.0.2.2', '10.0.2.3']) {
          for (let i = 0; i < 2; i++) t.equal((await login(s, c.person.email, 'wrong password', from(ip))).status, 401, `${ip}: under its own limit`);
        }
        const held = await login(s, c.person.email, c.person.password, from('10.0.2.9'));
        t.equal(held.status, 429, 'six failures in all: held from a fresh address too');
        t.equal(held.body.code, 'TOO_MANY_ATTEMPTS');
      });

      await t.test('per address, whatever the account', async (t) => {
        const a = await newUser(s);
        // Six failures spread over three emails, none past its own limits.
        for (const email of ['x1@example.com', 'x2@example.com', 'x3@example.com']) {
          for (let i = 0; i < 2; i++) t.equal((await login(s, email, 'wrong password', from('10.0.3.1'))).status, 401);
        }
        const held = await login(s, a.person.email, a.person.password, from('10.0.3.1'));
        t.equal(held.status, 429, 'this address is held, for every account');
        t.equal(held.body.code, 'TOO_MANY_ATTEMPTS');
        t.equal((await login(s, a.person.email, a.person.password, from('10.0.3.2'))).status, 200, 'another address is not');
      });

      await t.test('parallel wrong passwords: no more than the limit reach the password check', async (t) => {
        const d = await newUser(s);
        const oneAddress = await Promise.all(Array.from({ length: 50 }, () => login(s, d.person.email, 'wrong password', from('10.0.4.1'))));
        t.strictSame(counts(oneAddress), { 401: 3, 429: 47 }, 'one address: the account-and-address limit (3)');
        const e = await newUser(s);
        const many = await Promise.all(Array.from({ length: 50 }, (_, i) => login(s, e.person.email, 'wrong password', from(`10.0.5.${i + 1}`))));
        t.strictSame(counts(many), { 401: 6, 429: 44 }, 'fifty addresses: the account limit (6)');
      });
    });
  }

  t.test(`TRUST_PROXY: which X-Forwarded-For address is the client (${backend.name})`, async (t) => {
    const limits = { LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '100', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100', LOGIN_MAX_FAILURES_PER_ADDRESS: '2' };

    await t.test('behind one trusted proxy, the address it appended', async (t) => {
      const s = await backend.start(t, { ...limits, TRUST_PROXY: '1' }) as Server | null;
      if (s === null) return;
      const a = await newUser(s);
      for (const email of ['p1@example.com', 'p2@example.com']) t.equal((await login(s, email, 'wrong password', from('10.9.0.1'))).status, 401);
      t.equal((await login(s, a.person.email, a.person.password, from('10.9.0.1'))).status, 429, 'that address is held');
      t.equal((await login(s, a.person.email, a.person.password, from('10.9.0.2'))).status, 200, 'another is not');
      const forged = await login(s, a.person.email, a.person.password, from('10.9.0.1, 10.9.0.3'));
      t.equal(forged.status, 200, 'what the client put before the proxy\'s entry is not its address');
    });

    await t.test('with no trusted proxy, the peer: a forged X-Forwarded-For is ignored', async (t) => {
      const s = await backend.start(t, { ...limits, TRUST_PROXY: '0' }) as Server | null;
      if (s === null) return;
      const a = await newUser(s);
      t.equal((await login(s, 'p1@example.com', 'wrong password', from('10.8.0.1'))).status, 401);
      t.equal((await login(s, 'p2@example.com', 'wrong password', from('10.8.0.2'))).status, 401);
      const held = await login(s, a.person.email, a.person.password, from('10.8.0.3'));
      t.equal(held.status, 429, 'every failure counted against the one peer address');
    });
  });
}

// The window is the counter's: SQLite alone is enough to see it end.
for (const counter of counters) {
  t.test(`the window's end lets sign-in through again (${counter.name} counter)`, async (t) => {
    const env = await counter.env(t);
    if (env === null) return;
    const s = await backends[0].start(t, { ...LIMITS, LOGIN_FAILURE_WINDOW_SECONDS: '2', TRUST_PROXY: '0', ...env }) as Server;
    const a = await newUser(s);
    for (let i = 1; i <= 3; i++) await login(s, a.person.email, `wrong password ${i}`);
    const held = await login(s, a.person.email, a.person.password);
    t.equal(held.status, 429);
    t.ok(Number(held.body.retryAfter) >= 1 && Number(held.body.retryAfter) <= 2, `retryAfter ${held.body.retryAfter}`);
    await sleep(2100);
    t.equal((await login(s, a.person.email, a.person.password)).status, 200, 'the window ended');
  });
}

t.test('clientAddress reads X-Forwarded-For from the right, past the trusted hops', async (t) => {
  t.equal(clientAddress('1.1.1.1', '127.0.0.1', 0), '127.0.0.1', 'no trusted proxy: the peer');
  t.equal(clientAddress(undefined, '127.0.0.1', 1), '127.0.0.1', 'no header: the peer');
  t.equal(clientAddress('1.1.1.1, 2.2.2.2', '10.0.0.9', 1), '2.2.2.2', 'one hop: what the proxy appended');
  t.equal(clientAddress('1.1.1.1, 2.2.2.2, 3.3.3.3', '10.0.0.9', 2), '2.2.2.2', 'two hops');
  t.equal(clientAddress(' 2.2.2.2 ,', '10.0.0.9', 3), '2.2.2.2', 'a shorter chain than configured: its leftmost');
});

function counts(rs: { status: number }[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of rs) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

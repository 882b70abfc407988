// Sign-in throttling over real HTTP: per account (registered or not, alike) and per client address,
// counted in memory, or in Redis when it is configured; the window's end lets sign-in through again.
import t from 'tap';
import { sleep } from '../gateway/harness.ts';
import { redisPrefix, requireRedis, type ServiceTest } from '../helpers/services.ts';
import { backends, login, newUser, type Server } from './helpers.ts';

const LIMITS = { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '6', LOGIN_FAILURE_WINDOW_SECONDS: '2' };

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

async function start(t: ServiceTest, env: Record<string, string>): Promise<Server> {
  const s = await backends[0].start(t, { ...LIMITS, ...env });
  return s as Server;
}

for (const counter of counters) {
  t.test(`failed sign-ins are throttled per account (${counter.name})`, async (t) => {
    const env = await counter.env(t);
    if (env === null) return;
    const s = await start(t, env);
    const a = await newUser(s);
    const b = await newUser(s);
    for (let i = 1; i <= 3; i++) t.equal((await login(s, a.person.email, `wrong password ${i}`)).body.code, 'INVALID_CREDENTIALS', `failure ${i}`);
    const held = await login(s, a.person.email, a.person.password);
    t.equal(held.status, 429, 'past the limit even the right password waits');
    t.equal(held.body.code, 'TOO_MANY_ATTEMPTS');
    t.match(held.type, /problem\+json/);
    t.ok(Number(held.body.retryAfter) >= 1 && Number(held.body.retryAfter) <= 2, `retryAfter ${held.body.retryAfter}`);
    t.equal((await login(s, b.person.email, b.person.password)).status, 200, 'another account is not held');

    // An unknown email is held the same way: throttling does not tell which emails are registered.
    for (let i = 1; i <= 3; i++) await login(s, 'nobody@example.com', `wrong password ${i}`);
    const ghost = await login(s, 'nobody@example.com', 'wrong password 4');
    t.equal(ghost.status, 429);
    t.strictSame(Object.keys(ghost.body).sort(), Object.keys(held.body).sort());

    await sleep(2100);
    t.equal((await login(s, a.person.email, a.person.password)).status, 200, 'the window ended');
  });
}

t.test('failed sign-ins are throttled per address', async (t) => {
  const s = await start(t, {});
  const a = await newUser(s);
  // Six failures spread over three emails, none past its own account limit.
  for (const email of ['x1@example.com', 'x2@example.com', 'x3@example.com']) {
    for (let i = 0; i < 2; i++) t.equal((await login(s, email, 'wrong password')).status, 401);
  }
  const held = await login(s, a.person.email, a.person.password);
  t.equal(held.status, 429, 'this address is held, for every account');
  t.equal(held.body.code, 'TOO_MANY_ATTEMPTS');
});

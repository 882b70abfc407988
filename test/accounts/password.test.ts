// The password policy and hashing, and sign-in that does not tell registered emails apart: the same
// answer, and about the same time, for an unknown email and for a wrong password.
import t from 'tap';
import { loadConfig } from '../../app/config.ts';
import { PasswordHasher, passwordProblem } from '../../app/accounts/password.ts';
import { backends, login, newUser } from './helpers.ts';

t.test('the policy: length, not the email, not a common password', async (t) => {
  const refused: [string, string | null][] = [
    ['short', null],
    ['123456789', null],
    ['x'.repeat(129), null],
    ['aaaaaaaaaaaa', null],
    ['password123', null],
    ['Password123!', null],
    ['qwertyuiop', null],
    ['1234567890', null],
    ['12345678901234', null],
    ['kim.minji@example.com', 'kim.minji@example.com'],
    ['Kim.Minji@Example.com', 'kim.minji@example.com'],
    ['kim.minji', 'kim.minji@example.com'],
    ['kim.minji2024!', 'kim.minji@example.com'],
  ];
  for (const [pw, email] of refused) t.type(passwordProblem(pw, email), 'string', `refused: ${pw.slice(0, 20)}`);
  const accepted = ['correct horse battery staple', '옥장판에서 경매를 합니다', 'Tr0ub4dor&3-xyz', 'xy'.repeat(64), 'p4ssw0rd is fine here'];
  for (const pw of accepted) t.equal(passwordProblem(pw, 'kim.minji@example.com'), null, `accepted: ${pw.slice(0, 20)}`);
});

t.test('argon2id hashes, salted, verified; at OWASP\'s cost unless told otherwise', async (t) => {
  const owasp = new PasswordHasher();
  const h1 = await owasp.hash('correct horse battery staple');
  const h2 = await owasp.hash('correct horse battery staple');
  t.match(h1, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  t.not(h1, h2, 'a fresh salt each time');
  t.equal(await owasp.verify(h1, 'correct horse battery staple'), true);
  t.equal(await owasp.verify(h1, 'correct horse battery stapl'), false);
  t.equal(await owasp.verify('not a hash', 'x'), false, 'a malformed hash verifies nothing');
  const cheap = new PasswordHasher({ memoryKib: 256, passes: 1 });
  const h3 = await cheap.hash('correct horse battery staple');
  t.match(h3, /^\$argon2id\$v=19\$m=256,t=1,p=1\$/, 'the configured cost');
  t.equal(await owasp.verify(h3, 'correct horse battery staple'), true, 'a hash verifies whatever the cost it was made at');
  t.equal(await cheap.burn('anything'), false);
});

t.test('production refuses a password hash cost below OWASP\'s', async (t) => {
  const base = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DATA_DIR: '/tmp/okj-never-opened' };
  t.throws(() => loadConfig({ ...base, PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_PASSES: '1' }), /PASSWORD_HASH_MEMORY_KIB/);
  t.throws(() => loadConfig({ ...base, PASSWORD_HASH_MEMORY_KIB: '9216', PASSWORD_HASH_PASSES: '3' }), /PASSWORD_HASH_MEMORY_KIB/, '9 MiB x 3 is under the table');
  t.match(loadConfig({ ...base, PASSWORD_HASH_MEMORY_KIB: '12288', PASSWORD_HASH_PASSES: '3' }).accounts.passwordHash, { memoryKib: 12288, passes: 3 });
  t.match(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_MEMORY_KIB: '256', PASSWORD_HASH_PASSES: '1' }).accounts.passwordHash, { memoryKib: 256, passes: 1 }, 'tests may go cheap');
  t.match(loadConfig({ NODE_ENV: 'development' }).accounts.passwordHash, { memoryKib: 19456, passes: 2 }, 'OWASP by default');
});

t.test('sign-in does not tell an unknown email from a wrong password', async (t) => {
  const s = await backends[0].start(t, { LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '1000', LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000', LOGIN_MAX_FAILURES_PER_ADDRESS: '1000' });
  if (s === null) return;
  const a = await newUser(s);
  const unknown = await login(s, 'nobody-here@example.com', 'a wrong password');
  const wrong = await login(s, a.person.email, 'a wrong password');
  t.equal(unknown.status, 401);
  t.strictSame(unknown.body, wrong.body, 'the same problem document, word for word');

  // Timing: both do one argon2 verification. Medians of alternating runs, with a wide margin for a
  // shared machine; a missing dummy verification would be ~10x apart.
  const times: Record<'unknown' | 'wrong', number[]> = { unknown: [], wrong: [] };
  for (let i = 0; i < 9; i++) {
    for (const kind of ['unknown', 'wrong'] as const) {
      const t0 = performance.now();
      await login(s, kind === 'unknown' ? `nobody-${i}@example.com` : a.person.email, 'a wrong password');
      times[kind].push(performance.now() - t0);
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const ratio = median(times.unknown) / median(times.wrong);
  t.ok(ratio > 0.4 && ratio < 2.5, `unknown/wrong median time ratio ${ratio.toFixed(2)} (${median(times.unknown).toFixed(1)} ms vs ${median(times.wrong).toFixed(1)} ms)`);
});

// The account settings in configuration: defaults, Google on only when complete, lifetimes consistent,
// the proxy hops trusted for client addresses, signup limits, and outgoing mail (file or SMTP).
import t from 'tap';
import { ConfigError, loadConfig } from '../../app/config.ts';

t.test('defaults: 15-minute access tokens, 14-day refresh tokens, 30-day sessions, 10-minute recent sign-in, Google off', async (t) => {
  const c = loadConfig({});
  t.strictSame(c.accounts, {
    accessTtlSeconds: 900, refreshTtlSeconds: 14 * 86_400, sessionMaxAgeSeconds: 30 * 86_400,
    login: { maxFailuresPerAccountAddress: 5, maxFailuresPerAccount: 100, maxFailuresPerAddress: 50, windowSeconds: 900 },
    recentSignInSeconds: 600,
    passwordHash: { memoryKib: 19_456, passes: 2 },
    signup: { maxPerAddress: 20, maxMailsPerEmail: 5, maxVerifyFailuresPerAddress: 20, windowSeconds: 3600 },
  });
  t.equal(c.google, null);
  t.ok(Object.isFrozen(c.accounts.login));
});

t.test('TRUST_PROXY (the peer by default, else a count of hops) and the new account limits are validated, naming the variable', async (t) => {
  t.equal(loadConfig({}).http.trustProxy, 0);
  t.equal(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy, 2);
  for (const bad of ['-1', 'yes', '1.5', '11']) {
    const err = t.throws(() => loadConfig({ TRUST_PROXY: bad })) as ConfigError;
    t.match(err.message, /TRUST_PROXY/, `TRUST_PROXY=${bad}`);
  }
  const err = t.throws(() => loadConfig({ RECENT_SIGN_IN_SECONDS: '0', LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '0' })) as ConfigError;
  t.match(err.problems.join('\n'), /RECENT_SIGN_IN_SECONDS[\s\S]*LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS|LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS[\s\S]*RECENT_SIGN_IN_SECONDS/, 'both reported');
});

t.test('Google sign-in needs client id, secret and redirect URI together', async (t) => {
  const full = { GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'placeholder', GOOGLE_REDIRECT_URI: 'https://app.example/cb' };
  t.match(loadConfig(full).google, { clientId: 'id', jwksUri: 'https://www.googleapis.com/oauth2/v3/certs', issuer: 'https://accounts.google.com' });
  const err = t.throws(() => loadConfig({ GOOGLE_CLIENT_ID: 'id' })) as ConfigError;
  t.match(err.problems.join('\n'), /GOOGLE_CLIENT_SECRET, GOOGLE_REDIRECT_URI/);
  t.throws(() => loadConfig({ ...full, GOOGLE_REDIRECT_URI: 'not a url' }), ConfigError);
});

t.test('a refresh token cannot outlive its session', async (t) => {
  const err = t.throws(() => loadConfig({ REFRESH_TOKEN_TTL_SECONDS: '86400', SESSION_MAX_AGE_SECONDS: '3600' })) as ConfigError;
  t.match(err.message, /REFRESH_TOKEN_TTL_SECONDS/);
});

t.test('mail: files under DATA_DIR/mail by default; SMTP needs SMTP_URL, validated without echoing it', async (t) => {
  const c = loadConfig({ DATA_DIR: '/srv/okj', PORT: '9090' });
  t.strictSame(c.mail, { transport: 'file', smtpUrl: null, from: 'okjangpan@localhost', dir: '/srv/okj/mail', publicBaseUrl: 'http://localhost:9090' });
  t.ok(Object.isFrozen(c.mail));

  const smtp = loadConfig({
    MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtps://okj:p%40ss@smtp.example.com:465', MAIL_FROM: 'Okjangpan <no-reply@okj.example>',
    PUBLIC_BASE_URL: 'https://okj.example/',
  });
  t.match(smtp.mail, { transport: 'smtp', smtpUrl: 'smtps://okj:p%40ss@smtp.example.com:465', from: 'Okjangpan <no-reply@okj.example>', publicBaseUrl: 'https://okj.example' });

  const missing = t.throws(() => loadConfig({ MAIL_TRANSPORT: 'smtp' })) as ConfigError;
  t.match(missing.message, /SMTP_URL: required when MAIL_TRANSPORT=smtp/);
  const unused = t.throws(() => loadConfig({ SMTP_URL: 'smtp://smtp.example.com' })) as ConfigError;
  t.match(unused.message, /MAIL_TRANSPORT: SMTP_URL is set/, 'an SMTP_URL the file transport would ignore is a mistake');
  for (const bad of ['http://user:hunter2-secret@smtp.example.com', 'smtp://user:hunter2-secret@', 'smtp://user:hunter2-secret@smtp.example.com/x y']) {
    const err = t.throws(() => loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: bad })) as ConfigError;
    t.match(err.message, /SMTP_URL/, `SMTP_URL=${bad.replace('hunter2-secret', '***')} is named`);
    t.notMatch(err.message, /hunter2-secret/, 'and its password is not repeated');
  }
  for (const [name, value] of [['MAIL_FROM', 'Okj <no-reply@okj.example>\r\nBcc: all@example.com'], ['MAIL_FROM', 'not an address'], ['PUBLIC_BASE_URL', 'okj.example'],
    ['PUBLIC_BASE_URL', 'https://okj.example/?x=1'], ['MAIL_TRANSPORT', 'sendmail'], ['SIGNUP_MAX_PER_ADDRESS', '0']]) {
    const err = t.throws(() => loadConfig({ [name]: value })) as ConfigError;
    t.match(err.message, new RegExp(`${name}:`), `${name}=${JSON.stringify(value)} is refused, naming the variable`);
  }
});

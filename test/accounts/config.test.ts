// The account settings in configuration: defaults, Google on only when complete, lifetimes consistent,
// the proxy hops trusted for client addresses.
import t from 'tap';
import { ConfigError, loadConfig } from '../../app/config.ts';

t.test('defaults: 15-minute access tokens, 14-day refresh tokens, 30-day sessions, 10-minute recent sign-in, Google off', async (t) => {
  const c = loadConfig({});
  t.strictSame(c.accounts, {
    accessTtlSeconds: 900, refreshTtlSeconds: 14 * 86_400, sessionMaxAgeSeconds: 30 * 86_400,
    login: { maxFailuresPerAccountAddress: 5, maxFailuresPerAccount: 100, maxFailuresPerAddress: 50, windowSeconds: 900 },
    recentSignInSeconds: 600,
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

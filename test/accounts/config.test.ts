// The account settings in configuration: defaults, Google on only when complete, lifetimes consistent.
import t from 'tap';
import { ConfigError, loadConfig } from '../../app/config.ts';

t.test('defaults: 15-minute access tokens, 14-day refresh tokens, 30-day sessions, Google off', async (t) => {
  const c = loadConfig({});
  t.strictSame(c.accounts, {
    accessTtlSeconds: 900, refreshTtlSeconds: 14 * 86_400, sessionMaxAgeSeconds: 30 * 86_400,
    login: { maxFailuresPerAccount: 5, maxFailuresPerAddress: 50, windowSeconds: 900 },
  });
  t.equal(c.google, null);
  t.ok(Object.isFrozen(c.accounts.login));
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

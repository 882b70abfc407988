// Access tokens: HS256 pinned, issuer, audience and expiry enforced, role checked.
import t, { type Test } from 'tap';
import { SignJWT } from 'jose';
import { OkjError } from '../../engine/index.ts';
import { signAccessToken, tokenKeys, verifyAccessToken, type TokenKeys } from '../../app/accounts/tokens.ts';

const keys: TokenKeys = tokenKeys({ secret: 's'.repeat(40), issuer: 'iss', audience: 'aud' });

async function rejects(t: Test, token: string, why: RegExp) {
  const err = await verifyAccessToken(keys, token).then(() => null, (e: unknown) => e);
  t.ok(err instanceof OkjError && err.code === 'UNAUTHENTICATED', 'UNAUTHENTICATED');
  t.match((err as Error).message, why);
}

const base = (claims: Record<string, unknown> = {}) => new SignJWT(claims).setSubject('alice').setIssuer('iss').setAudience('aud').setExpirationTime('5m');

t.test('a token we sign verifies, with its role', async (t) => {
  t.match(await verifyAccessToken(keys, await signAccessToken(keys, 'alice')), { userId: 'alice', role: 'user', exp: Number });
  t.match(await verifyAccessToken(keys, await signAccessToken(keys, 'root', { role: 'admin' })), { userId: 'root', role: 'admin' });
});

t.test('other algorithms, keys, issuers and audiences are refused', async (t) => {
  await rejects(t, await base().setProtectedHeader({ alg: 'HS512' }).sign(keys.secret), /invalid/);
  await rejects(t, await base().setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(40))), /invalid/);
  await rejects(t, await base().setProtectedHeader({ alg: 'HS256' }).setIssuer('evil').sign(keys.secret), /invalid/);
  await rejects(t, await base().setProtectedHeader({ alg: 'HS256' }).setAudience('other').sign(keys.secret), /invalid/);
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"alice","iss":"iss","aud":"aud","exp":9999999999}').toString('base64url')}.`;
  await rejects(t, none, /invalid/);
  await rejects(t, 'not-a-token', /invalid/);
});

t.test('expiry is required and checked', async (t) => {
  await rejects(t, await signAccessToken(keys, 'alice', { ttlSeconds: -10 }), /expired/);
  const noExp = await new SignJWT({}).setSubject('alice').setIssuer('iss').setAudience('aud').setProtectedHeader({ alg: 'HS256' }).sign(keys.secret);
  await rejects(t, noExp, /invalid/);
});

t.test('subject and role are checked', async (t) => {
  await rejects(t, await base({ role: 'god' }).setProtectedHeader({ alg: 'HS256' }).sign(keys.secret), /role/);
  await rejects(t, await base().setSubject('x'.repeat(65)).setProtectedHeader({ alg: 'HS256' }).sign(keys.secret), /subject/);
});

t.test('without JWT_SECRET a random key is made, with a warning', async (t) => {
  const warnings: string[] = [];
  const a = tokenKeys({ secret: null, issuer: 'i', audience: 'a' }, (m) => warnings.push(m));
  const b = tokenKeys({ secret: null, issuer: 'i', audience: 'a' });
  t.equal(a.secret.length, 32);
  t.not(Buffer.from(a.secret).toString('hex'), Buffer.from(b.secret).toString('hex'), 'random per process');
  t.match(warnings[0], /JWT_SECRET/);
});

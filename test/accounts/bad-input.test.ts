// Bad input over real HTTP, on SQLite and MariaDB: missing fields, wrong types, unknown members (no
// mass assignment of `role`), SQL and script injection strings, non-JSON and 1 MB bodies. Each gets a
// problem document, stores nothing and mails nothing. (A body over HTTP_BODY_LIMIT_BYTES is 413 PAYLOAD_TOO_LARGE, the
// status the whole API gives it; everything else here is 400.)
import t from 'tap';
import { api } from '../gateway/harness.ts';
import { backends, newUser, person, verify, type Server } from './helpers.ts';

const INJECTIONS = [
  "x'; DROP TABLE accounts_users; --",
  "' OR '1'='1",
  '1; SELECT * FROM accounts_users',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}${7*7}',
  '\u0000null\u0000byte',
];

for (const backend of backends) {
  t.test(`bad input gets a problem document and stores nothing (${backend.name})`, async (t) => {
    const s = await backend.start(t);
    if (s === null) return;
    const tried: string[] = [];
    const signup = async (body: unknown, what: string, status = 400) => {
      const email = typeof body === 'object' && body !== null ? (body as { email?: unknown }).email : undefined;
      if (typeof email === 'string') tried.push(email);
      const r = await api(s.http, 'POST', '/api/v1/auth/signup', { body });
      t.equal(r.status, status, `${what}: ${status}`);
      t.match(r.type, /^application\/problem\+json/, `${what}: a problem document`);
      t.match(r.body, { type: String, title: String, status, code: String, detail: String }, `${what}: its members`);
      return r;
    };

    // Missing fields and wrong types: every problem named, no value echoed.
    const missing = await signup({}, 'an empty object');
    t.equal(missing.body.code, 'VALIDATION_FAILED');
    t.ok(missing.body.errors.length >= 7, 'one entry per missing field');
    t.ok(missing.body.errors.some((e: { path: string }) => e.path === 'email'));
    const { password: _p, ...noPassword } = person();
    await signup(noPassword, 'no password');
    for (const [field, value] of [['email', 42], ['password', true], ['ageBand', 30], ['nickname', ['a']], ['gender', null], ['region', { x: 1 }]] as const) {
      const r = await signup({ ...person(), [field]: value }, `${field} as ${JSON.stringify(value)}`);
      t.equal(r.body.errors[0].path, field);
    }
    await signup({ ...person(), role: 'ADMIN' }, 'an unknown member (role)');
    await signup({ ...person(), email: 'x'.repeat(250) + '@example.com' }, 'an email too long');
    await signup({ ...person(), password: 'short' }, 'a password too short (WEAK_PASSWORD)');
    await signup({ ...person(), password: 'x'.repeat(2000) }, 'a password too long');

    // Injection strings, in every free-text field and the enums.
    for (const bad of INJECTIONS) {
      for (const field of ['email', 'nickname', 'name', 'region', 'phone', 'preferredCategory', 'payoutAccount']) {
        const r = await signup({ ...person(), [field]: bad }, `${field} = ${JSON.stringify(bad)}`);
        t.notMatch(JSON.stringify(r.body), bad, 'not echoed back');
      }
    }

    // Not JSON, not an object, a 1 MB body.
    for (const [what, raw] of [['not JSON', '{"email":'], ['a JSON array', '[1,2,3]'], ['a JSON string', '"hello"']]) {
      const r = await api(s.http, 'POST', '/api/v1/auth/signup', { raw, headers: { 'content-type': 'application/json' } });
      t.equal(r.status, 400, what);
      t.match(r.type, /problem\+json/);
    }
    const plain = await api(s.http, 'POST', '/api/v1/auth/login', { raw: 'email=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    t.equal(plain.status, 400, 'a form body');
    const huge = await signup({ ...person(), name: 'a'.repeat(1024 * 1024) }, 'a 1 MB body', 413);
    t.equal(huge.body.code, 'PAYLOAD_TOO_LARGE');

    // Sign-in, refresh and profile refuse the same way.
    const a = await newUser(s);
    const bodies: [string, string, unknown][] = [
      ['POST', '/api/v1/auth/login', { email: "' OR 1=1 --", password: 'x' }],
      ['POST', '/api/v1/auth/login', { email: a.person.email }],
      ['POST', '/api/v1/auth/refresh', { refreshToken: 42 }],
      ['POST', '/api/v1/auth/refresh', {}],
      ['PATCH', '/api/v1/accounts/me', { nickname: "x'; DROP TABLE accounts_users; --" }],
      ['PATCH', '/api/v1/accounts/me', { name: '<script>alert(1)</script>' }],
      ['PATCH', '/api/v1/accounts/me', { role: 'ADMIN' }],
      ['PATCH', '/api/v1/accounts/me', { status: 'ACTIVE', email: 'other@example.com' }],
      ['PATCH', '/api/v1/accounts/me', {}],
      ['PUT', '/api/v1/accounts/me/password', { newPassword: 'a fine new passphrase' }],
      ['POST', '/api/v1/auth/verify', { token: 42, password: 'a fine passphrase' }],
      ['POST', '/api/v1/auth/verify', { token: 'abc' }],
      ['POST', '/api/v1/auth/verify', { token: 'x'.repeat(300), password: 'a fine passphrase' }],
      ['POST', '/api/v1/auth/verify', { token: 'abc', password: 'a fine passphrase', role: 'ADMIN' }],
      ['POST', '/api/v1/auth/verify', { token: 'abc', password: 'a fine passphrase', nickname: "x'; DROP TABLE accounts_users; --" }],
    ];
    for (const [method, path, body] of bodies) {
      const r = await api(s.http, method, path, { token: a.access, body });
      t.equal(r.status, 400, `${method} ${path} ${JSON.stringify(body)}`);
      t.equal(r.body.code, 'VALIDATION_FAILED');
    }

    // A verification token is any string, judged by its hash: an injection string is just an unknown token.
    for (const bad of INJECTIONS) {
      const r = await verify(s, { token: bad, password: 'a fine passphrase' });
      t.match(r, { status: 400, body: { code: 'VERIFICATION_FAILED' } }, `token = ${JSON.stringify(bad)}`);
    }

    // Nothing was stored or mailed: none of those emails has an account or got a mail, A is unchanged,
    // and the table is whole.
    for (const email of tried) t.equal(await s.stores.accounts.byEmail(email.toLowerCase()), null, `no account for ${JSON.stringify(email).slice(0, 40)}`);
    await s.server.accounts.settled();
    t.strictSame(s.mail.sent.map((m) => m.to), [a.person.email], 'the only mail went to A\'s signup');
    t.match(await s.stores.accounts.byId(a.userId), { nickname: a.person.nickname, name: a.person.name, role: 'USER' }, 'A unchanged');
    t.equal((await api(s.http, 'POST', '/api/v1/auth/signup', { body: person() })).status, 202, 'signup still works');
  });
}

export type { Server };

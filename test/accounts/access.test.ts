// One user's data is theirs: another user can neither read nor change it; an admin may read it and
// change roles; the role reaches the tokens at the next refresh. On SQLite and MariaDB.
import t from 'tap';
import { decodeJwt } from 'jose';
import { api } from '../gateway/harness.ts';
import { bundled } from '../helpers/bundle.ts';
import { backends, me, newUser } from './helpers.ts';

for (const backend of backends) {
  t.test(`another user's account is refused; an admin may read it and grant roles (${backend.name})`, async (t) => {
    const s = await backend.start(t);
    if (s === null) return;
    const a = await newUser(s);
    const b = await newUser(s);
    const path = `/api/v1/accounts/${a.userId}`;

    const tries: [string, string, unknown][] = [
      ['GET', path, undefined],
      ['PATCH', path, { nickname: 'stolen_nick' }],
      ['PUT', `${path}/password`, { currentPassword: a.person.password, newPassword: 'taken over for good' }],
      ['POST', `${path}/password`, { newPassword: 'taken over for good' }],
      ['DELETE', path, { password: a.person.password }],
    ];
    for (const [method, p, body] of tries) {
      const r = await api(s.http, method, p, { token: b.access, body });
      t.equal(r.status, 403, `${method} ${p} by another user`);
      t.equal(r.body.code, 'FORBIDDEN');
    }
    const still = await me(s, a.access);
    t.equal(still.status, 200, 'A is untouched');
    t.equal(still.body.nickname, a.person.nickname);
    t.equal((await api(s.http, 'GET', path)).status, 401, 'and nobody anonymous');

    // Roles: only an admin may change them. The first admin is made by the operator (npm run admin:grant).
    const grant = (token: string, id: string, role: string) => api(s.http, 'PUT', `/api/v1/admin/accounts/${id}/role`, { token, body: { role } });
    t.equal((await grant(b.access, b.userId, 'ADMIN')).status, 403, 'a user cannot make themself admin');
    t.ok(await s.stores.accounts.setRole(b.userId, 'ADMIN', Date.now()), 'bootstrap, as admin:grant does');
    t.equal((await grant(b.access, a.userId, 'ADMIN')).status, 403, 'the role reaches tokens at the next refresh, not before');
    const refreshed = await api(s.http, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: b.refresh } });
    t.equal(refreshed.body.role, 'ADMIN');
    t.equal(decodeJwt(refreshed.body.accessToken).role, 'admin');
    const admin = refreshed.body.accessToken as string;
    const read = await api(s.http, 'GET', path, { token: admin });
    t.equal(read.status, 200, 'an admin may read any account');
    t.equal(read.body.id, a.userId);
    t.equal((await api(s.http, 'PATCH', path, { token: admin, body: { nickname: 'admin_set' } })).status, 403, 'but not change its profile');
    const granted = await grant(admin, a.userId, 'ADMIN');
    t.equal(granted.status, 200);
    t.equal(granted.body.role, 'ADMIN');
    t.equal((await grant(admin, 'no-such-account', 'ADMIN')).status, 404);
    t.equal((await grant(admin, a.userId, 'ROOT')).body.code, 'VALIDATION_FAILED');
  });
}

for (const backend of backends) {
  t.test(`npm run admin:grant makes an existing account ADMIN, the documented bootstrap (${backend.name})`, async (t) => {
    const { execFile } = await import('node:child_process');
    const s = await backend.start(t);
    if (s === null) return;
    const a = await newUser(s);
    const script = await bundled('app/admin-grant.ts'); // the same script as `npm run admin:grant`, without tsx's start-up
    const run = (...args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(process.execPath, [script, ...args], {
          env: { PATH: process.env.PATH, DATABASE_URL: s.config.databaseUrl, LOG_LEVEL: 'silent' },
        }, (err, stdout, stderr) => resolve({ code: err === null ? 0 : Number(err.code ?? 1), out: stdout + stderr }));
      });
    const ok = await run(a.person.email.toUpperCase());
    t.equal(ok.code, 0, ok.out);
    t.match(ok.out, /is now ADMIN/);
    const refreshed = await api(s.http, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: a.refresh } });
    t.equal(refreshed.body.role, 'ADMIN');
    const missing = await run('nobody@example.com');
    t.equal(missing.code, 1);
    t.match(missing.out, /no active account/);
  });
}

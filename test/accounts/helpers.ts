// Shared by the account tests: a real server on SQLite or MariaDB (its own database), people to sign
// up, signup with its email verification (the link read from the server's memory mailer), and sign-in
// over HTTP.
import { randomBytes } from 'node:crypto';
import type { Stores } from '../../app/stores.ts';
import { tokenInLink } from '../../engine/accounts/messages.ts';
import type { MailMessage } from '../../app/accounts/mailer.ts';
import { api, boot, type Booted, type Res } from '../gateway/harness.ts';
import { mariaDbDatabase, type ServiceTest } from '../helpers/services.ts';

export interface Server extends Booted {
  /** The server's own stores, to look behind the API (what withdrawal left, what a failed request stored). */
  stores: Stores;
}

export interface Backend {
  name: string;
  /** A running server, stopped at t's teardown; null when the database is missing (already reported). */
  start(t: ServiceTest, env?: Record<string, string>): Promise<Server | null>;
}

/** OKJ_DEBUG_LOG=1 shows the server's error logs (a 500's cause) instead of silence. */
async function started(env: Record<string, string>): Promise<Server> {
  let stores: Stores | null = null;
  const b = await boot({ ...(process.env.OKJ_DEBUG_LOG ? { LOG_LEVEL: 'error' } : {}), ...env }, { wrapStores: (s) => (stores = s) });
  return { ...b, stores: stores as unknown as Stores };
}

export const backends: Backend[] = [
  {
    name: 'sqlite',
    async start(t, env = {}) {
      const s = await started(env);
      t.teardown(() => s.stop());
      return s;
    },
  },
  {
    name: 'mariadb',
    async start(t, env = {}) {
      let s: Server | null = null;
      const db = await mariaDbDatabase(t, async () => s?.stop());
      if (db === null) return null;
      s = await started({ DATABASE_URL: db.url, ...env });
      return s;
    },
  },
];

export const PASSWORD = 'correct horse battery staple';

export interface Person {
  email: string;
  password: string;
  nickname: string;
  name: string;
  gender: string;
  ageBand: string;
  region: string;
  [k: string]: unknown;
}

export function person(over: Partial<Person> = {}): Person {
  const tag = randomBytes(4).toString('hex');
  return {
    email: `user-${tag}@example.com`, password: PASSWORD, nickname: `nick_${tag}`, name: 'Kim Minji',
    gender: 'FEMALE', ageBand: '30s', region: 'SEOUL', ...over,
  };
}

export interface SignedIn {
  person: Person;
  userId: string;
  access: string;
  refresh: string;
}

export async function signup(s: Booted, p: Person, headers?: Record<string, string>): Promise<Res> {
  return api(s.http, 'POST', '/api/v1/auth/signup', { body: p, headers });
}

/** The next mail to `email` of this kind (mails go out in the background, after signup's answer). */
export async function mailTo(s: Booted, email: string, kind: 'verify-email' | 'already-registered', ms?: number): Promise<MailMessage> {
  const to = email.trim().toLowerCase();
  return s.mail.take((m) => m.to === to && m.kind === kind, ms);
}

/** The token of the next verification mail to `email`. */
export async function verificationToken(s: Booted, email: string): Promise<string> {
  const m = await mailTo(s, email, 'verify-email');
  const token = tokenInLink(m.text);
  if (token === null) throw new Error(`no link in the verification mail: ${m.text}`);
  return token;
}

export async function verify(s: Booted, body: { token: string; password: string; nickname?: string }, headers?: Record<string, string>): Promise<Res> {
  return api(s.http, 'POST', '/api/v1/auth/verify', { body, headers });
}

/** Sign up and verify with the link's token: verify's answer (tokens); fails loudly when a step is refused. */
export async function signUpAndVerify(s: Booted, p: Person): Promise<Res> {
  const su = await signup(s, p);
  if (su.status !== 202) throw new Error(`signup: ${su.status} ${JSON.stringify(su.body)}`);
  const v = await verify(s, { token: await verificationToken(s, p.email), password: p.password });
  if (v.status !== 200) throw new Error(`verify: ${v.status} ${JSON.stringify(v.body)}`);
  return v;
}

export async function login(s: Booted, email: string, password: string, headers?: Record<string, string>): Promise<Res> {
  return api(s.http, 'POST', '/api/v1/auth/login', { body: { email, password }, headers });
}

/** Sign up, verify (which signs in); fails loudly when either is refused. */
export async function newUser(s: Booted, over: Partial<Person> = {}): Promise<SignedIn> {
  const p = person(over);
  const v = await signUpAndVerify(s, p);
  return { person: p, userId: v.body.userId, access: v.body.accessToken, refresh: v.body.refreshToken };
}

export const me = (s: Server, token: string) => api(s.http, 'GET', '/api/v1/accounts/me', { token });

// Users for the marketplace tests: sellers and bidders sign up and sign in over the real accounts
// routes. An admin is a signed token with the admin role (admins are granted by `npm run admin:grant`,
// which test/accounts/access.test.ts covers).
import { randomUUID } from 'node:crypto';
import { api, type Booted } from '../gateway/harness.ts';
import { person } from '../accounts/helpers.ts';

export interface TestUser {
  id: string;
  token: string;
}

async function signUp(b: Booted): Promise<TestUser> {
  const p = person();
  const su = await api(b.http, 'POST', '/api/v1/auth/signup', { body: p });
  if (su.status !== 202) throw new Error(`signup: ${su.status} ${JSON.stringify(su.body)}`);
  const li = await api(b.http, 'POST', '/api/v1/auth/login', { body: { email: p.email, password: p.password } });
  if (li.status !== 200) throw new Error(`login: ${li.status} ${JSON.stringify(li.body)}`);
  return { id: li.body.userId as string, token: li.body.accessToken as string };
}

export const newSeller = (b: Booted, _tag = 'seller'): Promise<TestUser> => signUp(b);
export const newBidder = (b: Booted, _tag = 'bidder'): Promise<TestUser> => signUp(b);
export async function newAdmin(b: Booted): Promise<TestUser> {
  const id = `admin-${randomUUID().slice(0, 8)}`;
  return { id, token: await b.token(id, { role: 'admin' }) };
}

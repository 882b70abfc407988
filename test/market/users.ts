// Users for the marketplace tests: sellers and bidders sign up, verify their email (the link read from
// the server's memory mailer) and are signed in by the verification, over the real accounts routes. An
// admin is a signed token with the admin role (admins are granted by `npm run admin:grant`, which
// test/accounts/access.test.ts covers).
import { randomUUID } from 'node:crypto';
import type { Booted } from '../gateway/harness.ts';
import { person, signUpAndVerify } from '../accounts/helpers.ts';

export interface TestUser {
  id: string;
  token: string;
}

async function signUp(b: Booted): Promise<TestUser> {
  const v = await signUpAndVerify(b, person());
  return { id: v.body.userId as string, token: v.body.accessToken as string };
}

export const newSeller = (b: Booted, _tag = 'seller'): Promise<TestUser> => signUp(b);
export const newBidder = (b: Booted, _tag = 'bidder'): Promise<TestUser> => signUp(b);
export async function newAdmin(b: Booted): Promise<TestUser> {
  const id = `admin-${randomUUID().slice(0, 8)}`;
  return { id, token: await b.token(id, { role: 'admin' }) };
}

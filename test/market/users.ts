// Users for the marketplace tests. Until the accounts routes are merged a "signup" is a fresh user id
// with an access token signed by the server's keys; switching to the real signup route happens here only.
import { randomUUID } from 'node:crypto';
import type { Booted } from '../gateway/harness.ts';

export interface TestUser {
  id: string;
  token: string;
}

async function signUp(b: Booted, tag: string, role?: 'admin'): Promise<TestUser> {
  const id = `${tag}-${randomUUID().slice(0, 8)}`;
  return { id, token: await b.token(id, role === undefined ? {} : { role }) };
}

export const newSeller = (b: Booted, tag = 'seller'): Promise<TestUser> => signUp(b, tag);
export const newBidder = (b: Booted, tag = 'bidder'): Promise<TestUser> => signUp(b, tag);
export const newAdmin = (b: Booted): Promise<TestUser> => signUp(b, 'admin', 'admin');

// Sign-in throttling: failed attempts counted per account (by a hash of the email, registered or not,
// so the answer does not tell) and per client address, over a fixed window. Past either limit, sign-in
// is refused with TOO_MANY_ATTEMPTS before any password is checked. A success clears the account's count.
import { createHash } from 'node:crypto';
import { OkjError } from '../../engine/index.ts';
import type { AttemptCounter } from '../../storage/accounts.ts';

export interface ThrottleLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

const accountKey = (email: string) => `account:${createHash('sha256').update(email).digest('base64url')}`;
const addressKey = (ip: string) => `address:${ip}`;

export class LoginThrottle {
  constructor(private readonly counter: AttemptCounter, private readonly limits: ThrottleLimits) {}

  /** Throws TOO_MANY_ATTEMPTS (with Retry-After) when the account or the address is over its limit. */
  async check(email: string, ip: string): Promise<void> {
    const [acct, addr] = await Promise.all([this.counter.peek(accountKey(email)), this.counter.peek(addressKey(ip))]);
    const over = [
      acct.count >= this.limits.maxFailuresPerAccount ? acct.resetInMs : 0,
      addr.count >= this.limits.maxFailuresPerAddress ? addr.resetInMs : 0,
    ];
    const waitMs = Math.max(...over);
    if (waitMs > 0) throw new OkjError('TOO_MANY_ATTEMPTS', undefined, { retryAfter: Math.ceil(waitMs / 1000) });
  }

  async failed(email: string, ip: string): Promise<void> {
    const windowMs = this.limits.windowSeconds * 1000;
    await Promise.all([this.counter.fail(accountKey(email), windowMs), this.counter.fail(addressKey(ip), windowMs)]);
  }

  async succeeded(email: string): Promise<void> {
    await this.counter.clear(accountKey(email));
  }
}

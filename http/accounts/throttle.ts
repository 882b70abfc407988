// Sign-in throttling over a fixed window, with three limits: per account from one client address (the
// strict one, so a stranger's failures elsewhere never lock the owner out), per account from everywhere
// (much higher, against guessing spread over many addresses) and per address. Accounts are keyed by a
// hash of the email, registered or not, so the answer does not tell. Each attempt is reserved on every
// limit before the password is checked, so parallel attempts cannot slip past a limit together; a failure
// stays counted, a success is given back and clears its account-and-address count.
import { createHash } from 'node:crypto';
import { OkjError } from '../../engine/index.ts';
import type { AttemptCounter } from '../../storage/accounts.ts';

export interface ThrottleLimits {
  maxFailuresPerAccountAddress: number;
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

const emailHash = (email: string) => createHash('sha256').update(email).digest('base64url');

function keys(email: string, ip: string) {
  const account = emailHash(email);
  return { pair: `account-address:${account}:${ip}`, account: `account:${account}`, address: `address:${ip}` };
}

export class LoginThrottle {
  constructor(private readonly counter: AttemptCounter, private readonly limits: ThrottleLimits) {}

  /**
   * Reserve one attempt on every limit, or throw TOO_MANY_ATTEMPTS (with Retry-After) when one is full;
   * nothing stays reserved then. Call before checking the password; a failure needs nothing more.
   */
  async reserve(email: string, ip: string): Promise<void> {
    const k = keys(email, ip);
    const { maxFailuresPerAccountAddress, maxFailuresPerAccount, maxFailuresPerAddress, windowSeconds } = this.limits;
    const windowMs = windowSeconds * 1000;
    const tries = await Promise.all([
      this.counter.reserve(k.pair, maxFailuresPerAccountAddress, windowMs),
      this.counter.reserve(k.account, maxFailuresPerAccount, windowMs),
      this.counter.reserve(k.address, maxFailuresPerAddress, windowMs),
    ]);
    const refused = tries.filter((r) => !r.reserved);
    if (refused.length === 0) return;
    const order = [k.pair, k.account, k.address];
    await Promise.all(tries.map((r, i) => (r.reserved ? this.counter.release(order[i]) : undefined)));
    const waitMs = Math.max(1000, ...refused.map((r) => r.resetInMs));
    throw new OkjError('TOO_MANY_ATTEMPTS', undefined, { retryAfter: Math.ceil(waitMs / 1000) });
  }

  /** The password was right: the attempt is given back, and this address's failures on the account forgotten. */
  async succeeded(email: string, ip: string): Promise<void> {
    const k = keys(email, ip);
    await Promise.all([this.counter.clear(k.pair), this.counter.release(k.account), this.counter.release(k.address)]);
  }
}

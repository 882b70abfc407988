// Sign-in throttling over a fixed window, with three limits: per account from one client address (the
// strict one, so a stranger's failures elsewhere never lock the owner out), per account from everywhere
// (much higher, against guessing spread over many addresses) and per address. Accounts are keyed by a
// hash of the email, registered or not, so the answer does not tell. Each attempt is reserved on every
// limit before the password is checked, so parallel attempts cannot slip past a limit together; a failure
// stays counted, a success is given back and clears its account-and-address count. Signup and email
// verification are limited over the same counters (SignupThrottle, below).
import { createHash } from 'node:crypto';
import { OkjError } from '../../engine/index.ts';
import type { AttemptCounter } from '../../storage/accounts/ports.ts';

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

export interface SignupLimits {
  maxPerAddress: number;
  maxMailsPerEmail: number;
  maxVerifyFailuresPerAddress: number;
  windowSeconds: number;
}

/**
 * Signup and verification limits, over the same counters: signups per client address (each costs a
 * password hash and may send a mail), signup mails per email (so signup cannot be used to flood an
 * inbox: counted for registered and new emails alike, and past it a signup still answers the same and
 * mails nothing, so the limit tells nothing either), and failed verifications per client address.
 */
export class SignupThrottle {
  constructor(private readonly counter: AttemptCounter, private readonly limits: SignupLimits) {}

  private get windowMs(): number {
    return this.limits.windowSeconds * 1000;
  }

  /** Count one signup from `ip`, or throw TOO_MANY_ATTEMPTS (with Retry-After) past the limit. */
  async signup(ip: string): Promise<void> {
    const r = await this.counter.reserve(`signup-address:${ip}`, this.limits.maxPerAddress, this.windowMs);
    if (!r.reserved) throw tooMany('too many signups from this address; wait and try again', r.resetInMs);
  }

  /** Whether one more signup mail may go to `email` in this window (and count it if so). */
  async mayMail(email: string): Promise<boolean> {
    return (await this.counter.reserve(`signup-email:${emailHash(email)}`, this.limits.maxMailsPerEmail, this.windowMs)).reserved;
  }

  /** Reserve one verification attempt from `ip` before checking it; TOO_MANY_ATTEMPTS past the limit. */
  async verifyAttempt(ip: string): Promise<void> {
    const r = await this.counter.reserve(`verify-address:${ip}`, this.limits.maxVerifyFailuresPerAddress, this.windowMs);
    if (!r.reserved) throw tooMany('too many failed verifications from this address; wait and try again', r.resetInMs);
  }

  /** The verification succeeded: its attempt is given back. */
  async verified(ip: string): Promise<void> {
    await this.counter.release(`verify-address:${ip}`);
  }
}

function tooMany(detail: string, resetInMs: number): OkjError {
  return new OkjError('TOO_MANY_ATTEMPTS', detail, { retryAfter: Math.ceil(Math.max(1000, resetInMs) / 1000) });
}

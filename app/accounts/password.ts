// Passwords: argon2id (OWASP's parameters by default: 19 MiB, 2 passes, 1 lane; configurable, and never
// less than OWASP's table in production) through @node-rs/argon2, whose verify compares in constant time. The policy (NIST SP 800-63B style): 10 to 128 characters, any
// characters, not the email or its name part, not one of the commonest passwords, not one repeated
// character. No composition rules: they make passwords harder to remember, not to guess.
import { hash, verify, type Options } from '@node-rs/argon2';
import { OkjError } from '../../engine/index.ts';
import { OWASP_COST, type HashCost } from './config.ts';

export const PASSWORD_MIN = 10;
/** Long enough for any passphrase, short enough that hashing it is never a denial of service. */
export const PASSWORD_MAX = 128;

/** Lower-cased; checked after removing digits and symbols at the ends, so "Password123!" is caught too. */
const COMMON = new Set([
  'password', 'passw0rd', 'p@ssword', 'p@ssw0rd', 'qwerty', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'iloveyou',
  'admin', 'administrator', 'welcome', 'letmein', 'monkey', 'dragon', 'football', 'baseball', 'princess',
  'sunshine', 'superman', 'starwars', 'whatever', 'trustno', 'master', 'shadow', 'michael', 'charlie',
  'abc', 'abcdef', 'abcdefg', 'abcdefgh', 'abcdefghij', 'qazwsx', 'qweasd', 'qweasdzxc', 'changeme',
  'secret', 'login', 'default', 'hello', 'freedom', 'computer', 'internet', 'samsung', 'korea', 'seoul',
  'okjangpan', 'auction', 'google', 'naver', 'kakao',
]);
const COMMON_EXACT = new Set([
  '1234567890', '0123456789', '1234512345', '1q2w3e4r5t', '1qaz2wsx3edc', 'qwer1234!@', 'qwerty1234', 'asdf1234!@',
  'password12', 'password123', 'abcd123456', 'a123456789', 'q1w2e3r4t5', '9876543210', '1122334455',
]);

/** Why `password` is refused, or null when the policy accepts it. */
export function passwordProblem(password: string, email: string | null): string | null {
  const chars = [...password];
  if (chars.length < PASSWORD_MIN) return `the password must have at least ${PASSWORD_MIN} characters`;
  if (chars.length > PASSWORD_MAX) return `the password must have at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  if (new Set(chars).size === 1) return 'the password must not be one repeated character';
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
  if (COMMON_EXACT.has(lower) || COMMON.has(core) || /^\d+$/.test(lower)) return 'the password is too common';
  if (email !== null) {
    const e = email.toLowerCase();
    const local = e.split('@')[0];
    if (lower === e || lower.includes(e) || (local.length >= 4 && (core === local || lower === local))) {
      return 'the password must not be your email';
    }
  }
  return null;
}

export function assertPasswordPolicy(password: string, email: string | null): void {
  const why = passwordProblem(password, email);
  if (why !== null) throw new OkjError('WEAK_PASSWORD', why);
}

/**
 * Hashes and verifies passwords at one cost. Verification reads the cost from the stored hash, so a
 * change of cost applies to new hashes and old ones still verify.
 */
export class PasswordHasher {
  private readonly params: Options;
  private dummy: Promise<string> | null = null;

  constructor(cost: HashCost = OWASP_COST) {
    // `algorithm: 2` is Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
    this.params = { algorithm: 2 as Options['algorithm'], memoryCost: cost.memoryKib, timeCost: cost.passes, parallelism: 1 };
  }

  hash(password: string): Promise<string> {
    return hash(password, this.params);
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password);
    } catch {
      return false; // a malformed stored hash verifies nothing
    }
  }

  /**
   * Spend the time of one verification when there is no account (or no password) to check, so an unknown
   * email answers as slowly as a wrong password and timing does not tell which emails are registered.
   */
  async burn(password: string): Promise<false> {
    this.dummy ??= this.hash('not-a-real-password-only-for-timing');
    await this.verify(await this.dummy, password);
    return false;
  }
}

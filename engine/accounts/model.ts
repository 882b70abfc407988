// The accounts domain's model: who a person is to the marketplace, and what they and the API see of it.
import type { Millis, UserId } from '../kernel.ts';

export type AccountRole = 'USER' | 'ADMIN';
export type AccountStatus = 'ACTIVE' | 'WITHDRAWN';

/** What a person tells about themselves; every field may be changed through the profile. */
export interface Profile {
  nickname: string;
  name: string;
  /** Null only for accounts made through Google until their owner fills it in. */
  gender: string | null;
  ageBand: string | null;
  region: string | null;
  phone: string | null;
  preferredCategory: string | null;
  payoutAccount: string | null;
}

export interface Account extends Profile {
  id: UserId;
  /** Lower-cased; null once withdrawn. */
  email: string | null;
  /** argon2id PHC string; null for an account made through Google that has not set one. */
  passwordHash: string | null;
  /** The Google `sub` linked to this account, or null. */
  googleSubject: string | null;
  /**
   * When its owner proved the email (the signup's verification link, or Google's verified email); null
   * once withdrawn. Every account is created with a proven email.
   */
  emailVerifiedAt: Millis | null;
  role: AccountRole;
  status: AccountStatus;
  createdAt: Millis;
  updatedAt: Millis;
  withdrawnAt: Millis | null;
}

export interface Tokens {
  tokenType: 'Bearer';
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  userId: UserId;
  role: AccountRole;
}

export type SignupInput = Pick<Profile, 'nickname' | 'name'> & {
  email: string;
  password: string;
  gender: string;
  ageBand: string;
  region: string;
  phone?: string;
  preferredCategory?: string;
  payoutAccount?: string;
};

/** What the owner (or an admin) sees: no hash, the payout account masked. */
export interface AccountView extends Omit<Account, 'passwordHash' | 'googleSubject' | 'payoutAccount'> {
  hasPassword: boolean;
  googleLinked: boolean;
  payoutAccount: string | null;
}

export function accountView(a: Account): AccountView {
  const { passwordHash, googleSubject, payoutAccount, ...rest } = a;
  return {
    ...rest,
    hasPassword: passwordHash !== null,
    googleLinked: googleSubject !== null,
    payoutAccount: payoutAccount === null ? null : `${'*'.repeat(Math.max(0, payoutAccount.length - 4))}${payoutAccount.slice(-4)}`,
  };
}


/** One plain-text mail to a person (signup's verification link and the like). */
export interface MailMessage {
  /** `Name <address>` or a bare address (MAIL_FROM). */
  from: string;
  to: string;
  subject: string;
  /** Plain text. May carry a secret (a verification link): never log it. */
  text: string;
  /** What the message is, for logs and tests (`verify-email`, `already-registered`); never its content. */
  kind: string;
}

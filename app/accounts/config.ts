// The accounts section of the configuration: tokens, sessions, sign-in and signup throttles, mail, Google.
import path from 'node:path';
import { z } from 'zod';
import type { GoogleConfig } from '../../storage/accounts/google.ts';
import { int, parsesAsUrl, type EnvOf } from '../config-env.ts';

export type { GoogleConfig };

/** An address, or a display name and an address in angle brackets; no line breaks (header injection). */
const MAILBOX = /^(?:[^<>\r\n"]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

/** Argon2id's cost: memory in KiB and passes (PASSWORD_HASH_MEMORY_KIB, PASSWORD_HASH_PASSES). */
export interface HashCost {
  memoryKib: number;
  passes: number;
}

/** OWASP's first choice for argon2id; production refuses less. */
export const OWASP_COST: HashCost = { memoryKib: 19_456, passes: 2 };

export const accountsEnv = {
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 key)').optional(),
  JWT_ISSUER: z.string().min(1).default('okjangpan'),
  JWT_AUDIENCE: z.string().min(1).default('okjangpan-api'),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 30, 86_400),
  REFRESH_TOKEN_TTL_SECONDS: int(14 * 86_400, 300, 365 * 86_400),
  SESSION_MAX_AGE_SECONDS: int(30 * 86_400, 300, 365 * 86_400),
  LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: int(5, 1, 1000),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(100, 1, 100_000),
  LOGIN_MAX_FAILURES_PER_ADDRESS: int(50, 1, 100_000),
  LOGIN_FAILURE_WINDOW_SECONDS: int(900, 1, 86_400),
  RECENT_SIGN_IN_SECONDS: int(600, 1, 86_400),
  PASSWORD_HASH_MEMORY_KIB: int(OWASP_COST.memoryKib, 64, 4 * 1024 * 1024),
  PASSWORD_HASH_PASSES: int(OWASP_COST.passes, 1, 20),
  SIGNUP_MAX_PER_ADDRESS: int(20, 1, 1_000_000),
  SIGNUP_MAX_MAILS_PER_EMAIL: int(5, 1, 1000),
  VERIFY_MAX_FAILURES_PER_ADDRESS: int(20, 1, 1_000_000),
  SIGNUP_WINDOW_SECONDS: int(3600, 1, 7 * 86_400),
  MAIL_TRANSPORT: z.enum(['file', 'smtp']).default('file'),
  // Not z.url(): the message must never echo the value (it holds the SMTP password).
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s/?#]+\/?(?:\?\S*)?$/, 'must be smtp://[user:password@]host[:port] or smtps://... (TLS from the start)').optional(),
  MAIL_FROM: z.string().regex(MAILBOX, 'must be an address such as okjangpan@example.com, or a name and one: Okjangpan <no-reply@example.com>').default('okjangpan@localhost'),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_REDIRECT_URI: z.url().optional(),
  GOOGLE_AUTHORIZATION_ENDPOINT: z.url().default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_TOKEN_ENDPOINT: z.url().default('https://oauth2.googleapis.com/token'),
  GOOGLE_JWKS_URI: z.url().default('https://www.googleapis.com/oauth2/v3/certs'),
  GOOGLE_ISSUER: z.string().min(1).default('https://accounts.google.com'),
};

/** Outgoing mail (verification links): written to files under `dir`, or sent through SMTP. */
export interface MailConfig {
  transport: 'file' | 'smtp';
  /** smtp(s)://user:password@host:port; null unless transport is smtp. Never logged. */
  smtpUrl: string | null;
  from: string;
  /** DATA_DIR/mail: one .eml file per message with the file transport. */
  dir: string;
  /** Where links in mails point (no trailing slash). */
  publicBaseUrl: string;
}

export interface AccountsConfig {
  jwt: { secret: string | null; issuer: string; audience: string };
  accounts: {
    accessTtlSeconds: number;
    /** A refresh token's idle lifetime: each rotation issues a new one for this long. */
    refreshTtlSeconds: number;
    /** A session's absolute lifetime, however often it is refreshed. */
    sessionMaxAgeSeconds: number;
    login: { maxFailuresPerAccountAddress: number; maxFailuresPerAccount: number; maxFailuresPerAddress: number; windowSeconds: number };
    /** How recent a sign-in must be to set a first password or withdraw a Google-only account. */
    recentSignInSeconds: number;
    /** Argon2id's cost for new password hashes. */
    passwordHash: HashCost;
    /**
     * Over one window: signups per client address; signup mails per email (registered or not alike:
     * past it a signup still answers 202 and mails nothing); failed verifications per client address.
     */
    signup: { maxPerAddress: number; maxMailsPerEmail: number; maxVerifyFailuresPerAddress: number; windowSeconds: number };
  };
  mail: MailConfig;
  /** Google sign-in; null (off) unless client id, secret and redirect URI are all set. */
  google: GoogleConfig | null;
}

/** What this section reads of the shared variables. */
interface Shared {
  NODE_ENV: string;
  PORT: number;
  PUBLIC_BASE_URL?: string;
  dataDir: string;
}

export function accountsConfig(e: EnvOf<typeof accountsEnv> & Shared, problems: string[]): AccountsConfig {
  if (e.NODE_ENV === 'production' && e.JWT_SECRET === undefined) {
    problems.push('JWT_SECRET: required when NODE_ENV=production (a random key would log everyone out at each restart)');
  }
  if (e.REFRESH_TOKEN_TTL_SECONDS > e.SESSION_MAX_AGE_SECONDS) {
    problems.push('REFRESH_TOKEN_TTL_SECONDS: must not exceed SESSION_MAX_AGE_SECONDS');
  }
  const googleVars = { GOOGLE_CLIENT_ID: e.GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET: e.GOOGLE_CLIENT_SECRET, GOOGLE_REDIRECT_URI: e.GOOGLE_REDIRECT_URI };
  const missingGoogle = Object.entries(googleVars).filter(([, v]) => v === undefined).map(([k]) => k);
  if (missingGoogle.length > 0 && missingGoogle.length < 3) {
    problems.push(`${missingGoogle.join(', ')}: Google sign-in needs GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET and GOOGLE_REDIRECT_URI together (set the missing ones or unset all three)`);
  }
  // OWASP's table for argon2id: at least 7 MiB, and memory x passes at least that of 7 MiB x 5 (19 MiB x 2,
  // 12 MiB x 3 ... all qualify). Tests run cheaper; production never does.
  const hashWork = e.PASSWORD_HASH_MEMORY_KIB * e.PASSWORD_HASH_PASSES;
  if (e.NODE_ENV === 'production' && (e.PASSWORD_HASH_MEMORY_KIB < 7168 || hashWork < 7168 * 5)) {
    problems.push(`PASSWORD_HASH_MEMORY_KIB: with PASSWORD_HASH_PASSES, below OWASP's minimum for argon2id (at least 7168 KiB, and KiB x passes at least ${7168 * 5}); allowed only outside production`);
  }
  if (e.MAIL_TRANSPORT === 'smtp' && e.SMTP_URL === undefined) {
    problems.push('SMTP_URL: required when MAIL_TRANSPORT=smtp (smtps://user:password@smtp.example.com:465, or smtp://... for STARTTLS on 587)');
  }
  if (e.SMTP_URL !== undefined && !parsesAsUrl(e.SMTP_URL)) {
    problems.push('SMTP_URL: not a valid URL (percent-encode any reserved character of the user name and password, such as @ : / ? #)');
  }
  if (e.MAIL_TRANSPORT === 'file' && e.SMTP_URL !== undefined) {
    problems.push('MAIL_TRANSPORT: SMTP_URL is set but MAIL_TRANSPORT is file (the default); set MAIL_TRANSPORT=smtp to send through it, or unset SMTP_URL');
  }
  return {
    jwt: { secret: e.JWT_SECRET ?? null, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE },
    accounts: {
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      sessionMaxAgeSeconds: e.SESSION_MAX_AGE_SECONDS,
      login: {
        maxFailuresPerAccountAddress: e.LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS,
        maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
        windowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      },
      recentSignInSeconds: e.RECENT_SIGN_IN_SECONDS,
      passwordHash: { memoryKib: e.PASSWORD_HASH_MEMORY_KIB, passes: e.PASSWORD_HASH_PASSES },
      signup: {
        maxPerAddress: e.SIGNUP_MAX_PER_ADDRESS,
        maxMailsPerEmail: e.SIGNUP_MAX_MAILS_PER_EMAIL,
        maxVerifyFailuresPerAddress: e.VERIFY_MAX_FAILURES_PER_ADDRESS,
        windowSeconds: e.SIGNUP_WINDOW_SECONDS,
      },
    },
    mail: {
      transport: e.MAIL_TRANSPORT,
      smtpUrl: e.MAIL_TRANSPORT === 'smtp' ? e.SMTP_URL ?? null : null,
      from: e.MAIL_FROM,
      dir: path.join(e.dataDir, 'mail'),
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    },
    google: missingGoogle.length > 0 ? null : {
      clientId: e.GOOGLE_CLIENT_ID as string,
      clientSecret: e.GOOGLE_CLIENT_SECRET as string,
      redirectUri: e.GOOGLE_REDIRECT_URI as string,
      authorizationEndpoint: e.GOOGLE_AUTHORIZATION_ENDPOINT,
      tokenEndpoint: e.GOOGLE_TOKEN_ENDPOINT,
      jwksUri: e.GOOGLE_JWKS_URI,
      issuer: e.GOOGLE_ISSUER,
    },
  };
}

// Wiring of the accounts domain from configuration and stores: the session check and the one access-token
// verifier built over it (handed to the HTTP API and the socket), the account service with its mail
// queue over the given mailer, and Google sign-in when configured.
import type { AuctionCommands, AuctionQueries } from '../../engine/auction/api.ts';
import type { GoogleFlow } from '../../engine/accounts/api.ts';
import type { Logger } from '../../engine/logger.ts';
import type { AccountStore, AttemptCounter, SessionStore } from '../../storage/accounts/ports.ts';
import { GoogleSignIn } from '../../storage/accounts/google.ts';
import type { Config } from '../config.ts';
import { MailQueue, type Mailer } from './mailer.ts';
import { PasswordHasher } from './password.ts';
import { SessionGuard } from './revocation.ts';
import { AccountService } from './service.ts';
import { LoginThrottle, SignupThrottle } from './throttle.ts';
import { AccessTokens, tokenKeys } from './tokens.ts';
import { releaseAuctionsOf } from './withdrawal.ts';

export interface AccountsWiring {
  config: Pick<Config, 'accounts' | 'google' | 'mail' | 'jwt'>;
  stores: { accounts: AccountStore; sessions: SessionStore; attempts: AttemptCounter };
  auctions: AuctionCommands & Pick<AuctionQueries, 'involving'>;
  mailer: Mailer;
  log: Logger;
}

export interface Accounts {
  accounts: AccountService;
  /** Verifies and signs access tokens, checking their sessions. */
  tokens: AccessTokens;
  google: GoogleFlow | null;
}

export function createAccounts(w: AccountsWiring): Accounts {
  const { accounts: cfg } = w.config;
  const guard = new SessionGuard(w.stores.sessions, cfg.accessTtlSeconds * 1000);
  const tokens = new AccessTokens(tokenKeys(w.config.jwt, (msg) => w.log.warn({}, msg)), guard);
  const accounts = new AccountService({
    accounts: w.stores.accounts,
    sessions: w.stores.sessions,
    throttle: new LoginThrottle(w.stores.attempts, cfg.login),
    signupThrottle: new SignupThrottle(w.stores.attempts, cfg.signup),
    mail: { queue: new MailQueue(w.mailer, w.log), from: w.config.mail.from, publicBaseUrl: w.config.mail.publicBaseUrl },
    log: w.log,
    guard,
    tokens,
    lifetimes: cfg,
    recentSignInSeconds: cfg.recentSignInSeconds,
    passwords: new PasswordHasher(cfg.passwordHash),
    releaseAuctions: (user) => releaseAuctionsOf(user, w.auctions),
  });
  return { accounts, tokens, google: w.config.google === null ? null : new GoogleSignIn(w.config.google) };
}

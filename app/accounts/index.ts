// Wiring of the account side from configuration and stores: the service, its mail queue over the given
// mailer, Google sign-in (when configured), and the session check every access token goes through
// (installed on `keys`).
import type { Config } from '../config.ts';
import type { Logger } from '../auction/service.ts';
import type { AccountStore, AttemptCounter, SessionStore } from '../../storage/accounts/ports.ts';
import type { TokenKeys } from './tokens.ts';
import { GoogleSignIn } from '../../storage/accounts/google.ts';
import { MailQueue, type Mailer } from './mailer.ts';
import { SessionGuard } from './revocation.ts';
import { AccountService } from './service.ts';
import { LoginThrottle, SignupThrottle } from './throttle.ts';
import { settleAuctionsOf, type AuctionCommands, type LiveAuctions } from './withdrawal.ts';

export interface AccountsWiring {
  config: Pick<Config, 'accounts' | 'google' | 'mail'>;
  keys: TokenKeys;
  stores: { accounts: AccountStore; sessions: SessionStore; attempts: AttemptCounter };
  auctions: AuctionCommands & { registry: LiveAuctions };
  mailer: Mailer;
  log: Logger;
}

export function createAccounts(w: AccountsWiring): { accounts: AccountService; google: GoogleSignIn | null } {
  const { accounts: cfg } = w.config;
  const guard = new SessionGuard(w.stores.sessions, cfg.accessTtlSeconds * 1000);
  w.keys.sessions = guard;
  const accounts = new AccountService({
    accounts: w.stores.accounts,
    sessions: w.stores.sessions,
    throttle: new LoginThrottle(w.stores.attempts, cfg.login),
    signupThrottle: new SignupThrottle(w.stores.attempts, cfg.signup),
    mail: { queue: new MailQueue(w.mailer, w.log), from: w.config.mail.from, publicBaseUrl: w.config.mail.publicBaseUrl },
    log: w.log,
    guard,
    keys: w.keys,
    lifetimes: cfg,
    recentSignInSeconds: cfg.recentSignInSeconds,
    settleAuctions: (user) => settleAuctionsOf(user, w.auctions.registry, w.auctions),
  });
  return { accounts, google: w.config.google === null ? null : new GoogleSignIn(w.config.google) };
}

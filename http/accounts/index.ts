// Wiring of the account side from configuration and stores: the service, Google sign-in (when
// configured), and the session check every access token goes through (installed on `keys`).
import type { Config } from '../../app/config.ts';
import type { AccountStore, AttemptCounter, SessionStore } from '../../storage/accounts.ts';
import type { TokenKeys } from '../tokens.ts';
import { GoogleSignIn } from './google.ts';
import { SessionGuard } from './revocation.ts';
import { AccountService } from './service.ts';
import { LoginThrottle } from './throttle.ts';
import { settleAuctionsOf, type AuctionCommands, type LiveAuctions } from './withdrawal.ts';

export interface AccountsWiring {
  config: Pick<Config, 'accounts' | 'google'>;
  keys: TokenKeys;
  stores: { accounts: AccountStore; sessions: SessionStore; attempts: AttemptCounter };
  auctions: AuctionCommands & { registry: LiveAuctions };
}

export function createAccounts(w: AccountsWiring): { accounts: AccountService; google: GoogleSignIn | null } {
  const { accounts: cfg } = w.config;
  const guard = new SessionGuard(w.stores.sessions, cfg.accessTtlSeconds * 1000);
  w.keys.sessions = guard;
  const accounts = new AccountService({
    accounts: w.stores.accounts,
    sessions: w.stores.sessions,
    throttle: new LoginThrottle(w.stores.attempts, cfg.login),
    guard,
    keys: w.keys,
    lifetimes: cfg,
    recentSignInSeconds: cfg.recentSignInSeconds,
    settleAuctions: (user) => settleAuctionsOf(user, w.auctions.registry, w.auctions),
  });
  return { accounts, google: w.config.google === null ? null : new GoogleSignIn(w.config.google) };
}

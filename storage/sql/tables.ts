// Table names, for the store's queries. (Migrations spell their names out: a shipped migration must
// never change because a constant did.)
export const TABLES = {
  /** One summary row per auction, written with its events: listings, live(), recovery. */
  auctions: 'auctions',
  /** The journal: one row per accepted event, keyed (auction_id, seq). */
  events: 'auction_events',
  /** Idempotency: the first reply to each (by_user, rid). */
  replies: 'command_replies',
  /** The latest whole actor state of an auction, at a seq. */
  snapshots: 'auction_snapshots',
  /** Accounts (soft-deleted: withdrawn rows stay, scrubbed). */
  users: 'accounts_users',
  /** Sessions: one per signed-in device, a family of refresh tokens. */
  sessions: 'accounts_sessions',
  /** Refresh tokens by hash, each spent once. */
  refreshTokens: 'accounts_refresh_tokens',
} as const;

/** Where knex records which migrations ran. */
export const MIGRATIONS_TABLE = 'okj_migrations';

// Table names, for the store's queries. (Migrations spell their names out: a shipped migration must
// never change because a constant did.)
export const TABLES = {
  /** One summary row per auction, written with its events: listings, live(), recovery. */
  auctions: 'auctions',
  /** The journal: one row per accepted event, keyed (auction_id, seq). */
  events: 'auction_events',
  /** Idempotency: the first reply to each (by_user, rid). */
  replies: 'command_replies',
  /** Idempotency: accepted replies evicted from memory early, by fingerprint of (by_user, rid). */
  spilled: 'spilled_replies',
  /** The latest whole actor state of an auction, at a seq. */
  snapshots: 'auction_snapshots',
  /** Accounts (soft-deleted: withdrawn rows stay, scrubbed). */
  users: 'accounts_users',
  /** Sessions: one per signed-in device, a family of refresh tokens. */
  sessions: 'accounts_sessions',
  /** Refresh tokens by hash, each spent once. */
  refreshTokens: 'accounts_refresh_tokens',
  /** Signups waiting for their email to be proven, by the hash of their verification token. */
  registrations: 'accounts_pending_registrations',
} as const;

/** Where knex records which migrations ran. */
export const MIGRATIONS_TABLE = 'okj_migrations';

/** The marketplace's tables (catalogue, listings projected from the journal, what a close leaves). */
export const MARKET_TABLES = {
  products: 'market_products',
  categories: 'market_categories',
  tags: 'market_tags',
  wishes: 'market_wishes',
  /** One row per auction: the facts lists filter and sort on, projected from committed events. */
  listings: 'auction_listings',
  listingTags: 'auction_listing_tags',
  /** (user, auction) for every accepted bid: "my auctions as bidder". */
  bidders: 'auction_bidders',
  orders: 'market_orders',
  inbox: 'market_inbox',
  /** How far each outbox relay has published the journal (by position). */
  outboxCursors: 'outbox_cursors',
  /** The embedded close scheduler's due times. */
  closeSchedules: 'close_schedules',
} as const;

/** Orders and payments (SPEC §5). */
export const PAYMENT_TABLES = {
  /** One row per order: its state as a document, and the columns it is found by. */
  orders: 'payment_orders',
  /** Each order's events, keyed (order_id, seq). */
  events: 'payment_order_events',
  /** Durable timers and webhook work, each done once. */
  jobs: 'payment_jobs',
  strikes: 'payment_strikes',
  suspensions: 'payment_suspensions',
  offers: 'payment_offers',
} as const;

/** Settlement's tables (SPEC §6). */
export const SETTLEMENT_TABLES = {
  transactions: 'ledger_transactions',
  entries: 'ledger_entries',
  balances: 'ledger_balances',
  feePolicies: 'settlement_fee_policies',
  sellers: 'settlement_sellers',
  settlements: 'settlements',
  lines: 'settlement_lines',
  payouts: 'settlement_payouts',
  holds: 'settlement_holds',
} as const;

/** Chat's tables (SPEC §7). */
export const CHAT_TABLES = {
  rooms: 'chat_rooms',
  /** Keyed (room_id, seq), unique (from_user, rid). */
  messages: 'chat_messages',
  reads: 'chat_reads',
  blocks: 'chat_blocks',
  reports: 'chat_reports',
} as const;

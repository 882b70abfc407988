// Schema migrations as TS modules, handed to knex through a custom migrationSource (no directory scan,
// so they run under tsx and in a bundle alike). Each one runs on SQLite and on MySQL/MariaDB.
// Append new migrations to MIGRATIONS; never edit one that has shipped.
import type { Knex } from 'knex';
import { MIGRATIONS_TABLE } from '../tables.ts';
import { journal } from './0001_journal.ts';
import { eventTime } from './0002_event_time.ts';
import { summaryWithoutBids } from './0003_summary_without_bids.ts';
import { accounts } from './0004_accounts.ts';
import { market } from './0005_market.ts';
import { journalPositions } from './0006_journal_positions.ts';
import { spilledReplies } from './0007_spilled_replies.ts';
import { payments } from './0008_payments.ts';
import { settlement } from './0011_settlement.ts';
import { chat } from './0009_chat.ts';
import { recoPricing } from './0010_reco_pricing.ts';
import type { SqlMigration } from './helpers.ts';

export type { SqlMigration } from './helpers.ts';

export const MIGRATIONS: readonly SqlMigration[] = [
  journal, eventTime, summaryWithoutBids, accounts, market, journalPositions, spilledReplies, payments,
  chat, recoPricing, settlement,
];

/** Feeds MIGRATIONS to knex's migrator, in order. */
export const migrationSource: Knex.MigrationSource<SqlMigration> = {
  async getMigrations() {
    return [...MIGRATIONS];
  },
  getMigrationName(m) {
    return m.name;
  },
  async getMigration(m) {
    return { up: m.up, down: m.down };
  },
};

/** Bring the schema up to date. Safe from several processes at once: knex takes a lock table. */
export async function migrateLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest({ migrationSource, tableName: MIGRATIONS_TABLE });
}

// Summary rows are written only with lifecycle events now (storage/auction/summary.ts), so a bid count kept
// there would be wrong: the column goes. The count lives in the actor, the board and snapshots.
// (DROP COLUMN: MySQL, MariaDB, and SQLite 3.35+, which better-sqlite3 bundles.)
import type { SqlMigration } from './helpers.ts';

export const summaryWithoutBids: SqlMigration = {
  name: '0003_summary_without_bids',
  async up(knex) {
    await knex.raw('ALTER TABLE auctions DROP COLUMN bid_count');
  },
  async down(knex) {
    await knex.schema.alterTable('auctions', (t) => {
      t.integer('bid_count').unsigned().notNullable().defaultTo(0);
    });
  },
};

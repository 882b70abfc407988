// Settlement (SPEC §6): the double-entry ledger (transactions, entries, maintained balances), fee
// policies, sellers' plans and payout accounts, settlements with their lines, payouts and holds.
// Money is BIGINT signed won, times BIGINT epoch ms.
import type { SqlMigration } from './helpers.ts';
import { mysqlTable } from './helpers.ts';

const ID = 64;
const KEY = 160;
const WORD = 24;

export const settlement: SqlMigration = {
  name: '0011_settlement',
  async up(knex) {
    await knex.schema.createTable('ledger_transactions', (t) => {
      mysqlTable(knex, t);
      t.string('tx_key', KEY).primary(); // unique: a retried posting is refused here
      t.string('cause', WORD).notNullable();
      t.string('ref', KEY).notNullable();
      t.bigInteger('at').notNullable();
      t.string('order_id', ID).nullable();
      t.string('seller_id', ID).nullable();
      t.bigInteger('price').nullable();
      t.bigInteger('fee').nullable();
      t.index(['cause', 'at'], 'ledger_transactions_cause_idx');
      t.index(['at'], 'ledger_transactions_at_idx');
    });
    await knex.schema.createTable('ledger_entries', (t) => {
      mysqlTable(knex, t);
      t.string('tx_key', KEY).notNullable();
      t.integer('idx').notNullable();
      t.string('account', KEY).notNullable();
      t.bigInteger('amount').notNullable();
      t.bigInteger('at').notNullable();
      t.primary(['tx_key', 'idx']);
      t.index(['account', 'at'], 'ledger_entries_account_idx');
    });
    await knex.schema.createTable('ledger_balances', (t) => {
      mysqlTable(knex, t);
      t.string('account', KEY).primary();
      t.bigInteger('balance').notNullable();
      t.bigInteger('version').notNullable();
    });
    await knex.schema.createTable('settlement_fee_policies', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.string('category_id', ID).nullable();
      t.string('plan', WORD).notNullable();
      t.integer('rate_bps').notNullable();
      t.bigInteger('min_fee').notNullable();
      t.bigInteger('effective_from').notNullable();
      t.bigInteger('created_at').notNullable();
    });
    await knex.schema.createTable('settlement_sellers', (t) => {
      mysqlTable(knex, t);
      t.string('seller_id', ID).primary();
      t.string('plan', WORD).notNullable();
      t.string('bank_code', 16).nullable();
      t.string('account_number', 32).nullable();
      t.string('holder_name', 100).nullable();
      t.bigInteger('updated_at').notNullable();
    });
    await knex.schema.createTable('settlements', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.string('seller_id', ID).notNullable();
      t.string('period', 10).notNullable();
      t.string('status', WORD).notNullable();
      t.bigInteger('amount').notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.unique(['seller_id', 'period'], { indexName: 'settlements_seller_period_uq' }); // at most once per (seller, period)
      t.index(['created_at'], 'settlements_created_idx');
    });
    await knex.schema.createTable('settlement_lines', (t) => {
      mysqlTable(knex, t);
      t.string('settlement_id', ID).notNullable();
      t.string('order_id', ID).notNullable();
      t.bigInteger('price').notNullable();
      t.bigInteger('fee').notNullable();
      t.bigInteger('net').notNullable();
      t.bigInteger('confirmed_at').notNullable();
      // The order while its settlement is live, NULL once released by a failed payout: an order is in at
      // most one live settlement (NULLs never collide in a unique index, on either dialect).
      t.string('claim', ID).nullable();
      t.primary(['settlement_id', 'order_id']);
      t.unique(['claim'], { indexName: 'settlement_lines_claim_uq' });
    });
    await knex.schema.createTable('settlement_payouts', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.string('seller_id', ID).notNullable();
      t.string('period', 10).notNullable();
      t.bigInteger('amount').notNullable();
      t.string('bank_code', 16).notNullable();
      t.string('account_number', 32).notNullable();
      t.string('holder_name', 100).notNullable();
      t.string('status', WORD).notNullable();
      t.string('reference', 200).nullable();
      t.string('failure', 500).nullable();
      t.bigInteger('updated_at').notNullable();
      // A PENDING payout is being sent by the run that claimed it until then; after it, a later run
      // (the first one crashed) claims and sends it again, under the same id.
      t.bigInteger('claimed_until').notNullable();
      t.index(['status', 'updated_at'], 'settlement_payouts_status_idx');
    });
    await knex.schema.createTable('settlement_holds', (t) => {
      mysqlTable(knex, t);
      t.string('seller_id', ID).notNullable();
      t.string('period', 10).notNullable();
      t.bigInteger('amount').notNullable();
      t.bigInteger('at').notNullable();
      t.primary(['seller_id', 'period']);
    });
  },
  async down(knex) {
    for (const table of ['settlement_holds', 'settlement_payouts', 'settlement_lines', 'settlements', 'settlement_sellers',
      'settlement_fee_policies', 'ledger_balances', 'ledger_entries', 'ledger_transactions']) {
      await knex.schema.dropTableIfExists(table);
    }
  },
};

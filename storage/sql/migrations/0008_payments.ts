// Orders and payments (SPEC §5): each order's state (a JSON document beside the columns it is found
// by), its events keyed (order_id, seq), durable jobs (expiry, auto-confirm, webhooks; done_at set once),
// non-payment strikes and suspensions, second-chance offers. Money is BIGINT won, times BIGINT epoch ms.
import type { SqlMigration } from './helpers.ts';
import { mysqlTable } from './helpers.ts';

const ID = 64;

export const payments: SqlMigration = {
  name: '0008_payments',
  async up(knex) {
    await knex.schema.createTable('payment_orders', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.string('buyer_id', ID).notNullable();
      t.string('seller_id', ID).notNullable();
      t.string('status', 32).notNullable();
      t.integer('seq').notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('confirming_since').nullable();
      t.text('doc').notNullable();
      t.index(['buyer_id', 'created_at'], 'payment_orders_buyer_idx');
      t.index(['seller_id', 'created_at'], 'payment_orders_seller_idx');
      t.index(['confirming_since'], 'payment_orders_confirming_idx');
    });
    await knex.schema.createTable('payment_order_events', (t) => {
      mysqlTable(knex, t);
      t.string('order_id', ID).notNullable();
      t.integer('seq').notNullable();
      t.string('type', 32).notNullable();
      t.bigInteger('at').notNullable();
      t.text('doc').notNullable();
      t.primary(['order_id', 'seq']);
    });
    await knex.schema.createTable('payment_jobs', (t) => {
      mysqlTable(knex, t);
      t.string('id', 160).primary();
      t.string('kind', 16).notNullable();
      t.string('ref', ID).notNullable();
      t.bigInteger('due_at').notNullable();
      t.integer('attempts').notNullable();
      t.text('payload').nullable();
      t.boolean('pending').notNullable();
      t.index(['pending', 'due_at'], 'payment_jobs_due_idx');
    });
    await knex.schema.createTable('payment_strikes', (t) => {
      mysqlTable(knex, t);
      t.string('user_id', ID).notNullable();
      t.string('order_id', ID).notNullable();
      t.bigInteger('at').notNullable();
      t.primary(['user_id', 'order_id']);
    });
    await knex.schema.createTable('payment_offers', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.string('order_id', ID).notNullable().unique('payment_offers_order_uq'); // one offer per expired order
      t.string('seller_id', ID).notNullable();
      t.string('bidder_id', ID).notNullable();
      t.string('status', 16).notNullable();
      t.bigInteger('created_at').notNullable();
      t.text('doc').notNullable();
      t.index(['seller_id', 'created_at'], 'payment_offers_seller_idx');
      t.index(['bidder_id', 'created_at'], 'payment_offers_bidder_idx');
    });
    await knex.schema.createTable('payment_suspensions', (t) => {
      mysqlTable(knex, t);
      t.string('user_id', ID).primary();
      t.bigInteger('since').notNullable();
      t.bigInteger('lifted_at').nullable();
    });
  },
  async down(knex) {
    for (const name of ['payment_offers', 'payment_suspensions', 'payment_strikes', 'payment_jobs', 'payment_order_events', 'payment_orders']) {
      await knex.schema.dropTableIfExists(name);
    }
  },
};

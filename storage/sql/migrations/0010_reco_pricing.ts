// Price predictions (storage/pricing/sql.ts): each product's latest answer, as the seed kept them: today's
// range (low, typical, high), the three-month outlook, where it came from (`source`), how sure, and the
// data it rests on (JSON, shown as is). One row per product, replaced by each new answer.
import type { SqlMigration } from './helpers.ts';
import { mysqlTable } from './helpers.ts';

export const recoPricing: SqlMigration = {
  name: '0010_reco_pricing',
  async up(knex) {
    await knex.schema.createTable('price_predictions', (t) => {
      mysqlTable(knex, t);
      t.string('product_id', 64).notNullable().primary();
      t.string('name_key', 100).notNullable();
      t.string('source', 16).notNullable();
      t.bigInteger('today_low').nullable();
      t.bigInteger('today_typical').nullable();
      t.bigInteger('today_high').nullable();
      t.bigInteger('outlook_low').nullable();
      t.bigInteger('outlook_high').nullable();
      t.double('confidence').notNullable();
      t.text('basis').notNullable();
      t.string('rejected', 32).nullable();
      t.bigInteger('at').notNullable();
      t.index(['name_key'], 'price_predictions_name_idx');
    });
  },
  async down(knex) {
    await knex.schema.dropTable('price_predictions');
  },
};

// The marketplace: catalogue, listings projected from the journal, orders, inbox, outbox cursors and the
// embedded close scheduler's rows. Money is BIGINT won, times BIGINT epoch ms, ids at most 64 characters.
import type { SqlMigration } from './helpers.ts';
import { mysqlTable } from './helpers.ts';

const ID = 64;
const WORD = 16;

export const market: SqlMigration = {
  name: '0005_market',
  async up(knex) {
    await knex.schema.createTable('market_products', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.string('seller_id', ID).notNullable();
      t.string('name', 200).notNullable();
      t.text('description').notNullable();
      t.string('category_id', ID).nullable();
      t.text('images').notNullable(); // JSON array; read whole, never queried inside
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.bigInteger('deleted_at').nullable();
      t.index(['seller_id', 'created_at'], 'market_products_seller_idx');
    });
    await knex.schema.createTable('market_categories', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.string('name', 100).notNullable();
      t.string('parent_id', ID).nullable();
    });
    await knex.schema.createTable('market_tags', (t) => {
      mysqlTable(knex, t);
      t.string('name', ID).primary();
    });
    await knex.schema.createTable('market_wishes', (t) => {
      mysqlTable(knex, t);
      t.string('user_id', ID).notNullable();
      t.string('auction_id', ID).notNullable();
      t.bigInteger('at').notNullable();
      t.primary(['user_id', 'auction_id']);
      t.index(['user_id', 'at'], 'market_wishes_user_idx');
    });
    await knex.schema.createTable('auction_listings', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.integer('seq').unsigned().notNullable().defaultTo(0);
      t.string('seller_id', ID).notNullable().defaultTo('');
      t.string('product_id', ID).notNullable().defaultTo('');
      t.string('status', WORD).notNullable().defaultTo('PENDING');
      t.bigInteger('price').notNullable().defaultTo(0);
      t.integer('bid_count').unsigned().notNullable().defaultTo(0);
      t.bigInteger('starts_at').notNullable().defaultTo(0);
      t.bigInteger('ends_at').notNullable().defaultTo(0);
      t.bigInteger('buy_now_price').nullable();
      t.string('title', 200).notNullable().defaultTo('');
      t.string('category_id', ID).nullable();
      t.text('tags').nullable(); // JSON array for reading; filtering uses auction_listing_tags
      t.bigInteger('created_at').notNullable().defaultTo(0);
      t.bigInteger('views').notNullable().defaultTo(0);
      t.integer('wishes').unsigned().notNullable().defaultTo(0);
      t.boolean('settled').notNullable().defaultTo(false);
      t.index(['status', 'ends_at'], 'auction_listings_ending_idx');
      t.index(['status', 'created_at'], 'auction_listings_newest_idx');
      t.index(['status', 'price'], 'auction_listings_price_idx');
      t.index(['seller_id', 'created_at'], 'auction_listings_seller_idx');
      t.index(['settled'], 'auction_listings_settled_idx');
    });
    await knex.schema.createTable('auction_listing_tags', (t) => {
      mysqlTable(knex, t);
      t.string('tag', ID).notNullable();
      t.string('auction_id', ID).notNullable();
      t.primary(['tag', 'auction_id']);
    });
    await knex.schema.createTable('auction_bidders', (t) => {
      mysqlTable(knex, t);
      t.string('user_id', ID).notNullable();
      t.string('auction_id', ID).notNullable();
      t.bigInteger('at').notNullable();
      t.primary(['user_id', 'auction_id']);
      t.index(['user_id', 'at'], 'auction_bidders_user_idx');
    });
    await knex.schema.createTable('market_orders', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.string('auction_id', ID).notNullable().unique('market_orders_auction_uq');
      t.string('buyer_id', ID).notNullable();
      t.string('seller_id', ID).notNullable();
      t.string('product_id', ID).notNullable();
      t.bigInteger('amount').notNullable();
      t.string('status', 32).notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('pay_by').notNullable();
      t.index(['buyer_id', 'created_at'], 'market_orders_buyer_idx');
      t.index(['seller_id', 'created_at'], 'market_orders_seller_idx');
    });
    await knex.schema.createTable('market_inbox', (t) => {
      mysqlTable(knex, t);
      t.string('id', 160).primary();
      t.string('user_id', ID).notNullable();
      t.string('auction_id', ID).notNullable();
      t.string('kind', WORD).notNullable();
      t.bigInteger('price').notNullable();
      t.string('order_id', ID).nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('read_at').nullable();
      t.index(['user_id', 'created_at'], 'market_inbox_user_idx');
    });
    // The outbox is the journal (read by position, 0006); a relay keeps only how far it has published.
    await knex.schema.createTable('outbox_cursors', (t) => {
      mysqlTable(knex, t);
      t.string('name', ID).primary();
      t.bigInteger('position').notNullable();
      t.bigInteger('updated_at').notNullable();
    });
    await knex.schema.createTable('close_schedules', (t) => {
      mysqlTable(knex, t);
      t.string('auction_id', ID).primary();
      t.bigInteger('at').notNullable();
    });
  },

  async down(knex) {
    for (const name of [
      'close_schedules', 'outbox_cursors', 'market_inbox', 'market_orders', 'auction_bidders', 'auction_listing_tags',
      'auction_listings', 'market_wishes', 'market_tags', 'market_categories', 'market_products',
    ]) {
      await knex.schema.dropTableIfExists(name);
    }
  },
};

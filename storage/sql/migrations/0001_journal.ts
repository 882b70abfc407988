// The journal, its summary rows, the idempotency records and the snapshots.
// Money columns are BIGINT won; times are BIGINT epoch ms; ids are at most 64 characters.
import type { SqlMigration } from './helpers.ts';
import { isMysql, jsonColumn, mysqlTable } from './helpers.ts';

const ID = 64;
const WORD = 16;

export const journal: SqlMigration = {
  name: '0001_journal',
  async up(knex) {
    await knex.schema.createTable('auctions', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      // Null only if the auction's `created` event never reached this journal.
      t.string('seller_id', ID).nullable();
      t.string('product_id', ID).nullable();
      t.string('status', WORD).notNullable();
      t.integer('seq').unsigned().notNullable();
      t.bigInteger('price').notNullable();
      t.integer('bid_count').unsigned().notNullable().defaultTo(0);
      t.bigInteger('ends_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      // TEXT, not JSON: MariaDB would validate it on every summary upsert, and nothing queries inside it.
      t.text('spec').nullable();
      t.index(['status'], 'auctions_status_idx');
      t.index(['seller_id'], 'auctions_seller_idx');
    });

    await knex.schema.createTable('auction_events', (t) => {
      mysqlTable(knex, t);
      t.string('auction_id', ID).notNullable();
      t.integer('seq').unsigned().notNullable();
      t.string('type', WORD).notNullable();
      t.bigInteger('at').notNullable();
      t.string('by_user', ID).nullable();
      t.string('rid', ID).nullable();
      t.bigInteger('amount').nullable();
      t.bigInteger('max_amount').nullable();
      t.bigInteger('price').notNullable();
      t.string('leader', ID).nullable();
      t.bigInteger('leader_max').notNullable();
      t.bigInteger('ends_at').notNullable();
      t.string('status', WORD).notNullable();
      t.text('spec').nullable();
      t.primary(['auction_id', 'seq']);
    });

    if (isMysql(knex)) {
      await knex.schema.createTable('command_replies', (t) => {
        mysqlTable(knex, t);
        t.string('by_user', ID).notNullable();
        t.string('rid', ID).notNullable();
        t.string('auction_id', ID).nullable();
        jsonColumn(knex, t, 'reply').notNullable();
        t.bigInteger('at').notNullable();
        t.primary(['by_user', 'rid']);
        t.index(['at'], 'command_replies_at_idx');
      });
    } else {
      // SQLite: clustered on the key (one B-tree to update instead of a rowid table plus a key index).
      // knex's schema builder cannot say WITHOUT ROWID.
      await knex.raw(`CREATE TABLE command_replies (
        by_user varchar(64) NOT NULL,
        rid varchar(64) NOT NULL,
        auction_id varchar(64),
        reply text NOT NULL,
        at bigint NOT NULL,
        PRIMARY KEY (by_user, rid)
      ) WITHOUT ROWID`);
      await knex.raw('CREATE INDEX command_replies_at_idx ON command_replies (at)');
    }

    await knex.schema.createTable('auction_snapshots', (t) => {
      mysqlTable(knex, t);
      t.string('auction_id', ID).primary();
      t.integer('seq').unsigned().notNullable();
      jsonColumn(knex, t, 'state').notNullable();
      t.bigInteger('at').notNullable();
    });
  },

  async down(knex) {
    for (const name of ['auction_snapshots', 'command_replies', 'auction_events', 'auctions']) {
      await knex.schema.dropTableIfExists(name);
    }
  },
};

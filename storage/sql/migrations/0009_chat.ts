// Chat (SPEC §7): rooms of two (one per pair), messages keyed (room, seq) and unique by (sender, rid),
// read positions, blocks and reports. Times BIGINT epoch ms, ids at most 64 characters; text as TEXT.
import type { SqlMigration } from './helpers.ts';
import { mysqlTable } from './helpers.ts';

const ID = 64;

export const chat: SqlMigration = {
  name: '0009_chat',
  async up(knex) {
    await knex.schema.createTable('chat_rooms', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      // The pair, sorted: the unique key makes one room per pair.
      t.string('member_a', ID).notNullable();
      t.string('member_b', ID).notNullable();
      t.string('auction_id', ID).nullable();
      t.string('opened_by', ID).notNullable();
      t.bigInteger('created_at').notNullable();
      t.unique(['member_a', 'member_b'], { indexName: 'chat_rooms_pair_uq' });
      t.index(['member_b'], 'chat_rooms_member_b_idx');
      t.index(['opened_by'], 'chat_rooms_opened_by_idx');
    });
    await knex.schema.createTable('chat_messages', (t) => {
      mysqlTable(knex, t);
      t.string('room_id', ID).notNullable();
      t.integer('seq').unsigned().notNullable();
      t.string('from_user', ID).notNullable();
      // 64 code points; utf8mb4 keeps them in 256 bytes, within InnoDB's key length with from_user.
      t.string('rid', ID).notNullable();
      t.text('body').notNullable();
      t.bigInteger('at').notNullable();
      t.string('auction_id', ID).nullable();
      t.primary(['room_id', 'seq']);
      t.unique(['from_user', 'rid'], { indexName: 'chat_messages_rid_uq' });
    });
    await knex.schema.createTable('chat_reads', (t) => {
      mysqlTable(knex, t);
      t.string('room_id', ID).notNullable();
      t.string('user_id', ID).notNullable();
      t.integer('seq').unsigned().notNullable();
      t.primary(['room_id', 'user_id']);
    });
    await knex.schema.createTable('chat_blocks', (t) => {
      mysqlTable(knex, t);
      t.string('blocker', ID).notNullable();
      t.string('blocked', ID).notNullable();
      t.bigInteger('at').notNullable();
      t.primary(['blocker', 'blocked']);
    });
    await knex.schema.createTable('chat_reports', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.string('room_id', ID).notNullable();
      t.integer('seq').unsigned().notNullable();
      t.string('by_user', ID).notNullable();
      t.string('reason', 500).notNullable();
      t.bigInteger('at').notNullable();
      t.unique(['by_user', 'room_id', 'seq'], { indexName: 'chat_reports_once_uq' });
      t.index(['at'], 'chat_reports_at_idx');
    });
  },
  async down(knex) {
    for (const table of ['chat_reports', 'chat_blocks', 'chat_reads', 'chat_messages', 'chat_rooms']) await knex.schema.dropTableIfExists(table);
  },
};

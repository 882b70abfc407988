// Accepted replies the in-memory idempotency table dropped before their 24 hours (app/spill.ts), keyed by
// its 64-bit fingerprint of (user, rid) as two INTs: a repeat naming another auction than its first
// reply's must still find it, and the journal row that holds it is found only through its auction.
// Written in bulk when memory overflows, never on the append path; purged with the refusals.
import type { SqlMigration } from './helpers.ts';
import { isMysql, mysqlTable } from './helpers.ts';

export const spilledReplies: SqlMigration = {
  name: '0007_spilled_replies',
  async up(knex) {
    if (isMysql(knex)) {
      await knex.schema.createTable('spilled_replies', (t) => {
        mysqlTable(knex, t);
        t.integer('fp_a').notNullable();
        t.integer('fp_b').notNullable();
        t.integer('seq').unsigned().notNullable();
        t.bigInteger('price').notNullable();
        t.boolean('is_leading').notNullable();
        t.bigInteger('ends_at').notNullable();
        t.string('status', 16).notNullable();
        t.bigInteger('at').notNullable();
        t.primary(['fp_a', 'fp_b']);
        t.index(['at'], 'spilled_replies_at_idx');
      });
      return;
    }
    // SQLite: clustered on the key, like command_replies.
    await knex.raw(`CREATE TABLE spilled_replies (
      fp_a integer NOT NULL,
      fp_b integer NOT NULL,
      seq integer NOT NULL,
      price bigint NOT NULL,
      is_leading integer NOT NULL,
      ends_at bigint NOT NULL,
      status varchar(16) NOT NULL,
      at bigint NOT NULL,
      PRIMARY KEY (fp_a, fp_b)
    ) WITHOUT ROWID`);
    await knex.raw('CREATE INDEX spilled_replies_at_idx ON spilled_replies (at)');
  },
  async down(knex) {
    await knex.schema.dropTableIfExists('spilled_replies');
  },
};

// Journal positions (storage/auction/positions.ts): every event row gets `pos`, its place in the journal's order
// across auctions, so the journal itself is the outbox that consumers read (no second row per event).
// Rows already stored are numbered in time order.
// SQLite: `pos` becomes the rowid (INTEGER PRIMARY KEY), so the append path maintains no extra B-tree;
// (auction_id, seq) stays unique. That takes a table rebuild, which SQLite needs to change a key.
// MySQL: the clustered key stays (auction_id, seq), for recovery's per-auction ranges; `pos` gets a
// unique index, which appends extend at its end.
import type { SqlMigration } from './helpers.ts';
import { isMysql } from './helpers.ts';

const SQLITE_COLUMNS = `auction_id varchar(64) NOT NULL, seq integer NOT NULL, type varchar(16) NOT NULL,
  at bigint NOT NULL, by_user varchar(64) NULL, rid varchar(64) NULL, amount bigint NULL, max_amount bigint NULL,
  price bigint NOT NULL, leader varchar(64) NULL, leader_max bigint NOT NULL, ends_at bigint NOT NULL,
  status varchar(16) NOT NULL, spec text NULL`;
const COPIED = 'auction_id, seq, type, at, by_user, rid, amount, max_amount, price, leader, leader_max, ends_at, status, spec';

export const journalPositions: SqlMigration = {
  name: '0006_journal_positions',
  async up(knex) {
    if (isMysql(knex)) {
      await knex.raw('ALTER TABLE auction_events ADD COLUMN pos BIGINT UNSIGNED NULL');
      await knex.raw(`UPDATE auction_events e JOIN (
          SELECT auction_id, seq, ROW_NUMBER() OVER (ORDER BY at, auction_id, seq) AS n FROM auction_events
        ) r ON r.auction_id = e.auction_id AND r.seq = e.seq SET e.pos = r.n`);
      await knex.raw('ALTER TABLE auction_events MODIFY pos BIGINT UNSIGNED NOT NULL, ADD UNIQUE KEY auction_events_pos_uq (pos)');
      return;
    }
    await knex.raw(`CREATE TABLE auction_events_next (pos INTEGER PRIMARY KEY, ${SQLITE_COLUMNS}, UNIQUE (auction_id, seq))`);
    await knex.raw(`INSERT INTO auction_events_next (pos, ${COPIED})
      SELECT ROW_NUMBER() OVER (ORDER BY at, auction_id, seq), ${COPIED} FROM auction_events`);
    await knex.raw('DROP TABLE auction_events');
    await knex.raw('ALTER TABLE auction_events_next RENAME TO auction_events');
    await knex.raw('CREATE INDEX auction_events_at_idx ON auction_events (at)');
  },
  async down(knex) {
    if (isMysql(knex)) {
      await knex.raw('ALTER TABLE auction_events DROP INDEX auction_events_pos_uq, DROP COLUMN pos');
      return;
    }
    await knex.raw(`CREATE TABLE auction_events_prev (${SQLITE_COLUMNS}, PRIMARY KEY (auction_id, seq))`);
    await knex.raw(`INSERT INTO auction_events_prev (${COPIED}) SELECT ${COPIED} FROM auction_events ORDER BY pos`);
    await knex.raw('DROP TABLE auction_events');
    await knex.raw('ALTER TABLE auction_events_prev RENAME TO auction_events');
    await knex.raw('CREATE INDEX auction_events_at_idx ON auction_events (at)');
  },
};

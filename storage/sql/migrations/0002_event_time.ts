// Accepted replies are read back from their journal rows (storage/auction/replies.ts), so recovery warms the
// idempotency cache from the journal's last 24 hours: an index on the event time. Times only grow, so
// every insert lands on the index's last page (no random writes on the append path).
import type { SqlMigration } from './helpers.ts';

export const eventTime: SqlMigration = {
  name: '0002_event_time',
  async up(knex) {
    await knex.schema.alterTable('auction_events', (t) => {
      t.index(['at'], 'auction_events_at_idx');
    });
  },
  async down(knex) {
    await knex.schema.alterTable('auction_events', (t) => {
      t.dropIndex(['at'], 'auction_events_at_idx');
    });
  },
};

// Accounts, their sessions (refresh-token families), the refresh tokens (stored by hash only) and the
// signups waiting for their email to be proven (by the hash of their verification token).
// Unique email, nickname and Google subject: withdrawal sets them to NULL, which both dialects allow
// any number of times in a unique index, so a withdrawn person's email can sign up again. Pending
// registrations hold no unique email or nickname: several may wait for one email, and a nickname is
// taken only by an account.
import type { Knex } from 'knex';
import type { SqlMigration } from './helpers.ts';
import { mysqlTable } from './helpers.ts';

const ID = 64;
const WORD = 16;

/**
 * The profile a signup gives, in both the account and the registration waiting for its email: one
 * definition, so that verifying (which copies one row into the other) never meets a narrower column.
 */
function profileColumns(t: Knex.CreateTableBuilder): void {
  t.string('name', 100).notNullable();
  t.string('gender', WORD).nullable();
  t.string('age_band', WORD).nullable();
  t.string('region', 32).nullable();
  t.string('phone', 32).nullable();
  t.string('preferred_category', ID).nullable();
  t.string('payout_account', ID).nullable();
}

export const accounts: SqlMigration = {
  name: '0004_accounts',
  async up(knex) {
    await knex.schema.createTable('accounts_users', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.string('email', 254).nullable().unique('accounts_users_email_uq');
      t.string('password_hash', 255).nullable();
      t.string('google_subject', 255).nullable().unique('accounts_users_google_uq');
      t.bigInteger('email_verified_at').nullable();
      t.string('nickname', 32).nullable().unique('accounts_users_nickname_uq');
      profileColumns(t);
      t.string('role', WORD).notNullable();
      t.string('status', WORD).notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.bigInteger('withdrawn_at').nullable();
    });

    await knex.schema.createTable('accounts_sessions', (t) => {
      mysqlTable(knex, t);
      t.string('id', ID).primary();
      t.string('user_id', ID).notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('expires_at').notNullable();
      t.bigInteger('revoked_at').nullable();
      t.index(['user_id'], 'accounts_sessions_user_idx');
    });

    await knex.schema.createTable('accounts_refresh_tokens', (t) => {
      mysqlTable(knex, t);
      // SHA-256 of the opaque token, base64url: the token itself is never stored.
      t.string('token_hash', ID).primary();
      t.string('session_id', ID).notNullable();
      t.bigInteger('expires_at').notNullable();
      t.bigInteger('spent_at').nullable();
      t.index(['session_id'], 'accounts_refresh_tokens_session_idx');
    });

    await knex.schema.createTable('accounts_pending_registrations', (t) => {
      mysqlTable(knex, t);
      // SHA-256 of the verification token, base64url: the token itself is only in the mail.
      t.string('token_hash', ID).primary();
      t.string('email', 254).notNullable();
      t.string('password_hash', 255).notNullable();
      t.string('nickname', 32).notNullable();
      profileColumns(t);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('expires_at').notNullable();
      t.index(['email'], 'accounts_pending_registrations_email_idx');
      t.index(['expires_at'], 'accounts_pending_registrations_expires_idx');
    });
  },

  async down(knex) {
    for (const name of ['accounts_pending_registrations', 'accounts_refresh_tokens', 'accounts_sessions', 'accounts_users']) {
      await knex.schema.dropTableIfExists(name);
    }
  },
};

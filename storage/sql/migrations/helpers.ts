// Dialect helpers for migrations: every migration runs on SQLite and on MySQL/MariaDB.
import type { Knex } from 'knex';

export interface SqlMigration {
  /** Sorts in order of application, e.g. `0001_journal`. */
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

export function isMysql(knex: Knex): boolean {
  const client = knex.client.config.client;
  return client === 'mysql2' || client === 'mysql';
}

/** MySQL: InnoDB, utf8mb4 with a binary collation, so ids and rids compare exactly ('A' != 'a'). */
export function mysqlTable(knex: Knex, t: Knex.CreateTableBuilder): void {
  if (!isMysql(knex)) return;
  t.engine('InnoDB');
  t.charset('utf8mb4');
  t.collate('utf8mb4_bin');
}

/** A JSON document: JSON on MySQL (LONGTEXT with a validity check on MariaDB), TEXT on SQLite. */
export function jsonColumn(knex: Knex, t: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return isMysql(knex) ? t.json(name) : t.text(name);
}

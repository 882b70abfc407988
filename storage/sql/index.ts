export { openSqlStore, SqlStore, type SqlStoreOptions } from './store.ts';
export type { SqlDialect } from './statements.ts';
export { MIGRATIONS, migrationSource, migrateLatest, type SqlMigration } from './migrations/index.ts';
export { MIGRATIONS_TABLE, TABLES } from './tables.ts';
export { parseSqlUrl, type SqlTarget } from './url.ts';

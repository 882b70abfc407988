// The SQL stores the journal tests run against: a temp SQLite file, and a MariaDB database of its own.
import { mariaDbDatabase, type ServiceTest } from '../helpers/services.ts';
import { tempSqlitePath } from '../helpers/stores.ts';

export interface SqlTarget {
  name: 'sqlite' | 'mariadb';
  /** A fresh store URL, dropped at teardown; null when the server is missing (already reported). */
  open(t: ServiceTest): Promise<string | null>;
}

export function sqlTargets(): SqlTarget[] {
  return [
    { name: 'sqlite', open: async (t) => tempSqlitePath(t) },
    { name: 'mariadb', open: async (t) => (await mariaDbDatabase(t))?.url ?? null },
  ];
}

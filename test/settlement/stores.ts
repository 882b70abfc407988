// Settlement's store over every adapter that runs here, for the contract suites, and fixtures.
import { MemorySettlementStore } from '../../storage/settlement/memory.ts';
import type { SettlementStore } from '../../storage/settlement/ports.ts';
import { SqlSettlementStore } from '../../storage/settlement/sql.ts';
import { sqlDatabaseSubjects, type Subject } from '../helpers/stores.ts';
import type { SqlDatabase } from '../../storage/sql/database.ts';

export interface SettlementSubject {
  store: SettlementStore;
  /** The SQL handle, when the adapter has one. */
  db: SqlDatabase | null;
}

export function settlementSubjects(): Subject<SettlementSubject>[] {
  return [
    { name: 'memory', open: async () => ({ store: new MemorySettlementStore(), db: null }) },
    ...sqlDatabaseSubjects().map((s) => ({
      name: s.name,
      async open(t: Parameters<typeof s.open>[0]) {
        const db = await s.open(t);
        return db === null ? null : { store: new SqlSettlementStore(db), db };
      },
    })),
  ];
}

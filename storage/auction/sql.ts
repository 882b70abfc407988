// The auction's SQL adapters over one database handle: the journal, its idempotency records and the
// snapshots. The database (storage/sql/database.ts) is their lifecycle: whoever opened it closes it.
import type { SqlDatabase } from '../sql/database.ts';
import { openSqlJournal, type SqlJournal } from './sql-journal.ts';
import { SqlIdempotency } from './sql-idempotency.ts';
import { SqlSnapshots } from './sql-snapshots.ts';

export interface AuctionSql {
  journal: SqlJournal;
  idempotency: SqlIdempotency;
  snapshots: SqlSnapshots;
}

export async function openAuctionSql(db: SqlDatabase): Promise<AuctionSql> {
  return { journal: await openSqlJournal(db), idempotency: new SqlIdempotency(db), snapshots: new SqlSnapshots(db) };
}

// The marketplace's SQL adapters over one database handle (storage/sql/database.ts), one class per
// port, and the same joined into the one object the marketplace runtime takes (MarketStore).
import type { SqlDatabase } from '../sql/database.ts';
import type { MarketStore } from './ports.ts';
import { SqlCatalogue } from './sql-catalogue.ts';
import { SqlInbox } from './sql-inbox.ts';
import { SqlListings } from './sql-listings.ts';
import { SqlOrders } from './sql-orders.ts';
import { SqlRelayCursors } from './sql-relay.ts';
import { SqlCloseSchedules } from './sql-schedules.ts';

export { SqlCatalogue, SqlCloseSchedules, SqlInbox, SqlListings, SqlOrders, SqlRelayCursors };

/** The adapters' methods bound to them, as properties of one object (no two ports share a method name). */
function joined(ports: readonly object[], into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const port of ports) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(Object.getPrototypeOf(port)))) {
      if (name === 'constructor' || typeof d.value !== 'function') continue;
      if (name in into) throw new Error(`sqlMarket: two ports answer ${name}`);
      into[name] = (d.value as (...args: unknown[]) => unknown).bind(port);
    }
  }
  return into;
}

/** Every marketplace port on `db`, as one object. */
export function sqlMarket(db: SqlDatabase): MarketStore {
  const ports = [new SqlCatalogue(db), new SqlListings(db), new SqlOrders(db), new SqlInbox(db), new SqlRelayCursors(db), new SqlCloseSchedules(db)] as const;
  // The return type checks that the six together answer every MarketStore method.
  return joined(ports) as unknown as SqlCatalogue & SqlListings & SqlOrders & SqlInbox & SqlRelayCursors & SqlCloseSchedules;
}

// The marketplace's ports over every adapter, for the per-port contract suites (test/market/*.contract):
// memory (one MemoryMarket answering every port, as a projection step writes listings, orders and inbox
// rows at once), and the SQL classes, one per port, over one database per subject.
import { randomUUID } from 'node:crypto';
import type { ListingFacts, Projection, CloseEffects } from '../../engine/market/model.ts';
import { closeEffectsOf } from '../../app/market/close-effects.ts';
import { MemoryMarket } from '../../storage/market/memory.ts';
import type { Catalogue, CloseSchedules, Inbox, Listings, Orders, RelayCursors } from '../../storage/market/ports.ts';
import { SqlCatalogue, SqlCloseSchedules, SqlInbox, SqlListings, SqlOrders, SqlRelayCursors } from '../../storage/market/sql.ts';
import { Chain, T0 } from './auctions.ts';
import { sqlDatabaseSubjects, type Subject } from './stores.ts';

export interface MarketPorts {
  catalogue: Catalogue;
  listings: Listings;
  orders: Orders;
  inbox: Inbox;
  relay: RelayCursors;
  schedules: CloseSchedules;
}

export function marketSubjects(): Subject<MarketPorts>[] {
  return [
    {
      name: 'memory',
      async open() {
        const m = new MemoryMarket();
        return { catalogue: m, listings: m, orders: m, inbox: m, relay: m, schedules: m };
      },
    },
    ...sqlDatabaseSubjects().map((s) => ({
      name: s.name,
      async open(t: Parameters<typeof s.open>[0]): Promise<MarketPorts | null> {
        const db = await s.open(t);
        if (db === null) return null;
        return {
          catalogue: new SqlCatalogue(db), listings: new SqlListings(db), orders: new SqlOrders(db), inbox: new SqlInbox(db),
          relay: new SqlRelayCursors(db), schedules: new SqlCloseSchedules(db),
        };
      },
    })),
  ];
}

/** A short random tag: ids are namespaced per test, so subtests sharing a store never see each other's rows. */
export const tag = (): string => randomUUID().slice(0, 8);

export const emptyProjection = (): Projection => ({ facts: [], bidders: [], closes: [] });

export function facts(id: string, seq: number, over: Partial<ListingFacts> = {}): ListingFacts {
  return { id, seq, sellerId: 'seller-x', productId: 'product-x', status: 'OPEN', price: 10_000, bidCount: 0, startsAt: T0, endsAt: T0 + 1000, buyNowPrice: null, ...over };
}

/** An auction alice and bob bid on, closed SOLD to bob, its listing projected: what its settlement is. */
export async function closedAuction(listings: Listings): Promise<{ chain: Chain; closedAt: number; settlement: CloseEffects }> {
  const chain = new Chain();
  chain.created();
  chain.opened();
  chain.bid('alice', 10_000);
  chain.bid('bob', 11_000);
  const closed = chain.closed();
  const settlement = closeEffectsOf(closed, chain.spec, ['alice', 'bob'], 72 * 3_600_000);
  await listings.project({ ...emptyProjection(), facts: [facts(chain.id, closed.seq, { status: 'SOLD' })] });
  return { chain, closedAt: closed.at, settlement };
}

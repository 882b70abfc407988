// The projection behind the journal: a crash between a close and its side effects is repaired by
// catchUp() from the journal, once; a failed write is retried without losing or doubling anything.
import t from 'tap';
import { silentLogger } from '../../engine/logger.ts';
import { readOutbox } from '../../app/market/outbox.ts';
import { Projector } from '../../app/market/projector.ts';
import { MemoryMarket } from '../../storage/market/memory.ts';
import type { Projection } from '../../storage/market/ports.ts';
import { MemoryJournal } from '../../storage/auction/memory-journal.ts';
import { Chain } from '../helpers/auctions.ts';

const PAY = 72 * 3_600_000;

/** Auctions as the projector reads them: these live ones, and no durable view held (so each is read from the journal). */
const noViews = (live: string[]) => ({ live: async () => live, lookup: async () => null });

t.test('catchUp re-runs an interrupted close from the journal, once', async (t) => {
  const journal = new MemoryJournal();
  const market = new MemoryMarket();
  const chain = new Chain();
  chain.created();
  chain.opened();
  chain.bid('alice', 10_000);
  await journal.append({ events: [...chain.events], replies: [] });
  const projector = new Projector({ market, journal, auctions: noViews([chain.id]), paymentMs: PAY, log: silentLogger });
  t.equal(await projector.catchUp(), 1, 'a live auction without a listing is projected');
  t.match(await market.listing(chain.id), { seq: 3, status: 'OPEN', price: 10_000, bidCount: 1, closeRecorded: false });

  // The close is journaled, then the process dies before the projection writes it.
  chain.bid('bob', 12_000);
  const closed = chain.closed();
  await journal.append({ events: chain.events.slice(3), replies: [] });
  const after = new Projector({ market, journal, auctions: noViews([]), paymentMs: PAY, log: silentLogger });
  t.equal(await after.catchUp(), 1, 'the unsettled listing is caught up');
  t.match(await market.listing(chain.id), { seq: 5, status: 'SOLD', price: 12_000, bidCount: 2, closeRecorded: true });
  t.match(await market.ordersOf('bob', 10), [{ auctionId: chain.id, amount: 12_000, payBy: closed.at + PAY }]);
  t.match(await market.inbox('alice', 10), [{ kind: 'lost' }]);
  t.match(await market.inbox(chain.spec.sellerId, 10), [{ kind: 'sold' }]);
  const outbox = await readOutbox(journal, 0, 100);
  t.same(outbox.items.map((r) => [r.id, r.seq, r.type]), [[2, 2, 'auction.opened'], [3, 3, 'bid.accepted'], [4, 4, 'bid.accepted'], [5, 5, 'auction.closed']], 'the outbox is the journal');
  t.equal(outbox.next, 5, 'the created event is no outbox event, yet the cursor passes it');
  t.same((await market.bidOn('bob', 10)).map((l) => l.id), [chain.id]);
  t.equal(await after.catchUp(), 0, 'nothing to do the second time');
  t.equal((await market.ordersOf('bob', 10)).length, 1);
});

t.test('a failed projection write is retried, nothing lost or doubled', async (t) => {
  const journal = new MemoryJournal();
  const market = new MemoryMarket();
  let failures = 2;
  const flaky = Object.create(market) as MemoryMarket;
  flaky.project = async (p: Projection) => {
    if (failures-- > 0) throw new Error('database down');
    return market.project(p);
  };
  const chain = new Chain();
  const created = chain.created();
  const opened = chain.opened();
  const bid = chain.bid('alice', 10_000);
  const projector = new Projector({ market: flaky, journal, auctions: noViews([]), paymentMs: PAY, log: silentLogger, retryMs: 10 });
  const view = (seq: number, price: number, bidCount: number) => ({ auction: chain.id, seq, status: 'OPEN' as const, price, bidCount, leader: null, minNext: price, endsAt: chain.spec.endsAt, buyNowPrice: null, reserveMet: true });
  const specs = new Map([[chain.id, chain.spec]]);
  projector.committed({ events: [created, opened], notices: [], views: new Map([[chain.id, view(2, 10_000, 0)]]), specs });
  projector.committed({ events: [bid], notices: [], views: new Map([[chain.id, view(3, 10_000, 1)]]), specs });
  for (let i = 0; i < 100 && (await market.listing(chain.id))?.seq !== 3; i++) await new Promise((r) => setTimeout(r, 10));
  t.match(await market.listing(chain.id), { seq: 3, bidCount: 1 });
  t.same((await market.bidOn('alice', 10)).map((l) => l.id), [chain.id], 'the bidder row written once the write succeeds');
  projector.stop();
});

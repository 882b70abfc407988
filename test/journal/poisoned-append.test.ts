// Issue 12, defect 1: a failure while an append builds its rows (after it numbered its events) must fail
// that batch alone. Before the fix the numbered range stayed in flight for good: the outbox
// (BidJournal.after, the SQS relay) stopped below it until a restart. Here the running service's journal
// is made to choke on one batch, and bids on the other auctions, and the outbox, carry on.
import t from 'tap';
import { systemClock, type AuctionEvent, type AuctionSpec, type Reply } from '../../engine/index.ts';
import { AuctionService } from '../../app/auction/service.ts';
import { MemoryBoard } from '../../storage/auction/memory-board.ts';
import type { BidJournal, JournalBatch } from '../../storage/auction/ports.ts';
import { openSqlStore, type SqlStore } from '../helpers/stores.ts';
import { deepArray, OVERFLOWING } from '../helpers/deep.ts';
import { eventually } from '../helpers/proxy.ts';
import { sqlTargets } from './targets.ts';

/** The store's journal, but the batch holding an edit of `victim` gets a spec no serializer can take. */
function choking(store: SqlStore, victim: string): BidJournal & { choked: number } {
  const poison = (e: AuctionEvent): AuctionEvent =>
    e.auction === victim && e.type === 'edited' ? { ...e, spec: { ...e.spec, x: deepArray(OVERFLOWING) } as unknown as AuctionSpec } : e;
  const j = {
    choked: 0,
    append(batch: JournalBatch) {
      if (!batch.events.some((e) => e.auction === victim && e.type === 'edited')) return store.append(batch);
      j.choked++;
      return store.append({ ...batch, events: batch.events.map(poison) });
    },
    after: (position: number, limit: number) => store.after(position, limit),
    read: (auction: string, afterSeq?: number, limit?: number) => store.read(auction, afterSeq, limit),
    live: () => store.live(),
    tails: (after: ReadonlyMap<string, number>) => store.tails(after),
    summary: (auction: string) => store.summary(auction),
  };
  return j;
}

for (const target of sqlTargets()) {
  t.test(`${target.name}: a batch that fails while its rows are built fails alone; the outbox and other auctions carry on`, async (t) => {
    const url = await target.open(t);
    if (url === null) return;
    const store = await openSqlStore({ url });
    const now = Date.now();
    const victim = `victim-${now}`;
    const journal = choking(store, victim);
    const svc = new AuctionService({
      clock: systemClock, journal, idempotency: store, snapshots: store, board: new MemoryBoard(), reloadEveryMs: 50,
    });
    t.teardown(async () => { await svc.shutdown(); await store.close(); });
    const spec = (id: string): AuctionSpec => ({
      id, sellerId: 'seller', productId: 'p', startPrice: 1000, bidUnit: 10, buyNowPrice: null, reservePrice: null,
      startsAt: now - 1000, endsAt: now + 3_600_000, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 },
    });
    const others = ['a', 'b', 'c'].map((n) => `other-${n}-${now}`);
    for (const id of [victim, ...others]) t.equal((await svc.createAsync(spec(id), 'seller', `c-${id}`)).ok, true, `${id} created`);
    for (const id of others) t.equal((await svc.submitAsync({ t: 'open', auction: id, rid: `o-${id}`, by: 'seller', role: 'user' })).ok, true);
    const start = (await store.after(0, 10_000)).at(-1)?.pos ?? 0;
    let n = 0;
    const bid = (auction: string, amount: number): Promise<Reply> =>
      svc.submitAsync({ t: 'bid', auction, rid: `bid-${n++}`, by: `bidder-${n % 3}`, amount });

    // One turn: the choking edit and other users' bids land in the same batch, which fails as a whole.
    const edit = svc.submitAsync({ t: 'edit', auction: victim, rid: 'edit', by: 'seller', spec: { ...spec(victim), startPrice: 2000 } });
    const sameBatch = others.map((id) => bid(id, 1000));
    t.match(await edit, { ok: false, code: 'STORE_UNAVAILABLE' }, 'the edit whose rows could not be built is refused');
    t.ok((await Promise.all(sameBatch)).every((r) => !r.ok && r.code === 'STORE_UNAVAILABLE'), 'and so are the bids that shared its batch');
    t.equal(journal.choked, 1);

    // Without a restart: the other auctions take bids again once rebuilt, and the outbox reads them.
    const accepted: Reply[] = [];
    for (const id of others) {
      accepted.push(await eventually(async () => {
        const r = await bid(id, 1000);
        if (!r.ok) throw new Error(r.code);
        return r;
      }, 10_000, 50));
    }
    t.equal(accepted.length, others.length, 'each other auction takes a bid');
    const outbox = (await store.after(start, 100)).map((p) => p.event);
    t.same(outbox.map((e) => [e.auction, e.type, e.price]), others.map((id) => [id, 'bid', 1000]), 'the outbox reads on past the failed batch');

    const more = await bid(others[0], 1010);
    t.equal(more.ok, true);
    t.equal((await store.after(start, 100)).length, others.length + 1, 'and keeps advancing');
    t.same((await store.read(victim)).map((e) => e.type), ['created'], 'nothing of the failed edit is stored');
  });
}

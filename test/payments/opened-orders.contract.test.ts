// The OpenedOrders contract (storage/payments/market-source.ts: the auction journal read for SOLD closes,
// the cursor among the marketplace's relay cursors), run against memory, SQLite (writer thread and
// inline) and MariaDB: only a SOLD close names an order, in journal order; paging ends where it read;
// the cursor starts at 0 and never moves back.
import t from 'tap';
import { orderIdFor } from '../../app/market/close-effects.ts';
import { MemoryJournal } from '../../storage/auction/memory-journal.ts';
import type { BidJournal } from '../../storage/auction/ports.ts';
import { MemoryMarket } from '../../storage/market/memory.ts';
import type { RelayCursors } from '../../storage/market/ports.ts';
import { SqlRelayCursors } from '../../storage/market/sql.ts';
import { marketOpenedOrders } from '../../storage/payments/market-source.ts';
import { Chain, T0, replyFor } from '../helpers/auctions.ts';
import { sqlSubjects, type Subject } from '../helpers/stores.ts';

type Parts = { journal: BidJournal; cursors: RelayCursors };

const subjects: Subject<Parts>[] = [
  { name: 'memory', open: async () => ({ journal: new MemoryJournal(), cursors: new MemoryMarket() }) },
  ...sqlSubjects().map((s) => ({
    name: s.name,
    async open(t: Parameters<typeof s.open>[0]): Promise<Parts | null> {
      const store = await s.open(t);
      return store === null ? null : { journal: store, cursors: new SqlRelayCursors(store.db) };
    },
  })),
];

for (const subject of subjects) {
  t.test(subject.name, async (t) => {
    const parts = await subject.open(t);
    if (parts === null) return;
    const feed = marketOpenedOrders(parts.journal, parts.cursors, orderIdFor);

    const sold = new Chain();
    const unsold = new Chain();
    const later = new Chain();
    const events = [sold.created(), sold.opened(), unsold.created(), unsold.opened(), sold.bid('bob', 12_000), sold.closed(), unsold.closed(),
      later.created(), later.opened(), later.bid('carol', 20_000), later.closed()];
    for (const e of events) await parts.journal.append({ events: [e], replies: e.rid === null ? [] : [replyFor(e)] });

    const all = await feed.opened(0, 100);
    t.same(all.items.map((i) => i.orderId), [orderIdFor(sold.id), orderIdFor(later.id)], 'SOLD closes only, in journal order');
    const positions = (await parts.journal.after(0, 100)).map((p) => p.pos);
    t.equal(all.next, positions[positions.length - 1], 'next is the last position read');
    t.equal(all.items[0].position, positions[5], "the order's position is its close's");

    const first = await feed.opened(0, 6);
    t.same(first.items.map((i) => i.orderId), [orderIdFor(sold.id)]);
    const rest = await feed.opened(first.next, 100);
    t.same(rest.items.map((i) => i.orderId), [orderIdFor(later.id)], 'the next page resumes after the first');
    t.same(await feed.opened(rest.next, 100), { items: [], next: rest.next }, 'nothing after the end');

    t.equal(await feed.adoptedUpTo(), 0);
    await feed.saveAdoptedUpTo(all.next, T0);
    await feed.saveAdoptedUpTo(first.next, T0 + 1);
    t.equal(await feed.adoptedUpTo(), all.next, 'the cursor never moves back');
  });
}

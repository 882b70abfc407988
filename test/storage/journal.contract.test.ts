// The BidJournal + IdempotencyStore contract, run against every adapter: memory, SQLite, MariaDB.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { replyFingerprint, type AuctionEvent, type AuctionStatus, type Reply } from '../../engine/index.ts';
import { JournalConflictError, StoreUnavailableError, type BidJournal, type StoredReply } from '../../storage/auction/ports.ts';
import { Chain, newAuctionId, newUserId, replyFor, storedReply, T0 } from '../helpers/auctions.ts';
import { deepArray, OVERFLOWING } from '../helpers/deep.ts';
import { journalSubjects } from '../helpers/stores.ts';

const batchOf = (events: AuctionEvent[], replies: StoredReply[] = events.map(replyFor)) => ({ events, replies });

/** The last position in the journal (subtests share a store). */
async function lastPosition(store: BidJournal): Promise<number> {
  let last = 0;
  for (;;) {
    const page = await store.after(last, 10_000);
    if (page.length === 0) return last;
    last = page[page.length - 1].pos;
  }
}

for (const subject of journalSubjects()) {
  t.test(subject.name, async (t) => {
    const store = await subject.open(t);
    if (store === null) return;

    await t.test('appends and reads back in seq order', async (t) => {
      const a = new Chain();
      const b = new Chain();
      a.created();
      a.opened();
      a.bid(newUserId(), 10_000);
      b.created();
      await store.append(batchOf([a.events[0], b.events[0], a.events[1], a.events[2]]));
      a.bid(newUserId(), 11_000, 20_000);
      a.bid(newUserId(), 21_000);
      await store.append(batchOf(a.events.slice(3)));

      t.same(await store.read(a.id), a.events, 'every event, in seq order');
      t.same(await store.read(a.id, 3), a.events.slice(3), 'only the events after afterSeq');
      t.same(await store.read(a.id, 5), [], 'nothing after the last seq');
      t.same(await store.read(a.id, 0, 2), a.events.slice(0, 2), 'a limit: the first events only');
      t.same(await store.read(a.id, 2, 2), a.events.slice(2, 4), 'a page after a seq');
      t.same(await store.read(a.id, 4, 10), a.events.slice(4), 'the last page is short');
      t.same(await store.read(a.id, 5, 10), [], 'and then empty');
      t.same(await store.read(b.id, 0, 10), b.events, 'only that auction\'s events');
      t.same(await store.read(b.id), b.events);
      t.same(await store.read(newAuctionId()), [], 'an unknown auction has no events');
      const [created, opened] = await store.read(a.id);
      t.same(created.spec, a.spec, 'a created event carries its spec');
      t.notOk('spec' in opened, 'other events have no spec key');
    });

    await t.test('events come back exactly: nulls, 10^12 won, epoch ms, unicode, case-sensitive ids', async (t) => {
      const id = newAuctionId();
      const lower = new Chain(id);
      const upper = new Chain(id.toUpperCase());
      lower.created();
      lower.opened();
      lower.bid('입찰자-😀-Ü', 999_999_999_000, 1_000_000_000_000);
      upper.created();
      await store.append(batchOf([...lower.events, ...upper.events]));
      t.same(await store.read(lower.id), lower.events);
      t.same(await store.read(upper.id), upper.events, 'ids differing only in case are different auctions');
      const tails = await store.tails(new Map([[lower.id, 1], [upper.id, 0]]));
      t.same(tails.get(lower.id), lower.events.slice(1), 'tails tells them apart too');
      t.same(tails.get(upper.id), upper.events);
      const [, , bid] = await store.read(lower.id);
      t.equal(bid.max, 1_000_000_000_000);
      t.equal(typeof bid.at, 'number');
      t.equal(bid.by, '입찰자-😀-Ü');
    });

    await t.test('tails: each requested auction after its seq, [] for the rest', async (t) => {
      const a = new Chain();
      const b = new Chain();
      a.created();
      a.opened();
      a.bid(newUserId(), 10_000);
      a.bid(newUserId(), 11_000);
      b.created();
      b.opened();
      await store.append(batchOf([...a.events, ...b.events]));
      const unknown = newAuctionId();
      const tails = await store.tails(new Map([[a.id, 2], [b.id, 0], [unknown, 0]]));
      t.same([...tails.keys()].sort(), [a.id, b.id, unknown].sort(), 'every requested auction, no other');
      t.same(tails.get(a.id), a.events.slice(2));
      t.same(tails.get(b.id), b.events);
      t.same(tails.get(unknown), []);
      t.same((await store.tails(new Map([[a.id, 4]]))).get(a.id), [], 'nothing after the last seq');
      t.same((await store.tails(new Map())).size, 0);
    });

    await t.test('live lists PENDING and OPEN auctions only', async (t) => {
      const pending = new Chain();
      pending.created();
      const open = new Chain();
      open.created();
      open.opened();
      const sold = new Chain();
      sold.created();
      sold.opened();
      sold.bid(newUserId(), 10_000);
      sold.closed();
      const unsold = new Chain();
      unsold.created();
      unsold.opened();
      unsold.closed();
      const canceled = new Chain();
      canceled.created();
      canceled.canceled();
      await store.append(batchOf([pending, open, sold, unsold, canceled].flatMap((c) => c.events)));
      const live = new Set(await store.live());
      t.ok(live.has(pending.id), 'PENDING');
      t.ok(live.has(open.id), 'OPEN');
      t.notOk(live.has(sold.id), 'not SOLD');
      t.notOk(live.has(unsold.id), 'not UNSOLD');
      t.notOk(live.has(canceled.id), 'not CANCELED');
    });

    await t.test('summary follows lifecycle events, not bids', async (t) => {
      const c = new Chain();
      const created = c.created();
      await store.append(batchOf([created]));
      t.same(await store.summary(c.id), {
        id: c.id, sellerId: c.spec.sellerId, productId: c.spec.productId, status: 'PENDING', seq: 1,
        price: c.spec.startPrice, endsAt: c.spec.endsAt, updatedAt: created.at,
      });

      c.edited({ productId: 'product-edited', startPrice: 20_000, endsAt: T0 + 2 * 86_400_000 });
      c.opened();
      await store.append(batchOf(c.events.slice(1)));
      const opened = { productId: 'product-edited', status: 'OPEN', seq: 3, price: 20_000, endsAt: T0 + 2 * 86_400_000 };
      t.match(await store.summary(c.id), opened);

      c.bid(newUserId(), 20_000);
      c.bid(newUserId(), 21_000);
      await store.append(batchOf(c.events.slice(3)));
      const last = c.bid(newUserId(), 30_000);
      await store.append(batchOf([last]));
      t.match(await store.summary(c.id), opened, 'batches of bids only leave it alone');

      c.closed();
      await store.append(batchOf(c.events.slice(6)));
      t.match(await store.summary(c.id), { status: 'SOLD', seq: 7, price: 30_000, sellerId: c.spec.sellerId }, 'the close writes the final price');

      const d = new Chain();
      d.created();
      d.opened();
      d.bid(newUserId(), 15_000);
      await store.append(batchOf(d.events));
      t.match(await store.summary(d.id), { status: 'OPEN', seq: 3, price: 15_000 }, 'a lifecycle batch takes the auction\'s last event in it');
      t.equal(await store.summary(newAuctionId()), null, 'no summary for an unknown auction');
    });

    await t.test('a duplicate (auction, seq) rejects the whole batch and stores nothing', async (t) => {
      const a = new Chain();
      a.created();
      a.opened();
      await store.append(batchOf(a.events));

      const b = new Chain();
      b.created();
      const extra = storedReply(newUserId(), `rid-${randomUUID()}`, T0 + 5);
      const dup = { ...a.events[1], at: T0 + 99 };
      await t.rejects(store.append(batchOf([b.events[0], dup], [replyFor(b.events[0]), extra])), JournalConflictError);
      t.same(await store.read(b.id), [], 'no event of the batch');
      t.equal(await store.summary(b.id), null, 'no summary row of the batch');
      t.equal(await store.find({ by: extra.by, rid: extra.rid, auction: null }, 0), null, 'no reply of the batch');
      t.same(await store.read(a.id), a.events, 'the stored events are untouched');
      t.match(await store.summary(a.id), { seq: 2, status: 'OPEN' });

      const c = new Chain();
      c.created();
      await t.rejects(store.append(batchOf([c.events[0], { ...c.events[0] }])), JournalConflictError, 'a repeat inside one batch');
      t.same(await store.read(c.id), []);

      a.bid(newUserId(), 10_000);
      await store.append(batchOf(a.events.slice(2)));
      t.same(await store.read(a.id), a.events, 'the next good batch is taken');
    });

    await t.test('a repeated (by, rid) keeps its first reply', async (t) => {
      const by = newUserId();
      const first = storedReply(by, 'rid-1', T0 + 1, null, true);
      await store.append({ events: [], replies: [first] });
      await store.append({ events: [], replies: [storedReply(by, 'rid-1', T0 + 2, null, false)] });
      t.same(await store.find({ by, rid: 'rid-1', auction: null }, 0), first.reply, 'across batches');

      const a = storedReply(by, 'rid-2', T0 + 3, newAuctionId(), false);
      await store.append({ events: [], replies: [a, storedReply(by, 'rid-2', T0 + 4, null, true)] });
      t.same(await store.find({ by, rid: 'rid-2', auction: null }, 0), a.reply, 'inside one batch');

      const upper = storedReply(by, 'RID-1', T0 + 5, null, false);
      await store.append({ events: [], replies: [upper] });
      t.same(await store.find({ by, rid: 'RID-1', auction: null }, 0), upper.reply, 'rids differing only in case are different');
      t.same(await store.find({ by, rid: 'rid-1', auction: null }, 0), first.reply);
    });

    await t.test('find, since and purge', async (t) => {
      // Times far below every other test's (those start at T0), so purge() touches only these rows.
      const base = 1_000_000;
      const by = newUserId();
      const other = newUserId();
      const r = [1, 2, 3, 4].map((i) => storedReply(by, `rid-${i}`, base + i, i % 2 === 0 ? null : newAuctionId(), i !== 3));
      const o = storedReply(other, 'rid-1', base + 2);
      await store.append({ events: [], replies: [r[3], r[0], o, r[2], r[1]] });

      t.same(await store.find({ by, rid: 'rid-2', auction: null }, base + 2), r[1].reply, 'recorded at since');
      t.equal(await store.find({ by, rid: 'rid-1', auction: null }, base + 2), null, 'recorded before since');
      t.equal(await store.find({ by, rid: 'rid-9', auction: null }, 0), null, 'never recorded');
      t.equal(await store.find({ by: newUserId(), rid: 'rid-1', auction: null }, 0), null, 'another user');

      const many = await store.findMany([{ by, rid: 'rid-2', auction: null }, { by, rid: 'rid-1', auction: null }, { by, rid: 'rid-9', auction: null }, { by: other, rid: 'rid-1', auction: null }, { by, rid: 'rid-4', auction: null }], base + 2);
      t.same(many.sort((x, y) => x.at - y.at || (x.by < y.by ? -1 : 1)), [o, r[1], r[3]].sort((x, y) => x.at - y.at || (x.by < y.by ? -1 : 1)),
        'findMany: only the recorded keys at or after since, whole records');
      t.same(await store.findMany([], 0), [], 'findMany of nothing');
      const bulk = Array.from({ length: 1200 }, (_, i) => ({ by, rid: i === 1100 ? 'rid-3' : `none-${i}`, auction: null }));
      t.same((await store.findMany(bulk, 0)).map((x) => x.rid), ['rid-3'], 'findMany over more keys than one query takes');

      const since = (await store.since(base + 2)).filter((x) => x.by === by || x.by === other);
      t.same(since, [o, r[1], r[2], r[3]].sort((x, y) => x.at - y.at || (x.by < y.by ? -1 : 1)), 'oldest first, whole records');
      t.same(since.map((x) => x.at), [base + 2, base + 2, base + 3, base + 4]);

      t.equal(await store.purge(base + 3), 3, 'how many were deleted');
      t.equal(await store.find({ by, rid: 'rid-1', auction: null }, 0), null);
      t.equal(await store.find({ by, rid: 'rid-2', auction: null }, 0), null);
      t.equal(await store.find({ by: other, rid: 'rid-1', auction: null }, 0), null);
      t.same(await store.find({ by, rid: 'rid-3', auction: null }, 0), r[2].reply, 'newer records stay');
      t.equal(await store.purge(base + 3), 0, 'nothing left to purge');
    });

    await t.test('an accepted reply is kept as its journal row, found through its auction', async (t) => {
      const a = new Chain();
      const bidder = newUserId();
      a.created();
      a.opened();
      const bid = a.bid(bidder, 10_000);
      const refused = storedReply(bidder, `no-${randomUUID()}`, bid.at, a.id, false);
      await store.append(batchOf(a.events, [...a.events.map(replyFor), refused]));
      const key = { by: bidder, rid: bid.rid as string };
      t.same(await store.find({ ...key, auction: a.id }, 0), replyFor(bid).reply, 'through the auction it named');
      t.equal(await store.find({ ...key, auction: null }, 0), null, 'not without the auction');
      t.equal(await store.find({ ...key, auction: newAuctionId() }, 0), null, 'not through another auction');
      t.equal(await store.find({ ...key, auction: a.id }, bid.at + 1), null, 'not before since');
      t.same(await store.find({ by: bidder, rid: refused.rid, auction: null }, 0), refused.reply, 'a refusal is kept apart');
      const many = await store.findMany([{ ...key, auction: a.id }, { by: bidder, rid: refused.rid, auction: a.id }], 0);
      t.same(many.sort((x, y) => (x.rid < y.rid ? -1 : 1)), [replyFor(bid), refused].sort((x, y) => (x.rid < y.rid ? -1 : 1)), 'findMany finds both kinds');
      const since = (await store.since(bid.at)).filter((r) => r.by === bidder);
      t.same(since.map((r) => r.rid).sort(), [bid.rid, refused.rid].sort(), 'since includes replies kept with events');
      t.same(since.find((r) => r.rid === bid.rid), replyFor(bid), 'whole records');
      const replayed: StoredReply[] = [];
      const n = await store.replay(bid.at, (r) => replayed.push(r));
      t.equal(n, replayed.length, 'replay counts what it hands on');
      const mine = replayed.filter((r) => r.by === bidder);
      t.same(mine.sort((x, y) => (x.rid < y.rid ? -1 : 1)), since.sort((x, y) => (x.rid < y.rid ? -1 : 1)), 'replay hands on what since returns');
      await store.purge(bid.at + 1);
      t.same(await store.find({ ...key, auction: a.id }, 0), replyFor(bid).reply, 'purge leaves the journal alone');
      t.equal(await store.find({ by: bidder, rid: refused.rid, auction: null }, 0), null, 'and removes the refusal');

      // An accepted reply its event does not reproduce (another price) is kept apart, not lost.
      const odd = { ...replyFor(a.bid(newUserId(), 11_000)) };
      odd.reply = { ...odd.reply, price: 1 } as typeof odd.reply;
      await store.append(batchOf(a.events.slice(3), [odd]));
      t.same(await store.find({ by: odd.by, rid: odd.rid, auction: null }, 0), odd.reply, 'kept apart, as given');
    });

    await t.test('a large batch: 5,000 events over 1,000 auctions', async (t) => {
      const chains = Array.from({ length: 1000 }, () => new Chain());
      for (const c of chains) {
        c.created();
        c.opened();
        c.bid(newUserId(), 10_000);
        c.bid(newUserId(), 11_000);
        c.bid(newUserId(), 12_000);
      }
      // Interleaved like a real group commit: each auction in seq order, auctions mixed.
      const events: AuctionEvent[] = [];
      for (let step = 0; step < 5; step++) for (const c of chains) events.push(c.events[step]);
      const started = performance.now();
      await store.append(batchOf(events));
      t.comment(`${subject.name}: appended 5,000 events in ${(performance.now() - started).toFixed(0)} ms`);

      const tails = await store.tails(new Map(chains.map((c) => [c.id, 0])));
      t.equal(tails.size, 1000);
      t.same(Object.fromEntries(tails), Object.fromEntries(chains.map((c) => [c.id, c.events])), 'every auction reads back whole');
      const half = await store.tails(new Map(chains.map((c) => [c.id, 3])));
      t.ok(chains.every((c) => half.get(c.id)?.length === 2), 'tails after seq 3');
      const live = new Set(await store.live());
      t.ok(chains.every((c) => live.has(c.id)), 'all live');
      t.match(await store.summary(chains[999].id), { seq: 5, price: 12_000, status: 'OPEN' });
      const by = events[4000].by as string;
      t.same(await store.find({ by, rid: events[4000].rid as string, auction: events[4000].auction }, 0), replyFor(events[4000]).reply, 'replies stored');
    });

    await t.test('after: every auction\'s events in one order, by position, resumable', async (t) => {
      const start = await lastPosition(store);
      const a = new Chain();
      const b = new Chain();
      a.created();
      b.created();
      a.opened();
      await store.append(batchOf([a.events[0], b.events[0], a.events[1]]));
      b.opened();
      a.bid(newUserId(), 10_000);
      await store.append(batchOf([b.events[1], a.events[2]]));
      const all = await store.after(start, 100);
      t.same(all.map((p) => p.event), [a.events[0], b.events[0], a.events[1], b.events[1], a.events[2]], 'in append order, across auctions');
      t.same(all.map((p) => p.pos), [1, 2, 3, 4, 5].map((i) => start + i), 'consecutive positions');
      t.same(await store.after(start + 2, 2), all.slice(2, 4), 'resumes after a position, at most limit');
      t.same(await store.after(start + 5, 10), [], 'nothing after the last');
      t.same(await store.after(start, 0), [], 'a limit of 0 reads nothing');
    });

    await t.test('after: a rejected batch leaves at most a gap; later events read on', async (t) => {
      const start = await lastPosition(store);
      const a = new Chain();
      a.created();
      await store.append(batchOf(a.events));
      await t.rejects(store.append(batchOf([{ ...a.events[0] }])), JournalConflictError);
      a.opened();
      await store.append(batchOf(a.events.slice(1)));
      const got = await store.after(start, 10);
      t.same(got.map((p) => p.event), a.events, 'nothing of the rejected batch');
      t.ok(got[1].pos > got[0].pos);
    });

    await t.test('a batch whose rows cannot be built fails alone: no position held, the outbox and later batches carry on', async (t) => {
      const start = await lastPosition(store);
      const a = new Chain();
      a.created();
      await store.append(batchOf(a.events));
      // Injected: a spec member no serializer can take (what PATCH let through before the API parsed
      // bodies strictly), so the append fails while it builds its rows, after it numbered its events.
      const b = new Chain();
      b.created();
      const poisoned = b.edited({});
      (poisoned.spec as unknown as Record<string, unknown>).x = deepArray(OVERFLOWING);
      const bystander = new Chain();
      bystander.created();
      await t.rejects(store.append(batchOf([bystander.events[0], b.events[0], poisoned])), StoreUnavailableError, 'the batch fails');
      t.same(await store.read(b.id), [], 'nothing of it is stored');
      t.same(await store.read(bystander.id), [], 'not even the other auctions in it');

      const c = new Chain();
      c.created();
      c.opened();
      a.opened();
      a.bid(newUserId(), 10_000);
      await store.append(batchOf([c.events[0], a.events[1], c.events[1], a.events[2]]));
      const got = await store.after(start, 100);
      t.same(got.map((p) => p.event), [a.events[0], c.events[0], a.events[1], c.events[1], a.events[2]],
        'the outbox reads on past the failed batch, without a restart');
      t.same(await store.read(a.id), a.events, 'other auctions take their next events');
    });

    await t.test('after never passes an append still in flight', async (t) => {
      const start = await lastPosition(store);
      // A large batch and, behind it, a small one: on a pooled store the small one may commit first.
      const chains = Array.from({ length: 500 }, () => new Chain());
      const big: AuctionEvent[] = [];
      for (const c of chains) big.push(c.created(), c.opened(), c.bid(newUserId(), 10_000), c.bid(newUserId(), 11_000));
      const small = new Chain();
      small.created();
      let done = false;
      let order = '';
      const appends = Promise.all([
        store.append(batchOf(big)).then(() => (order += 'big ')),
        store.append(batchOf(small.events)).then(() => (order += 'small ')),
      ]).finally(() => (done = true));
      let reads = 0;
      let holes = 0;
      while (!done) {
        const got = await store.after(start, 10_000);
        reads++;
        // Whatever is read is a prefix of the positions: never the small batch without the big one.
        if (got.some((p, i) => p.pos !== start + i + 1)) holes++;
        await new Promise((r) => setImmediate(r));
      }
      await appends;
      t.equal(holes, 0, `no read skipped a position still in flight (${reads} reads; committed: ${order.trim()})`);
      const all = await store.after(start, 10_000);
      t.equal(all.length, big.length + 1, 'both batches read once settled');
      t.same(all[all.length - 1].event, small.events[0]);
    });

    // After every other subtest's purge, at times none of theirs use: the purge counts here are exact.
    await t.test('spilled replies: found by fingerprint whichever auction a key names, first kept, purged', async (t) => {
      const base = 2_000_000;
      const by = newUserId();
      const accepted = (seq: number, rid = '', status: AuctionStatus = 'OPEN'): Reply =>
        ({ ok: true, rid, seq, price: seq === 3 ? 1_000_000_000_000 : 1_000 * seq, leading: seq % 2 === 0, endsAt: T0 + 86_400_000 + seq, status });
      const fp = (rid: string, who = by) => replyFingerprint(who, rid);
      await store.spill([{ fp: fp('r1'), reply: accepted(1), at: base + 1 }, { fp: fp('r2'), reply: accepted(2), at: base + 2 }]);
      await store.spill([{ fp: fp('r1'), reply: accepted(9), at: base + 3 }, { fp: fp('r3'), reply: accepted(3, '', 'SOLD'), at: base + 3 }]);
      await store.spill([{ fp: fp('no'), reply: { ok: false, rid: '', code: 'BID_TOO_LOW', message: 'low' }, at: base + 3 }]);
      await store.spill([]);

      const keys = [
        { by, rid: 'r1', auction: newAuctionId() }, { by, rid: 'r2', auction: null }, { by, rid: 'r3', auction: 'anything' },
        { by, rid: 'no', auction: null }, { by, rid: 'r4', auction: null }, { by: newUserId(), rid: 'r1', auction: null },
      ];
      const found = (await store.findMany(keys, 0)).sort((x, y) => (x.rid < y.rid ? -1 : 1));
      t.same(found, [
        { by, rid: 'r1', auction: null, reply: accepted(1, 'r1'), at: base + 1 },
        { by, rid: 'r2', auction: null, reply: accepted(2, 'r2'), at: base + 2 },
        { by, rid: 'r3', auction: null, reply: accepted(3, 'r3', 'SOLD'), at: base + 3 },
      ], 'the first spilled reply, with the key\'s rid, whatever auction the key names; refusals are not spilled');
      t.same(await store.find({ by, rid: 'r2', auction: null }, base + 3), null, 'not before since');
      t.same((await store.since(0)).filter((r) => r.by === by), [], 'since leaves spilled replies out (they repeat journal rows)');

      const many = Array.from({ length: 5_000 }, (_, i) => ({ fp: fp(`bulk-${i}`), reply: accepted(10 + i), at: base + 5 }));
      await store.spill(many);
      const asked = Array.from({ length: 1_200 }, (_, i) => ({ by, rid: `bulk-${i * 4}`, auction: null }));
      const bulk = await store.findMany(asked, 0);
      t.equal(bulk.length, 1_200, 'a large spill, read back over more keys than one query takes');
      t.same(bulk.find((r) => r.rid === 'bulk-400')?.reply, accepted(410, 'bulk-400'));

      t.equal(await store.purge(base + 3), 2, 'purge deletes spilled replies older than before');
      t.same(await store.find({ by, rid: 'r1', auction: null }, 0), null);
      t.same(await store.find({ by, rid: 'r3', auction: null }, 0), accepted(3, 'r3', 'SOLD'), 'newer ones stay');
      t.equal(await store.purge(base + 6), 5_001);
    });

    await t.test('an empty batch is a no-op', async (t) => {
      const before = await store.after(0, 100_000);
      await store.append({ events: [], replies: [] });
      const c = new Chain();
      c.created();
      await store.append(batchOf(c.events));
      const after = await store.after(0, 100_000);
      t.same(after.slice(0, before.length), before, 'what was there is unchanged');
      t.equal(after.length, before.length + 1, 'the next batch takes the next position: the empty one reserved none');
      t.equal(after.at(-1)!.pos, (before.at(-1)?.pos ?? 0) + 1);
    });

    await t.test('what a caller gets back is a copy', async (t) => {
      const c = new Chain();
      c.created();
      const batch = batchOf(c.events);
      await store.append(batch);
      (batch.events[0].spec as { productId: string }).productId = 'changed-after-append';
      const [e] = await store.read(c.id);
      t.not(e.spec?.productId, 'changed-after-append', 'changing the appended object changes nothing stored');
      (e.spec as { productId: string }).productId = 'changed-after-read';
      const [again] = await store.read(c.id);
      t.not(again.spec?.productId, 'changed-after-read', 'changing a read object changes nothing stored');
    });

    await t.test('ping answers while open', async (t) => {
      await t.resolves(store.ping());
    });
  });
}

// What AUCTION_NOT_FOUND replies may cost: SPEC §1 makes them first replies, remembered 24 hours in
// memory and in the store, so a flood of bids naming random auction ids is bounded per user and in all
// (app/unknown-budget.ts; issue 12, defect 7).
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { DEFAULT_MAX_ENTRIES, ManualClock, REPLY_TTL_MS, type Reply } from '../../engine/index.ts';
import { AuctionService } from '../../app/auction/service.ts';
import { DEFAULT_UNKNOWN_PER_USER, DEFAULT_UNKNOWN_TOTAL, UnknownAuctionBudget } from '../../app/auction/unknown-budget.ts';
import { MemoryBoard } from '../../storage/auction/memory-board.ts';
import { MemoryJournal } from '../../storage/auction/memory-journal.ts';
import { MemorySnapshots } from '../../storage/auction/memory-snapshots.ts';

const TTL = 1_000;

t.test('one user: at most perUser within any TTL, counted again one to two TTLs later', async (t) => {
  const b = new UnknownAuctionBudget({ total: 1_000, perUser: 3, ttlMs: TTL });
  t.ok(b.take('u', 0) && b.take('u', 100) && b.take('u', 200), 'three');
  t.notOk(b.take('u', 300), 'a fourth within the TTL is refused');
  t.ok(b.take('v', 300), 'another user has a budget of its own');
  t.notOk(b.take('u', 999), 'still refused just before the TTL');
  t.notOk(b.take('u', 1_050), 'refused while the older generation holds the three');
  t.ok(b.take('u', 2_100), 'free again once they are older than the TTL and a generation has turned');
});

t.test('everyone: at most total within any TTL', async (t) => {
  const b = new UnknownAuctionBudget({ total: 5, perUser: 100, ttlMs: TTL });
  let taken = 0;
  for (let i = 0; i < 50; i++) if (b.take(`u${i}`, i)) taken++;
  t.equal(taken, 5);
  t.equal(b.size, 5);
  // Over a long run, admissions within any window of one TTL never pass the total.
  const at: number[] = [];
  for (let now = 100; now < 10 * TTL; now += 7) if (b.take(`w${now}`, now)) at.push(now);
  for (let i = 0; i < at.length; i++) {
    const within = at.filter((x) => x >= at[i] && x < at[i] + TTL).length;
    if (within > 5) t.fail(`${within} admissions in the TTL from ${at[i]}`);
  }
  t.ok(at.length >= 5 * 4, `the budget renews, at least once every two TTLs (${at.length} admissions over ten TTLs)`);
});

t.test('a generation idle past the TTL is not carried over', async (t) => {
  const b = new UnknownAuctionBudget({ total: 2, perUser: 2, ttlMs: TTL });
  t.ok(b.take('u', 0) && b.take('u', 10));
  t.notOk(b.take('u', 20));
  t.ok(b.take('u', 1_200), 'the last admission is older than the TTL: free at once');
});

t.test('count() re-counts what the store holds, whatever the budget', async (t) => {
  const b = new UnknownAuctionBudget({ total: 2, perUser: 2, ttlMs: TTL });
  for (let i = 0; i < 5; i++) b.count('u', i);
  t.equal(b.size, 5);
  t.notOk(b.take('v', 10), 'and the budget is spent for everyone');
});

t.test('the defaults: a tenth of the in-memory reply table', async (t) => {
  t.equal(DEFAULT_UNKNOWN_TOTAL, DEFAULT_MAX_ENTRIES / 10);
  t.ok(DEFAULT_UNKNOWN_PER_USER <= 100);
});

const T0 = 1_700_000_000_000;

function world(o: { total: number; perUser: number }) {
  const clock = new ManualClock(T0);
  const journal = new MemoryJournal();
  const svc = new AuctionService({
    clock, journal, idempotency: journal, snapshots: new MemorySnapshots(), board: new MemoryBoard(), unknownAuctions: o,
  });
  return { clock, journal, svc };
}

t.test('a flood of bids on random auction ids: memory and store stay within the budget', async (t) => {
  const { clock, journal, svc } = world({ total: 50, perUser: 10 });
  t.teardown(() => svc.shutdown());
  const id = 'real';
  t.equal((await svc.createAsync({
    id, sellerId: 'seller', productId: 'p', startPrice: 1000, bidUnit: 10, buyNowPrice: null, reservePrice: null,
    startsAt: T0, endsAt: T0 + 10 * REPLY_TTL_MS, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 },
  }, 'seller', 'c')).ok, true);
  t.equal((await svc.submitAsync({ t: 'open', auction: id, rid: 'o', by: 'seller', role: 'user' })).ok, true);
  const sizeBefore = svc.replies.size;

  const codes = new Map<string, number>();
  const tally = (r: Reply) => { const c = r.ok ? 'OK' : r.code; codes.set(c, (codes.get(c) ?? 0) + 1); };
  const lone: Reply[] = [];
  for (let i = 0; i < 20; i++) lone.push(await svc.submitAsync({ t: 'bid', auction: randomUUID(), rid: `lone-${i}`, by: 'mallory', amount: 100 }));
  t.same(lone.map((r) => (r.ok ? 'OK' : r.code)), [...Array(10).fill('AUCTION_NOT_FOUND'), ...Array(10).fill('OVERLOADED')],
    'one user: ten remembered refusals, then OVERLOADED');
  for (let u = 0; u < 20; u++) {
    for (let i = 0; i < 20; i++) tally(await svc.submitAsync({ t: 'bid', auction: randomUUID(), rid: `r${i}`, by: `sybil-${u}`, amount: 100 }));
  }
  t.equal(codes.get('AUCTION_NOT_FOUND'), 40, 'all users together: fifty remembered (ten of them mallory\'s)');
  t.equal(codes.get('OVERLOADED'), 400 - 40);
  t.equal(svc.replies.size - sizeBefore, 50, 'memory holds fifty more replies, not 420');
  const stored = (await journal.since(0)).filter((r) => !r.reply.ok && r.reply.code === 'AUCTION_NOT_FOUND');
  t.equal(stored.length, 50, 'and so does the store');

  // OVERLOADED was not a first reply: it applies nothing and is not remembered.
  const retried = await svc.submitAsync({ t: 'bid', auction: id, rid: 'lone-15', by: 'mallory', amount: 1000 });
  t.match(retried, { ok: true }, 'its rid is still free for a real command');
  t.same(await svc.submitAsync({ t: 'bid', auction: id, rid: 'lone-3', by: 'mallory', amount: 2000 }), lone[3],
    'a remembered refusal is still replayed once the budget is spent');
  t.match(await svc.submitAsync({ t: 'bid', auction: id, rid: 'real-bid', by: 'sybil-19', amount: 1010 }), { ok: true },
    'bids on real auctions are not limited by it');

  // Two TTLs on, the budget has turned over.
  clock.advance(2 * REPLY_TTL_MS);
  t.match(await svc.submitAsync({ t: 'bid', auction: randomUUID(), rid: 'later', by: 'mallory', amount: 100 }),
    { ok: false, code: 'AUCTION_NOT_FOUND' });
});

t.test('recovery counts the refusals the store already holds', async (t) => {
  const a = world({ total: 5, perUser: 5 });
  for (let i = 0; i < 5; i++) await a.svc.submitAsync({ t: 'bid', auction: randomUUID(), rid: `r${i}`, by: 'mallory', amount: 100 });
  await a.svc.shutdown();
  const again = new AuctionService({
    clock: a.clock, journal: a.journal, idempotency: a.journal, snapshots: new MemorySnapshots(), board: new MemoryBoard(),
    unknownAuctions: { total: 5, perUser: 5 },
  });
  t.teardown(() => again.shutdown());
  await again.recover();
  t.equal(again.unknownBudget.size, 5);
  t.match(await again.submitAsync({ t: 'bid', auction: randomUUID(), rid: 'after', by: 'mallory', amount: 100 }), { ok: false, code: 'OVERLOADED' },
    'a restart does not hand out a fresh budget');
  t.match(await again.submitAsync({ t: 'bid', auction: randomUUID(), rid: 'r2', by: 'mallory', amount: 100 }), { ok: false, code: 'AUCTION_NOT_FOUND' },
    'and the refusals are still replayed');
});

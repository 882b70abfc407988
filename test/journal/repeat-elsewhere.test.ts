// SPEC §1 at the service: the same (bidder, rid) gets its first reply whichever auction the repeat names,
// AUCTION_NOT_FOUND included, and never applies twice: across a SIGKILL restart on SQLite and MariaDB,
// and past the in-memory bound, where the first reply comes from the store (issue 12, defect 7).
import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { RecentReplies, systemClock, type AuctionSpec, type Reply } from '../../engine/index.ts';
import { laneOf } from '../../app/auction/lanes.ts';
import { AuctionService } from '../../app/auction/service.ts';
import { MemoryBoard } from '../../storage/auction/memory-board.ts';
import { MemoryJournal } from '../../storage/auction/memory-journal.ts';
import { MemorySnapshots } from '../../storage/auction/memory-snapshots.ts';
import type { BidJournal, IdempotencyStore, JournalBatch, SnapshotStore, SpilledReply } from '../../storage/auction/ports.ts';
import { openMariaDb, openSqlite } from '../helpers/stores.ts';
import { EngineChild } from './child.ts';
import { sqlTargets } from './targets.ts';

function specOf(id: string, now: number): AuctionSpec {
  return {
    id, sellerId: 'seller', productId: 'p', startPrice: 1000, bidUnit: 10, buyNowPrice: 1_000_000, reservePrice: null,
    startsAt: now - 1000, endsAt: now + 3_600_000, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 },
  };
}

const nowhere = () => randomUUID();

for (const target of sqlTargets()) {
  t.test(`${target.name}: across a SIGKILL restart`, async (t) => {
    const url = await target.open(t);
    if (url === null) return;
    const now = Date.now();
    const id = `rep-${now}`;
    const first = await EngineChild.start(url);
    t.teardown(() => first.kill());
    await first.ready;
    t.equal((await first.create(specOf(id, now), 'seller', 'c')).ok, true);
    t.equal((await first.cmd({ t: 'open', auction: id, rid: 'o', by: 'seller', role: 'user' })).ok, true);
    const accepted: Reply = await first.cmd({ t: 'bid', auction: id, rid: 'r1', by: 'alice', amount: 1000 });
    t.match(accepted, { ok: true, seq: 3 });
    const refused: Reply = await first.cmd({ t: 'bid', auction: nowhere(), rid: 'r2', by: 'alice', amount: 100 });
    t.match(refused, { ok: false, code: 'AUCTION_NOT_FOUND' });
    t.same(await first.cmd({ t: 'bid', auction: nowhere(), rid: 'r1', by: 'alice', amount: 100 }), accepted, 'before: (a)');
    t.same(await first.cmd({ t: 'bid', auction: id, rid: 'r2', by: 'alice', amount: 2000 }), refused, 'before: (b)');
    await first.kill();

    const second = await EngineChild.start(url);
    t.teardown(() => second.kill());
    await second.ready;
    t.same(await second.cmd({ t: 'bid', auction: nowhere(), rid: 'r1', by: 'alice', amount: 100 }), accepted,
      'after: the accepted first reply, on an unknown auction (a)');
    t.same(await second.cmd({ t: 'bid', auction: id, rid: 'r2', by: 'alice', amount: 3000 }), refused,
      'after: AUCTION_NOT_FOUND, on the real auction (b)');
    t.same(await second.cmd({ t: 'buy', auction: id, rid: 'r2', by: 'alice' }), refused, 'whatever the command');
    const [state] = await second.states([id]);
    t.match(state, { seq: 3, bidCount: 1, status: 'OPEN', price: 1000 }, 'nothing applied twice');
    await second.stop();
  });
}

type Stores = { j: BidJournal & IdempotencyStore; s: SnapshotStore };
const subjects: [string, (t: Test) => Promise<Stores | null>][] = [
  ['memory', async () => ({ j: new MemoryJournal(), s: new MemorySnapshots() })],
  ['sqlite', async (t) => { const store = await openSqlite(t); return { j: store, s: store }; }],
  ['mariadb', async (t) => { const store = await openMariaDb(t); return store && { j: store, s: store }; }],
];

for (const [name, open] of subjects) {
  t.test(`${name}: past the in-memory bound, the first reply comes from the store`, async (t) => {
    const stores = await open(t);
    if (stores === null) return;
    const { j, s } = stores;
    const replies = new RecentReplies({ maxEntries: 32 });
    const svc = new AuctionService({ clock: systemClock, journal: j, idempotency: j, snapshots: s, board: new MemoryBoard(), replies });
    t.teardown(() => svc.shutdown());
    const now = Date.now();
    const [a, b] = [`past-a-${now}`, `past-b-${now}`];
    for (const id of [a, b]) {
      t.equal((await svc.createAsync(specOf(id, now), 'seller', `c-${id}`)).ok, true);
      t.equal((await svc.submitAsync({ t: 'open', auction: id, rid: `o-${id}`, by: 'seller', role: 'user' })).ok, true);
    }
    const accepted = await svc.submitAsync({ t: 'bid', auction: a, rid: 'r1', by: 'ann', amount: 1000 });
    t.match(accepted, { ok: true });
    const refused = await svc.submitAsync({ t: 'bid', auction: nowhere(), rid: 'r2', by: 'ann', amount: 100 });
    t.match(refused, { ok: false, code: 'AUCTION_NOT_FOUND' });
    // Bids on b until both first replies have left memory (their generation spilled and released).
    let fillers = 0;
    for (; fillers < 1000 && (fillers < 100 || replies.get('ann', 'r1', Date.now()) !== undefined); fillers++) {
      const r = await svc.submitAsync({ t: 'bid', auction: b, rid: `b${fillers}`, by: `u${fillers % 3}`, amount: 1010 + fillers * 10 });
      if (!r.ok) t.fail(`filler bid ${fillers}: ${r.code}`);
    }
    t.ok(replies.mayHaveEvicted(Date.now()), `after ${fillers} bids the in-memory table has dropped replies younger than 24 hours`);
    t.equal(replies.get('ann', 'r1', Date.now()), undefined, 'the accepted first reply is no longer in memory');
    t.equal(replies.get('ann', 'r2', Date.now()), undefined, 'nor the refusal');
    const [seqA, seqB] = [svc.registry.get(a)!.state.seq, svc.registry.get(b)!.state.seq];

    t.same(await svc.submitAsync({ t: 'bid', auction: nowhere(), rid: 'r1', by: 'ann', amount: 100 }), accepted,
      'an unknown auction: the accepted first reply (a)');
    t.same(await svc.submitAsync({ t: 'bid', auction: b, rid: 'r1', by: 'ann', amount: 5000 }), accepted,
      'another real auction: the accepted first reply');
    t.same(await svc.submitAsync({ t: 'bid', auction: a, rid: 'r2', by: 'ann', amount: 5000 }), refused,
      'a real auction: AUCTION_NOT_FOUND (b)');
    t.equal(svc.registry.get(a)!.state.seq, seqA, 'nothing applied on the first auction');
    t.equal(svc.registry.get(b)!.state.seq, seqB, 'nor on the other');
    const fresh = await svc.submitAsync({ t: 'bid', auction: b, rid: 'fresh', by: 'ann', amount: svc.registry.get(b)!.state.price + 10 });
    t.equal(fresh.ok, true, 'a new rid still goes through');
  });
}

t.test('a repeat naming an auction on another commit lane waits until its first reply is durable', async (t) => {
  const inner = new MemoryJournal();
  const now = Date.now();
  const a = `lane-a-${now}`;
  let b = `lane-b-${now}`;
  for (let i = 0; laneOf(b, 2) === laneOf(a, 2); i++) b = `lane-b-${now}-${i}`;
  let release: (() => void) | null = null;
  let holdA = false;
  // Holds the append that carries the bid on `a` until the test releases it.
  const journal = Object.assign(Object.create(inner) as MemoryJournal, {
    async append(batch: JournalBatch) {
      if (holdA && batch.events.some((e) => e.auction === a)) await new Promise<void>((resolve) => (release = resolve));
      await inner.append(batch);
    },
  });
  const svc = new AuctionService({
    clock: systemClock, journal, idempotency: inner, snapshots: new MemorySnapshots(), board: new MemoryBoard(), commitLanes: 2,
  });
  t.teardown(() => svc.shutdown());
  for (const id of [a, b]) {
    t.equal((await svc.createAsync(specOf(id, now), 'seller', `c-${id}`)).ok, true);
    t.equal((await svc.submitAsync({ t: 'open', auction: id, rid: `o-${id}`, by: 'seller', role: 'user' })).ok, true);
  }
  holdA = true;
  const heard: string[] = [];
  const first = svc.submitAsync({ t: 'bid', auction: a, rid: 'r1', by: 'alice', amount: 1000 }).then((r) => { heard.push('first'); return r; });
  const repeat = svc.submitAsync({ t: 'bid', auction: b, rid: 'r1', by: 'alice', amount: 1000 }).then((r) => { heard.push('repeat'); return r; });
  for (let i = 0; i < 20 && release === null; i++) await new Promise((r) => setImmediate(r));
  t.not(release, null, 'the first bid is being written');
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  t.same(heard, [], 'the repeat is not answered before the first reply is durable');
  (release as unknown as () => void)();
  const [one, two] = await Promise.all([first, repeat]);
  t.match(one, { ok: true });
  t.same(two, one);
  t.equal(svc.registry.get(b)!.state.seq, 2, 'nothing applied on the other auction');
});

t.test('an evicted reply answers from memory until the store has taken it, then from the store', async (t) => {
  const inner = new MemoryJournal();
  let spills = 0;
  let letGo: (() => void) | null = null;
  // Holds every spill until the test lets it go.
  const store = Object.assign(Object.create(inner) as MemoryJournal, {
    async spill(rows: readonly SpilledReply[]) {
      spills++;
      await new Promise<void>((resolve) => (letGo = resolve));
      await inner.spill(rows);
    },
  });
  const replies = new RecentReplies({ maxEntries: 32 });
  const svc = new AuctionService({ clock: systemClock, journal: store, idempotency: store, snapshots: new MemorySnapshots(), board: new MemoryBoard(), replies });
  t.teardown(() => svc.shutdown());
  const now = Date.now();
  const [a, b] = [`held-a-${now}`, `held-b-${now}`];
  for (const id of [a, b]) {
    await svc.createAsync(specOf(id, now), 'seller', `c-${id}`);
    await svc.submitAsync({ t: 'open', auction: id, rid: `o-${id}`, by: 'seller', role: 'user' });
  }
  const accepted = await svc.submitAsync({ t: 'bid', auction: a, rid: 'r1', by: 'ann', amount: 1000 });
  t.match(accepted, { ok: true });
  let i = 0;
  for (; i < 200 && spills === 0; i++) await svc.submitAsync({ t: 'bid', auction: b, rid: `b${i}`, by: 'bea', amount: 1010 + i * 10 });
  t.equal(spills, 1, `r1's generation was evicted after ${i} more bids, and its spill is held`);
  t.equal(replies.evictedHeld, 1);
  t.same(await inner.findMany([{ by: 'ann', rid: 'r1', auction: null }], 0), [], 'the store cannot answer for it yet');
  t.same(await svc.submitAsync({ t: 'bid', auction: nowhere(), rid: 'r1', by: 'ann', amount: 100 }), accepted, 'so memory does');

  (letGo as unknown as () => void)();
  for (let k = 0; k < 100 && (await inner.findMany([{ by: 'ann', rid: 'r1', auction: null }], 0)).length === 0; k++) {
    await new Promise((r) => setImmediate(r));
  }
  t.match(await inner.findMany([{ by: 'ann', rid: 'r1', auction: null }], 0), [{ by: 'ann', rid: 'r1', auction: null, reply: accepted }], 'the store has it');
  await svc.submitAsync({ t: 'bid', auction: b, rid: 'after', by: 'bea', amount: 100_000 }); // its pre-check releases the generation
  t.equal(replies.get('ann', 'r1', Date.now()), undefined, 'memory has let it go');
  t.same(await svc.submitAsync({ t: 'bid', auction: nowhere(), rid: 'r1', by: 'ann', amount: 100 }), accepted, 'and the store answers');
  t.same(await svc.submitAsync({ t: 'bid', auction: b, rid: 'r1', by: 'ann', amount: 200_000 }), accepted, 'on a real auction too');
});

t.test('a store that takes no spill: commands are refused before evicted replies pile up in memory', async (t) => {
  const inner = new MemoryJournal();
  const store = Object.assign(Object.create(inner) as MemoryJournal, { spill: () => new Promise<void>(() => {}) });
  const replies = new RecentReplies({ maxEntries: 32 });
  const svc = new AuctionService({ clock: systemClock, journal: store, idempotency: store, snapshots: new MemorySnapshots(), board: new MemoryBoard(), replies });
  t.teardown(() => svc.shutdown());
  const now = Date.now();
  const id = `stuck-${now}`;
  await svc.createAsync(specOf(id, now), 'seller', 'c');
  await svc.submitAsync({ t: 'open', auction: id, rid: 'o', by: 'seller', role: 'user' });
  let i = 0;
  let last: Reply | null = null;
  for (; i < 1_000 && (last === null || last.ok); i++) last = await svc.submitAsync({ t: 'bid', auction: id, rid: `b${i}`, by: 'bea', amount: 1000 + i * 10 });
  t.match(last, { ok: false, code: 'OVERLOADED' }, `refused after ${i} bids`);
  t.equal(replies.evictedHeld, 5, 'five evicted generations held, no more');
  t.ok(replies.size <= 32 + 5 * 16, `memory stays bounded (${replies.size} replies)`);
});

// Idempotency (SPEC §1): the same (user, rid) within 24 hours returns the first reply and never applies
// twice. Through the registry, and RecentReplies on its own (TTL, size bound, eviction, forget).
import t from 'tap';
import {
  AuctionRegistry, ERROR_CODES, ERRORS, REPLY_TTL_MS, RecentReplies, replyFingerprint, STATUSES, type EvictedReplies, type Reply,
} from '../../engine/index.ts';
import {
  ALICE, BOB, HOUR, T0, applySync, bid, buy, cancel, createSync, must, open, openAuction, SELLER, snapshot, spec,
  stateOf, world,
} from './fixtures.ts';

// ---- through the registry -------------------------------------------------------------------------

t.test('a retry returns the identical first reply, with no event and seq unchanged', async (t) => {
  const w = openAuction();
  const cmd = bid(ALICE, 10_000, 30_000);
  const first = must(w.registry, cmd);
  t.equal(first.replayed, false);
  const after = snapshot(w.registry);
  const again = applySync(w.registry, cmd);
  t.equal(again.replayed, true);
  t.strictSame(again.reply, first.reply, 'the very same reply');
  t.equal(again.event, null);
  t.same(again.notices, []);
  t.strictSame(stateOf(w.registry), after, 'nothing applied twice');
  t.equal(stateOf(w.registry).bidCount, 1);
});

t.test('the retry gets the first reply even when the command or the auction changed since', async (t) => {
  const w = openAuction();
  const first = must(w.registry, bid(ALICE, 10_000, undefined, { rid: 'same' }));
  must(w.registry, bid(BOB, 20_000));
  const before = snapshot(w.registry);
  const retry = applySync(w.registry, bid(ALICE, 50_000, undefined, { rid: 'same' }));
  t.equal(retry.replayed, true);
  t.strictSame(retry.reply, first.reply, 'still leading: true at 10,000 as first answered');
  t.strictSame(stateOf(w.registry), before);
  const asBuy = applySync(w.registry, buy(ALICE, { rid: 'same' }));
  t.equal(asBuy.replayed, true, 'the key is (user, rid), whatever the command');
  t.strictSame(asBuy.reply, first.reply);
});

t.test('a rejected first reply is replayed too', async (t) => {
  const w = openAuction();
  const first = applySync(w.registry, bid(ALICE, 9_000, undefined, { rid: 'low' }));
  t.match(first.reply, { ok: false, code: 'BID_TOO_LOW', minNext: 10_000 });
  const before = snapshot(w.registry);
  const retry = applySync(w.registry, bid(ALICE, 10_000, undefined, { rid: 'low' }));
  t.equal(retry.replayed, true);
  t.strictSame(retry.reply, first.reply);
  t.strictSame(stateOf(w.registry), before, 'the valid retry was not applied');
  const fresh = must(w.registry, bid(ALICE, 10_000, undefined, { rid: 'low-2' }));
  t.equal(fresh.replayed, false, 'a new rid is a new command');
});

t.test('rejections of every kind are cached per (user, rid)', async (t) => {
  const w = openAuction();
  for (const cmd of [bid(SELLER, 20_000), bid(ALICE, 'x'), cancel(ALICE), open()]) {
    const first = applySync(w.registry, cmd);
    t.equal(first.reply.ok, false);
    const again = applySync(w.registry, cmd);
    t.equal(again.replayed, true, `${cmd.t} ${first.reply.ok ? '' : first.reply.code}`);
    t.strictSame(again.reply, first.reply);
  }
});

t.test('another user with the same rid is independent', async (t) => {
  const w = openAuction();
  const a = must(w.registry, bid(ALICE, 10_000, undefined, { rid: 'r' }));
  const b = must(w.registry, bid(BOB, 11_000, undefined, { rid: 'r' }));
  t.equal(b.replayed, false);
  t.notOk(a.event === null || b.event === null);
  t.equal(stateOf(w.registry).leader, BOB);
  t.equal(stateOf(w.registry).bidCount, 2);
});

t.test('the same user and rid on another auction returns the first reply', async (t) => {
  const w = world();
  createSync(w.registry, spec({ id: 'a1' }));
  createSync(w.registry, spec({ id: 'a2' }));
  must(w.registry, open(SELLER, 'user', { auction: 'a1' }));
  must(w.registry, open(SELLER, 'user', { auction: 'a2' }));
  w.clock.set(T0);
  const first = must(w.registry, bid(ALICE, 10_000, undefined, { auction: 'a1', rid: 'x' }));
  const other = applySync(w.registry, bid(ALICE, 10_000, undefined, { auction: 'a2', rid: 'x' }));
  t.equal(other.replayed, true);
  t.strictSame(other.reply, first.reply);
  t.equal(stateOf(w.registry, 'a2').bidCount, 0);
});

t.test('after 24 hours (REPLY_TTL_MS) the entry expires', async (t) => {
  t.equal(REPLY_TTL_MS, 24 * 60 * 60 * 1000);
  const w = openAuction({ endsAt: T0 + 48 * HOUR });
  const cmd = bid(ALICE, 10_000);
  must(w.registry, cmd);
  w.clock.set(T0 + REPLY_TTL_MS - 1);
  t.equal(applySync(w.registry, cmd).replayed, true, 'one millisecond before 24 hours: replayed');
  w.clock.set(T0 + REPLY_TTL_MS);
  const late = applySync(w.registry, cmd);
  t.equal(late.replayed, false, 'at 24 hours: a new command');
  t.match(late.reply, { ok: false, code: 'BID_TOO_LOW', minNext: 11_000 }, 'decided afresh against today\'s price');
});

t.test('a retry queued behind its original sees the original reply', async (t) => {
  const w = openAuction();
  const cmd = bid(ALICE, 10_000);
  const outs: Array<{ reply: Reply; replayed: boolean }> = [];
  w.registry.dispatch(cmd, (o) => {
    outs.push(o);
    w.registry.dispatch(cmd, (o2) => outs.push(o2)); // the client retried while the first was in hand
  });
  t.equal(outs.length, 2);
  t.equal(outs[0].replayed, false);
  t.equal(outs[1].replayed, true);
  t.strictSame(outs[1].reply, outs[0].reply);
  t.equal(stateOf(w.registry).bidCount, 1);
});

t.test('a restarted registry sharing the reply store still replays', async (t) => {
  const w = openAuction();
  const cmd = bid(ALICE, 10_000);
  const first = must(w.registry, cmd);
  const restarted = new AuctionRegistry({ clock: w.clock, replies: w.replies });
  const actor = w.registry.get('a1');
  if (actor === undefined) throw new Error('no actor');
  restarted.adopt(actor);
  const again = applySync(restarted, cmd);
  t.equal(again.replayed, true);
  t.strictSame(again.reply, first.reply);
});

t.test('forget lets a command whose reply was never made durable apply again', async (t) => {
  const w = openAuction();
  const cmd = bid(ALICE, 10_000);
  const durable = snapshot(w.registry);
  must(w.registry, cmd);
  // The journal write failed: the runtime rolls the actor back and forgets the reply.
  w.registry.restore(structuredClone(durable));
  w.replies.forget(ALICE, cmd.rid);
  const retry = applySync(w.registry, cmd);
  t.equal(retry.replayed, false);
  t.match(retry.reply, { ok: true, seq: durable.seq + 1 });
});

t.test('INVALID_RID is not cached (there is no valid key to cache it under)', async (t) => {
  const w = openAuction();
  const before = w.replies.size;
  applySync(w.registry, { ...bid(ALICE, 10_000), rid: '' });
  t.equal(w.replies.size, before);
});

// SPEC §1: the first reply "whatever that reply was (AUCTION_NOT_FOUND included) and whichever auction
// the repeat names" (issue 12, defect 7).
t.test('AUCTION_NOT_FOUND is a first reply: a repeat on a real auction gets it and applies nothing', async (t) => {
  const w = openAuction();
  const before = w.replies.size;
  const first = applySync(w.registry, bid(ALICE, 10_000, undefined, { auction: 'nope', rid: 'nf' }));
  t.match(first.reply, { ok: false, rid: 'nf', code: 'AUCTION_NOT_FOUND' });
  t.equal(first.replayed, false);
  t.equal(w.replies.size, before + 1, 'remembered');
  const later = applySync(w.registry, bid(ALICE, 10_000, undefined, { rid: 'nf' }));
  t.equal(later.replayed, true);
  t.strictSame(later.reply, first.reply);
  t.equal(stateOf(w.registry).bidCount, 0, 'nothing applied');
  const elsewhere = applySync(w.registry, bid(ALICE, 10_000, undefined, { auction: 'also-nope', rid: 'nf' }));
  t.equal(elsewhere.replayed, true, 'another unknown auction gets the same first reply');
});

t.test('a repeat naming an unknown auction gets the first reply, not AUCTION_NOT_FOUND', async (t) => {
  const w = openAuction();
  const first = must(w.registry, bid(ALICE, 10_000, undefined, { rid: 'r1' }));
  const size = w.replies.size;
  const again = applySync(w.registry, bid(ALICE, 100, undefined, { auction: 'an-unknown-uuid', rid: 'r1' }));
  t.equal(again.replayed, true);
  t.strictSame(again.reply, first.reply);
  t.equal(w.replies.size, size, 'nothing new remembered');
  const other = applySync(w.registry, bid(BOB, 100, undefined, { auction: 'an-unknown-uuid', rid: 'r1' }));
  t.match(other.reply, { ok: false, code: 'AUCTION_NOT_FOUND' }, 'another user\'s r1 is its own');
});

t.test('close commands are not cached', async (t) => {
  const w = openAuction();
  const before = w.replies.size;
  w.clock.set(w.spec.endsAt - 1);
  applySync(w.registry, { t: 'close', auction: 'a1', rid: 'c' });
  w.clock.set(w.spec.endsAt);
  const out = must(w.registry, { t: 'close', auction: 'a1', rid: 'c' });
  t.equal(out.replayed, false);
  t.equal(w.replies.size, before);
});

// ---- RecentReplies --------------------------------------------------------------------------------

function okReply(n: number, rid = `r${n}`): Reply {
  return { ok: true, rid, seq: n, price: 1_000 * n, leading: n % 2 === 0, endsAt: T0 + n, status: 'OPEN' };
}

t.test('put then get returns the reply, within the TTL', async (t) => {
  const r = new RecentReplies({ ttlMs: 1_000 });
  t.equal(r.get(ALICE, 'x', 0), undefined, 'nothing yet');
  const rep = okReply(1, 'x');
  r.put(ALICE, 'x', rep, 100);
  t.equal(r.size, 1);
  t.strictSame(r.get(ALICE, 'x', 100), rep);
  t.strictSame(r.get(ALICE, 'x', 1_099), rep, 'just inside the TTL');
  t.equal(r.get(BOB, 'x', 100), undefined, 'another user');
  t.equal(r.get(ALICE, 'y', 100), undefined, 'another rid');
});

t.test('a lone reply expires exactly at the TTL; the default TTL is 24 hours', async (t) => {
  const r = new RecentReplies({ ttlMs: 1_000 });
  r.put(ALICE, 'x', okReply(1, 'x'), 100);
  t.equal(r.get(ALICE, 'x', 1_100), undefined);
  const d = new RecentReplies();
  d.put(ALICE, 'x', okReply(1, 'x'), T0);
  t.ok(d.get(ALICE, 'x', T0 + REPLY_TTL_MS - 1));
  t.equal(d.get(ALICE, 'x', T0 + REPLY_TTL_MS), undefined);
});

t.test('every reply is kept at least the TTL, whatever else arrives, and gone after two', async (t) => {
  const r = new RecentReplies({ ttlMs: 1_000 });
  let missing = 0;
  // One reply every 100 ms for five TTLs; after each, every reply younger than the TTL must still be there.
  for (let i = 0; i < 50; i++) {
    r.put(ALICE, `r${i}`, okReply(i + 1), i * 100);
    const now = i * 100 + 99;
    for (let j = Math.max(0, i - 9); j <= i; j++) {
      const got = r.get(ALICE, `r${j}`, now); // age (i - j) * 100 + 99 < 1,000
      if (got === undefined || !got.ok || got.seq !== j + 1) missing++;
    }
  }
  t.equal(missing, 0, 'none was lost within its TTL');
  t.equal(r.get(ALICE, 'r0', 4_900 + 2_000), undefined);
  t.equal(r.get(ALICE, 'r49', 4_900 + 2_000), undefined);
  t.equal(r.evictedAfter, -Infinity, 'expiry is not eviction');
});

t.test('a second put of the same pair keeps the first reply', async (t) => {
  const r = new RecentReplies();
  r.put(ALICE, 'x', okReply(1, 'x'), 0);
  r.put(ALICE, 'x', okReply(2, 'x'), 1);
  t.strictSame(r.get(ALICE, 'x', 2), okReply(1, 'x'));
});

t.test('accepted replies round-trip every field and status', async (t) => {
  const r = new RecentReplies();
  STATUSES.forEach((status, i) => {
    for (const leading of [true, false]) {
      const rid = `${status}-${leading}`;
      const rep: Reply = { ok: true, rid, seq: 1 + i, price: 10 ** 12 - i, leading, endsAt: T0 + 48 * HOUR, status };
      r.put(ALICE, rid, rep, T0);
      t.strictSame(r.get(ALICE, rid, T0), rep, rid);
    }
  });
});

t.test('rejected replies round-trip every code, with and without minNext and price', async (t) => {
  const r = new RecentReplies();
  for (const code of ERROR_CODES) {
    const plain: Reply = { ok: false, rid: `${code}-1`, code, message: ERRORS[code].message };
    const full: Reply = { ok: false, rid: `${code}-2`, code, message: ERRORS[code].message, minNext: 11_000, price: 10_000 };
    const priceOnly: Reply = { ok: false, rid: `${code}-3`, code, message: ERRORS[code].message, price: 7 };
    for (const rep of [plain, full, priceOnly]) {
      r.put(BOB, rep.rid, rep, T0);
      t.strictSame(r.get(BOB, rep.rid, T0), rep, rep.rid);
    }
  }
});

t.test('many distinct (user, rid) pairs, including look-alikes, never mix', async (t) => {
  const r = new RecentReplies();
  const users = ['a', 'ab', 'b', 'a\u0000', '', 'alice', 'ALICE', '홍길동'];
  const rids = Array.from({ length: 1_500 }, (_, i) => `r${i}`).concat(['', 'b', '\u0000ab', 'ab']);
  let n = 0;
  for (const u of users) for (const rid of rids) r.put(u, rid, okReply(++n, rid), T0);
  t.equal(r.size, n);
  n = 0;
  let wrong = 0;
  for (const u of users) for (const rid of rids) {
    const got = r.get(u, rid, T0);
    if (!got || !got.ok || got.seq !== ++n || got.rid !== rid) wrong++;
  }
  t.equal(wrong, 0);
  t.equal(r.get('a', 'b\u0000', T0), undefined);
});

t.test('forget removes one pair', async (t) => {
  const r = new RecentReplies();
  r.put(ALICE, 'a', okReply(1, 'a'), 0);
  r.put(ALICE, 'b', okReply(2, 'b'), 0);
  r.forget(ALICE, 'a');
  r.forget(ALICE, 'missing');
  t.equal(r.get(ALICE, 'a', 0), undefined);
  t.ok(r.get(ALICE, 'b', 0));
  r.put(ALICE, 'a', okReply(3, 'a'), 1);
  t.strictSame(r.get(ALICE, 'a', 1), okReply(3, 'a'), 'a forgotten pair takes a new first reply');
});

t.test('clear drops everything', async (t) => {
  const r = new RecentReplies();
  r.put(ALICE, 'a', okReply(1, 'a'), 0);
  r.clear();
  t.equal(r.get(ALICE, 'a', 0), undefined);
});

t.test('maxEntries bounds memory; dropped replies set evictedAfter and mayHaveEvicted', async (t) => {
  const r = new RecentReplies({ ttlMs: 1_000, maxEntries: 100 });
  t.equal(r.evictedAfter, -Infinity);
  t.equal(r.mayHaveEvicted(0), false, 'nothing evicted yet');
  for (let i = 0; i < 1_000; i++) r.put(ALICE, `r${i}`, okReply(i + 1), 500);
  t.ok(r.size <= 100, `size ${r.size} within the bound`);
  t.equal(r.get(ALICE, 'r0', 500), undefined, 'the oldest were dropped');
  t.ok(r.get(ALICE, 'r999', 500), 'the newest stay');
  t.equal(r.evictedAfter, 500, 'dropped replies were put at 500');
  t.equal(r.mayHaveEvicted(500), true);
  t.equal(r.mayHaveEvicted(1_499), true);
  t.equal(r.mayHaveEvicted(1_500), false, 'the evicted replies would have expired anyway');
});

t.test('generations dropped after their TTL are not evictions', async (t) => {
  const r = new RecentReplies({ ttlMs: 1_000, maxEntries: 100 });
  for (let i = 0; i < 40; i++) r.put(ALICE, `a${i}`, okReply(i + 1), 0);
  for (let i = 0; i < 40; i++) r.put(ALICE, `b${i}`, okReply(i + 1), 5_000);
  for (let i = 0; i < 40; i++) r.put(ALICE, `c${i}`, okReply(i + 1), 10_000);
  t.equal(r.evictedAfter, -Infinity);
  t.equal(r.mayHaveEvicted(10_000), false);
});

// Evictions handed to the runtime (app/spill.ts), which stores them by fingerprint and then releases them.
t.test('onEvict: an evicted generation keeps answering until released', async (t) => {
  const r = new RecentReplies({ ttlMs: 1_000, maxEntries: 32 });
  const evicted: EvictedReplies[] = [];
  r.onEvict = (e) => evicted.push(e);
  for (let i = 0; i < 16; i++) r.put(ALICE, `r${i}`, okReply(i + 1), 100 + i);
  r.forget(ALICE, 'r3');
  for (let i = 16; i < 48; i++) r.put(ALICE, `r${i}`, okReply(i + 1), 200);
  t.equal(evicted.length, 1, 'the first generation was dropped by size');
  t.equal(evicted[0].to, 115, 'its latest reply was recorded at 115');
  t.equal(r.evictedHeld, 1);
  t.equal(r.mayHaveEvicted(200), true);
  t.strictSame(r.get(ALICE, 'r0', 200), okReply(1, 'r0'), 'still answered from memory');
  t.equal(r.get(ALICE, 'r3', 200), undefined, 'forgotten is forgotten');
  const entries = evicted[0].entries();
  t.equal(entries.length, 15, 'every entry but the forgotten one');
  const r5 = entries.find((e) => e.fp[0] === replyFingerprint(ALICE, 'r5')[0] && e.fp[1] === replyFingerprint(ALICE, 'r5')[1]);
  t.strictSame(r5?.reply, okReply(6, ''), 'under the fingerprint of (user, rid), with an empty rid');
  r.forget(ALICE, 'r6');
  t.equal(evicted[0].entries().length, 14, 'forget reaches a held generation');
  t.ok(r.size > 32, `held entries count in size (${r.size})`);

  r.release(evicted[0]);
  t.equal(r.evictedHeld, 0);
  t.equal(r.get(ALICE, 'r0', 200), undefined, 'released: gone from memory');
  t.ok(r.size <= 32, 'back within the bound');
  for (let i = 48; i < 80; i++) r.put(ALICE, `r${i}`, okReply(i + 1), 300);
  t.ok(r.get(ALICE, 'r79', 300), 'the next rotation reuses the released buffers and works');
  t.equal(evicted.length, 3, 'two more generations evicted');
});

t.test('onEvict: a held generation whose TTL passed is dropped at the next rotation', async (t) => {
  const r = new RecentReplies({ ttlMs: 1_000, maxEntries: 32 });
  const evicted: EvictedReplies[] = [];
  r.onEvict = (e) => evicted.push(e);
  for (let i = 0; i < 48; i++) r.put(ALICE, `a${i}`, okReply(i + 1), 0);
  t.equal(r.evictedHeld, 1);
  t.equal(r.get(ALICE, 'a0', 1_000), undefined, 'not served past its TTL');
  for (let i = 0; i < 20; i++) r.put(ALICE, `b${i}`, okReply(i + 1), 1_500);
  t.equal(evicted.length, 1, 'no new eviction');
  t.equal(r.evictedHeld, 0, 'expired, so not held any longer (the store need not take it)');
  r.release(evicted[0]);
  t.equal(r.evictedHeld, 0, 'a late release is harmless');
});

t.test('replyFingerprint is stable: stored copies are found by it', async (t) => {
  t.same(replyFingerprint('alice', 'r1'), replyFingerprint('alice', 'r1'));
  t.notSame(replyFingerprint('alice', 'r1'), replyFingerprint('alice', 'r2'));
  t.notSame(replyFingerprint('alice', 'r1'), replyFingerprint('alicer', '1'), 'user and rid are separated');
  // Pinned: a change here orphans the spilled replies of up to two days (engine/replies.ts).
  t.same(replyFingerprint('alice', 'r1'), [-2_115_049_000, -284_997_077]);
});

t.test('a registry with a small reply store keeps working past the bound', async (t) => {
  const replies = new RecentReplies({ maxEntries: 2 });
  const w = openAuction({ bidUnit: 1 });
  const r = new AuctionRegistry({ clock: w.clock, replies });
  const actor = w.registry.get('a1');
  if (actor === undefined) throw new Error('no actor');
  r.adopt(actor);
  const first = bid(ALICE, 10_000);
  must(r, first);
  for (let i = 1; i <= 100; i++) must(r, bid(i % 2 === 0 ? ALICE : BOB, 10_000 + i));
  t.ok(replies.size < 100, `bounded (${replies.size})`);
  t.equal(replies.mayHaveEvicted(w.clock.now()), true, 'the runtime is told to look in the store');
  const again = applySync(r, first);
  t.equal(again.replayed, false, 'the evicted reply is no longer in memory');
});

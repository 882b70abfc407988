// Soft close (SPEC §1): a bid accepted at t with endsAt - t < windowMs, and fewer than maxExtensions
// extensions so far, moves endsAt by extendMs; every participant learns the new end. The registry asks
// its injected CloseTimer for the close on open and on every extension, and cancels it on the end.
import t from 'tap';
import { minNext, type SoftClose } from '../../engine/index.ts';
import {
  ALICE, BOB, CAROL, MINUTE, applySync, bid, buy, cancel, close, expectRejected, must, open, openAuction,
  pendingAuction, stateOf,
} from './fixtures.ts';

const SEED: SoftClose = { windowMs: 60_000, extendMs: 180_000, maxExtensions: 1 };

t.test('a bid inside the window extends endsAt by extendMs', async (t) => {
  const w = openAuction({ softClose: SEED });
  must(w.registry, bid(ALICE, 10_000));
  w.clock.set(w.spec.endsAt - 59_999);
  const out = must(w.registry, bid(BOB, 11_000));
  const ends = w.spec.endsAt + 180_000;
  t.match(out.reply, { ok: true, endsAt: ends });
  t.equal(out.event?.endsAt, ends);
  const s = stateOf(w.registry);
  t.equal(s.endsAt, ends);
  t.equal(s.extensions, 1);
  t.equal(s.spec.endsAt, w.spec.endsAt, 'the spec keeps the planned end');
  t.strictSame(w.timer.calls, [{ op: 'schedule', auction: 'a1', at: ends }], 'the close is rescheduled');
});

t.test('the window edge: exactly windowMs left does not extend', async (t) => {
  const w = openAuction({ softClose: SEED });
  w.clock.set(w.spec.endsAt - 60_000);
  const out = must(w.registry, bid(ALICE, 10_000));
  t.match(out.reply, { endsAt: w.spec.endsAt });
  t.equal(stateOf(w.registry).extensions, 0);
  t.same(out.notices, []);
  t.same(w.timer.calls, []);
});

t.test('bids outside the window do not extend', async (t) => {
  const w = openAuction({ softClose: SEED });
  for (const left of [59 * MINUTE, 10 * MINUTE, 60_001]) {
    w.clock.set(w.spec.endsAt - left);
    const out = applySync(w.registry, bid(left === 60_001 ? BOB : ALICE, minNext(stateOf(w.registry))));
    t.equal(out.reply.ok, true);
    t.equal(out.event?.endsAt, w.spec.endsAt, `${left} ms left`);
  }
  t.equal(stateOf(w.registry).extensions, 0);
  t.same(w.timer.calls, [], 'no reschedule');
});

t.test('the last millisecond extends', async (t) => {
  const w = openAuction({ softClose: SEED });
  w.clock.set(w.spec.endsAt - 1);
  const out = must(w.registry, bid(ALICE, 10_000));
  t.match(out.reply, { endsAt: w.spec.endsAt + 180_000 });
});

t.test('maxExtensions: 1 allows one extension only', async (t) => {
  const w = openAuction({ softClose: SEED });
  w.clock.set(w.spec.endsAt - 1_000);
  must(w.registry, bid(ALICE, 10_000));
  const ends = w.spec.endsAt + 180_000;
  w.clock.set(ends - 1_000);
  w.timer.clear();
  const out = must(w.registry, bid(BOB, 11_000));
  t.match(out.reply, { endsAt: ends }, 'second bid inside the new window does not extend');
  t.equal(stateOf(w.registry).extensions, 1);
  t.notOk(out.notices.some((n) => n.kind === 'extended'));
  t.same(w.timer.calls, []);
  w.clock.set(ends);
  expectRejected(t, w.registry, bid(CAROL, 12_000), 'AUCTION_CLOSED');
});

t.test('maxExtensions: 0 never extends', async (t) => {
  const w = openAuction({ softClose: { windowMs: 60_000, extendMs: 180_000, maxExtensions: 0 } });
  w.clock.set(w.spec.endsAt - 1);
  const out = must(w.registry, bid(ALICE, 10_000));
  t.match(out.reply, { endsAt: w.spec.endsAt });
  t.equal(stateOf(w.registry).extensions, 0);
  t.same(w.timer.calls, []);
});

t.test('maxExtensions: 3 allows three', async (t) => {
  const w = openAuction({ softClose: { windowMs: 60_000, extendMs: 120_000, maxExtensions: 3 } });
  const bidders = [ALICE, BOB, ALICE, BOB, ALICE];
  let ends = w.spec.endsAt;
  bidders.forEach((who, i) => {
    w.clock.set(stateOf(w.registry).endsAt - 10);
    const out = must(w.registry, bid(who, 10_000 + i * 1_000));
    if (i < 3) ends += 120_000;
    t.equal(out.reply.ok && out.reply.endsAt, ends, `bid ${i + 1}`);
  });
  t.equal(stateOf(w.registry).extensions, 3);
  t.equal(w.timer.calls.length, 3);
});

t.test('maxExtensions: null is unlimited', async (t) => {
  const w = openAuction({ softClose: { windowMs: 60_000, extendMs: 180_000, maxExtensions: null } });
  let ends = w.spec.endsAt;
  for (let i = 0; i < 20; i++) {
    w.clock.set(ends - 5);
    const out = must(w.registry, bid(i % 2 === 0 ? ALICE : BOB, 10_000 + i * 1_000));
    ends += 180_000;
    t.equal(out.reply.ok && out.reply.endsAt, ends, `extension ${i + 1}`);
    t.strictSame(w.timer.calls.at(-1), { op: 'schedule', auction: 'a1', at: ends });
  }
  t.equal(stateOf(w.registry).extensions, 20);
});

t.test('`extended` goes to every participant and the bidder, with the new endsAt', async (t) => {
  const w = openAuction({ softClose: SEED });
  must(w.registry, bid(ALICE, 10_000, 12_000));
  must(w.registry, bid(CAROL, 11_000)); // outbid at once, still a participant
  w.clock.set(w.spec.endsAt - 30_000);
  const out = must(w.registry, bid(BOB, 20_000));
  const ends = w.spec.endsAt + 180_000;
  const e = out.event;
  t.strictSame(out.notices.map((n) => [n.to, n.kind]), [
    [ALICE, 'outbid'], [ALICE, 'extended'], [CAROL, 'extended'], [BOB, 'extended'],
  ]);
  for (const n of out.notices) t.match(n, { auction: 'a1', seq: e?.seq, endsAt: ends, price: 20_000 });
  t.equal(out.notices.filter((n) => n.to === BOB).length, 1, 'the bidder is told once');
});

t.test('a participant bidding again inside the window is told once', async (t) => {
  const w = openAuction({ softClose: SEED });
  must(w.registry, bid(ALICE, 10_000));
  must(w.registry, bid(BOB, 11_000));
  w.clock.set(w.spec.endsAt - 30_000);
  const out = must(w.registry, bid(ALICE, 12_000));
  t.strictSame(out.notices.map((n) => [n.to, n.kind]), [[BOB, 'outbid'], [ALICE, 'extended'], [BOB, 'extended']]);
});

t.test('an accepted bid outbid at once also extends, and so does the leader raising', async (t) => {
  const w = openAuction({ softClose: { windowMs: 60_000, extendMs: 60_000, maxExtensions: null } });
  must(w.registry, bid(ALICE, 10_000, 50_000));
  w.clock.set(w.spec.endsAt - 1_000);
  let out = must(w.registry, bid(BOB, 11_000));
  t.match(out.reply, { leading: false, endsAt: w.spec.endsAt + 60_000 });
  w.clock.set(w.spec.endsAt + 60_000 - 1_000);
  out = must(w.registry, bid(ALICE, 13_000, 80_000));
  t.match(out.reply, { leading: true, endsAt: w.spec.endsAt + 120_000 });
});

t.test('a rejected bid inside the window does not extend', async (t) => {
  const w = openAuction({ softClose: SEED });
  must(w.registry, bid(ALICE, 10_000));
  w.clock.set(w.spec.endsAt - 1_000);
  expectRejected(t, w.registry, bid(BOB, 10_500), 'BID_TOO_LOW');
  expectRejected(t, w.registry, bid(BOB, 'x'), 'INVALID_AMOUNT');
  t.equal(stateOf(w.registry).endsAt, w.spec.endsAt);
  t.same(w.timer.calls, []);
});

t.test('after an extension, bids are taken until the new end and closed from it', async (t) => {
  const w = openAuction({ softClose: SEED });
  w.clock.set(w.spec.endsAt - 1_000);
  must(w.registry, bid(ALICE, 10_000));
  w.clock.set(w.spec.endsAt);
  const out = must(w.registry, bid(BOB, 11_000));
  t.match(out.reply, { leading: true }, 'the planned end no longer stops bids');
  const ends = w.spec.endsAt + 180_000;
  expectRejected(t, w.registry, close(), 'AUCTION_NOT_ENDED');
  w.clock.set(ends - 1);
  expectRejected(t, w.registry, close(), 'AUCTION_NOT_ENDED');
  w.clock.set(ends);
  expectRejected(t, w.registry, bid(ALICE, 20_000), 'AUCTION_CLOSED');
  const closed = must(w.registry, close());
  t.match(closed.reply, { status: 'SOLD', price: 11_000 });
});

t.test('windowMs 0 never extends', async (t) => {
  const w = openAuction({ softClose: { windowMs: 0, extendMs: 180_000, maxExtensions: null } });
  w.clock.set(w.spec.endsAt - 1);
  const out = must(w.registry, bid(ALICE, 10_000));
  t.match(out.reply, { endsAt: w.spec.endsAt });
});

t.test('CloseTimer: scheduled on open, rescheduled on extension, cancelled on the end', async (t) => {
  t.test('open schedules the close at endsAt; create does not', async (t) => {
    const w = pendingAuction();
    t.same(w.timer.calls, [], 'nothing on create');
    must(w.registry, open());
    t.strictSame(w.timer.calls, [{ op: 'schedule', auction: 'a1', at: w.spec.endsAt }]);
  });
  t.test('bids without an extension do not touch the timer', async (t) => {
    const w = openAuction();
    must(w.registry, bid(ALICE, 10_000));
    must(w.registry, bid(BOB, 11_000));
    applySync(w.registry, bid(BOB, 1));
    t.same(w.timer.calls, []);
  });
  t.test('close cancels', async (t) => {
    const w = openAuction();
    w.clock.set(w.spec.endsAt);
    must(w.registry, close());
    t.strictSame(w.timer.calls, [{ op: 'cancel', auction: 'a1' }]);
  });
  t.test('a close that is not due does not cancel', async (t) => {
    const w = openAuction();
    w.clock.set(w.spec.endsAt - 1);
    applySync(w.registry, close());
    t.same(w.timer.calls, []);
  });
  t.test('cancel cancels (OPEN and PENDING)', async (t) => {
    const w = openAuction();
    must(w.registry, cancel());
    t.strictSame(w.timer.calls, [{ op: 'cancel', auction: 'a1' }]);
    const p = pendingAuction();
    must(p.registry, cancel());
    t.strictSame(p.timer.calls, [{ op: 'cancel', auction: 'a1' }]);
  });
  t.test('buy-now cancels', async (t) => {
    const w = openAuction({ buyNowPrice: 50_000 });
    must(w.registry, buy(ALICE));
    t.strictSame(w.timer.calls, [{ op: 'cancel', auction: 'a1' }]);
  });
  t.test('rejections do not touch the timer', async (t) => {
    const w = openAuction();
    applySync(w.registry, open());
    applySync(w.registry, cancel(ALICE));
    applySync(w.registry, close());
    applySync(w.registry, buy(ALICE));
    t.same(w.timer.calls, []);
  });
  t.test('a replayed extension does not reschedule', async (t) => {
    const w = openAuction();
    w.clock.set(w.spec.endsAt - 1_000);
    const cmd = bid(ALICE, 10_000);
    must(w.registry, cmd);
    t.equal(w.timer.calls.length, 1);
    const again = applySync(w.registry, cmd);
    t.equal(again.replayed, true);
    t.equal(w.timer.calls.length, 1);
  });
});

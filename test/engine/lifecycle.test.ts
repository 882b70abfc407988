// The auction's life (SPEC §1): PENDING -> OPEN -> SOLD | UNSOLD, and PENDING | OPEN -> CANCELED.
// open, edit, cancel and the close command.
import t from 'tap';
import { minNext } from '../../engine/index.ts';
import {
  ALICE, BOB, CAROL, HOUR, OPERATOR, T0, applySync, bid, buy, cancel, close, edit, expectRejected, must, open,
  openAuction, pendingAuction, SELLER, spec, stateOf,
} from './fixtures.ts';

// ---- close ----------------------------------------------------------------------------------------

t.test('close: AUCTION_NOT_ENDED before endsAt', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 10_000));
  for (const at of [w.spec.startsAt, w.spec.endsAt - 1]) {
    w.clock.set(at);
    const out = expectRejected(t, w.registry, close(), 'AUCTION_NOT_ENDED');
    t.equal(out.replayed, false);
  }
});

t.test('close is not cached: a close that came too early can run later', async (t) => {
  const w = openAuction();
  w.clock.set(w.spec.endsAt - 1);
  expectRejected(t, w.registry, close(), 'AUCTION_NOT_ENDED');
  w.clock.set(w.spec.endsAt);
  const out = must(w.registry, close());
  t.equal(out.replayed, false);
  t.match(out.reply, { status: 'UNSOLD' });
});

t.test('close at endsAt: SOLD to the leader at the price, won and lost notices', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 10_000, 20_000));
  must(w.registry, bid(BOB, 12_000, 15_000)); // outbid at once: 16,000
  must(w.registry, bid(CAROL, 17_000));       // outbid at once: 18,000
  w.clock.set(w.spec.endsAt);
  const out = must(w.registry, close());
  t.match(out.reply, { ok: true, status: 'SOLD', price: 18_000, leading: false, endsAt: w.spec.endsAt, seq: 6 });
  t.match(out.event, { type: 'closed', by: null, rid: null, status: 'SOLD', leader: ALICE, price: 18_000, at: w.spec.endsAt });
  const s = stateOf(w.registry);
  t.equal(s.status, 'SOLD');
  t.equal(s.winner, ALICE);
  t.equal(s.price, 18_000);
  t.equal(s.closedAt, w.spec.endsAt);
  t.strictSame(out.notices.map((n) => [n.to, n.kind]), [[ALICE, 'won'], [BOB, 'lost'], [CAROL, 'lost']]);
  for (const n of out.notices) t.match(n, { auction: 'a1', seq: 6, price: 18_000, endsAt: w.spec.endsAt });
});

t.test('close late (after a restart) still closes, stamped with the time it ran', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 10_000));
  w.clock.set(w.spec.endsAt + 900);
  const out = must(w.registry, close());
  t.match(out.reply, { status: 'SOLD' });
  t.equal(stateOf(w.registry).closedAt, w.spec.endsAt + 900);
  t.equal(stateOf(w.registry).endsAt, w.spec.endsAt, 'endsAt is not moved by a late close');
});

t.test('close with no bids: UNSOLD, no winner, nobody to tell', async (t) => {
  const w = openAuction();
  w.clock.set(w.spec.endsAt);
  const out = must(w.registry, close());
  t.match(out.reply, { status: 'UNSOLD', price: 10_000 });
  t.equal(stateOf(w.registry).status, 'UNSOLD');
  t.equal(stateOf(w.registry).winner, null);
  t.same(out.notices, []);
});

t.test('close carries the rid given to it, or "close"', async (t) => {
  const w = openAuction();
  w.clock.set(w.spec.endsAt);
  const out = must(w.registry, { t: 'close', auction: 'a1', rid: 'timer-7' });
  t.equal(out.reply.rid, 'timer-7');
  const v = openAuction();
  v.clock.set(v.spec.endsAt);
  t.equal(must(v.registry, close()).reply.rid, 'close');
});

t.test('close: AUCTION_CLOSED when already closed', async (t) => {
  const sold = openAuction();
  must(sold.registry, bid(ALICE, 10_000));
  sold.clock.set(sold.spec.endsAt);
  must(sold.registry, close());
  expectRejected(t, sold.registry, close(), 'AUCTION_CLOSED');

  const unsold = openAuction();
  unsold.clock.set(unsold.spec.endsAt);
  must(unsold.registry, close());
  expectRejected(t, unsold.registry, close(), 'AUCTION_CLOSED');

  const canceled = openAuction();
  must(canceled.registry, cancel());
  canceled.clock.set(canceled.spec.endsAt);
  expectRejected(t, canceled.registry, close(), 'AUCTION_CLOSED');

  const bought = openAuction({ buyNowPrice: 50_000 });
  must(bought.registry, buy(ALICE));
  bought.clock.set(bought.spec.endsAt);
  expectRejected(t, bought.registry, close(), 'AUCTION_CLOSED');
});

t.test('close does nothing to a PENDING auction', async (t) => {
  const w = pendingAuction();
  w.clock.set(w.spec.endsAt + 1);
  const out = applySync(w.registry, close());
  t.equal(out.reply.ok, false);
  t.equal(out.event, null);
  t.equal(stateOf(w.registry).status, 'PENDING');
  t.equal(stateOf(w.registry).seq, 1);
});

// ---- cancel ---------------------------------------------------------------------------------------

t.test('cancel: the seller, with no bids, while PENDING', async (t) => {
  const w = pendingAuction();
  const out = must(w.registry, cancel());
  t.match(out.reply, { ok: true, status: 'CANCELED', seq: 2 });
  t.match(out.event, { type: 'canceled', by: SELLER, status: 'CANCELED', at: w.clock.now() });
  t.equal(stateOf(w.registry).status, 'CANCELED');
  t.equal(stateOf(w.registry).closedAt, w.clock.now());
  t.same(out.notices, []);
});

t.test('cancel: the seller, with no bids, while OPEN', async (t) => {
  const w = openAuction();
  w.clock.advance(10 * 60_000);
  const out = must(w.registry, cancel());
  t.match(out.reply, { status: 'CANCELED' });
  t.equal(stateOf(w.registry).status, 'CANCELED');
  t.equal(stateOf(w.registry).winner, null);
});

t.test('cancel: CANCEL_NOT_ALLOWED for the seller once a bid stands', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 10_000));
  expectRejected(t, w.registry, cancel(), 'CANCEL_NOT_ALLOWED');
  t.equal(stateOf(w.registry).status, 'OPEN');
});

t.test('cancel: an operator may always, and participants are told', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 10_000, 20_000));
  must(w.registry, bid(BOB, 11_000));
  const out = must(w.registry, cancel(OPERATOR, 'operator'));
  t.match(out.reply, { status: 'CANCELED' });
  t.match(out.event, { type: 'canceled', by: OPERATOR });
  t.equal(stateOf(w.registry).status, 'CANCELED');
  t.equal(stateOf(w.registry).winner, null);
  t.strictSame(out.notices.map((n) => [n.to, n.kind]), [[ALICE, 'canceled'], [BOB, 'canceled']]);
  for (const n of out.notices) t.match(n, { auction: 'a1', seq: out.event?.seq });

  const p = pendingAuction();
  t.match(must(p.registry, cancel(OPERATOR, 'operator')).reply, { status: 'CANCELED' }, 'PENDING too');
});

t.test('cancel: NOT_SELLER for another user', async (t) => {
  const w = openAuction();
  expectRejected(t, w.registry, cancel(ALICE), 'NOT_SELLER');
  must(w.registry, bid(ALICE, 10_000));
  expectRejected(t, w.registry, cancel(ALICE), 'NOT_SELLER');
  // a user id alone grants nothing: the role does
  expectRejected(t, w.registry, cancel(OPERATOR, 'user'), 'NOT_SELLER');
  const p = pendingAuction();
  expectRejected(t, p.registry, cancel(BOB), 'NOT_SELLER');
});

t.test('cancel: INVALID_TRANSITION once closed', async (t) => {
  const unsold = openAuction();
  unsold.clock.set(unsold.spec.endsAt);
  must(unsold.registry, close());
  expectRejected(t, unsold.registry, cancel(), 'INVALID_TRANSITION');
  expectRejected(t, unsold.registry, cancel(OPERATOR, 'operator'), 'INVALID_TRANSITION');

  const sold = openAuction({ buyNowPrice: 50_000 });
  must(sold.registry, buy(ALICE));
  expectRejected(t, sold.registry, cancel(OPERATOR, 'operator'), 'INVALID_TRANSITION');

  const canceled = pendingAuction();
  must(canceled.registry, cancel());
  expectRejected(t, canceled.registry, cancel(), 'INVALID_TRANSITION');
  expectRejected(t, canceled.registry, cancel(OPERATOR, 'operator'), 'INVALID_TRANSITION');
});

// ---- open -----------------------------------------------------------------------------------------

t.test('open: the seller opens a PENDING auction', async (t) => {
  const w = pendingAuction();
  const out = must(w.registry, open());
  t.match(out.reply, { ok: true, status: 'OPEN', seq: 2, endsAt: w.spec.endsAt, price: w.spec.startPrice });
  t.match(out.event, { type: 'opened', by: SELLER, status: 'OPEN', at: w.clock.now() });
  t.equal(stateOf(w.registry).status, 'OPEN');
  t.same(out.notices, []);
});

t.test('open: an operator may open', async (t) => {
  const w = pendingAuction();
  const out = must(w.registry, open(OPERATOR, 'operator'));
  t.match(out.event, { type: 'opened', by: OPERATOR });
  t.equal(stateOf(w.registry).status, 'OPEN');
});

t.test('open: NOT_SELLER for another user', async (t) => {
  const w = pendingAuction();
  expectRejected(t, w.registry, open(ALICE), 'NOT_SELLER');
  expectRejected(t, w.registry, open(OPERATOR, 'user'), 'NOT_SELLER');
  t.same(w.timer.calls, []);
});

t.test('open: INVALID_TRANSITION unless PENDING', async (t) => {
  const w = openAuction();
  expectRejected(t, w.registry, open(), 'INVALID_TRANSITION');
  expectRejected(t, w.registry, open(OPERATOR, 'operator'), 'INVALID_TRANSITION');
  must(w.registry, cancel());
  expectRejected(t, w.registry, open(), 'INVALID_TRANSITION');
  const sold = openAuction({ buyNowPrice: 50_000 });
  must(sold.registry, buy(ALICE));
  expectRejected(t, sold.registry, open(), 'INVALID_TRANSITION');
});

t.test('open: INVALID_AUCTION once endsAt has passed', async (t) => {
  const w = pendingAuction();
  w.clock.set(w.spec.endsAt);
  expectRejected(t, w.registry, open(), 'INVALID_AUCTION');
  w.clock.set(w.spec.endsAt + HOUR);
  expectRejected(t, w.registry, open(OPERATOR, 'operator'), 'INVALID_AUCTION');
  t.same(w.timer.calls, []);
  w.clock.set(w.spec.endsAt - 1);
  t.match(must(w.registry, open()).reply, { status: 'OPEN' }, 'a millisecond before is still fine');
});

t.test('open long after startsAt (but before endsAt): OPEN, and bids are taken', async (t) => {
  const w = pendingAuction({ startsAt: T0 - 30 * 24 * HOUR, endsAt: T0 + HOUR }, { now: T0 - 31 * 24 * HOUR });
  w.clock.set(T0);
  t.match(must(w.registry, open()).reply, { status: 'OPEN', endsAt: T0 + HOUR });
  t.equal(w.timer.scheduled.get('a1'), T0 + HOUR, 'its close is scheduled');
  t.match(must(w.registry, bid(ALICE, 10_000)).reply, { ok: true, leading: true });
});

t.test('open before startsAt: OPEN, but bids wait for startsAt', async (t) => {
  const w = pendingAuction();
  w.clock.set(T0 - 1000);
  must(w.registry, open());
  expectRejected(t, w.registry, bid(ALICE, 10_000), 'AUCTION_NOT_STARTED');
  w.clock.set(T0);
  t.equal(must(w.registry, bid(ALICE, 10_000)).reply.ok, true);
});

t.test('open after startsAt: bids are taken at once', async (t) => {
  const w = pendingAuction();
  w.clock.set(T0 + 30 * 60_000);
  must(w.registry, open());
  t.equal(must(w.registry, bid(ALICE, 10_000)).reply.ok, true);
});

// ---- edit -----------------------------------------------------------------------------------------

t.test('edit: the seller changes a PENDING auction', async (t) => {
  const w = pendingAuction();
  const next = spec({ startPrice: 20_000, bidUnit: 2_000, endsAt: T0 + 2 * HOUR, buyNowPrice: 90_000, productId: 'p2' });
  const out = must(w.registry, edit(next));
  t.match(out.reply, { ok: true, status: 'PENDING', seq: 2, price: 20_000, endsAt: T0 + 2 * HOUR });
  t.match(out.event, { type: 'edited', by: SELLER, price: 20_000, endsAt: T0 + 2 * HOUR });
  t.strictSame(out.event?.spec, next);
  const s = stateOf(w.registry);
  t.strictSame(s.spec, next);
  t.equal(s.price, 20_000);
  t.equal(s.endsAt, T0 + 2 * HOUR);
  t.equal(s.status, 'PENDING');

  must(w.registry, open());
  t.equal(w.timer.scheduled.get('a1'), T0 + 2 * HOUR, 'the close is scheduled at the edited end');
  w.clock.set(T0);
  t.equal(minNext(stateOf(w.registry)), 20_000);
  expectRejected(t, w.registry, bid(ALICE, 19_999), 'BID_TOO_LOW');
  must(w.registry, bid(ALICE, 20_000));
  t.equal(minNext(stateOf(w.registry)), 22_000, 'the edited bid unit applies');
});

t.test('edit: INVALID_TRANSITION unless PENDING', async (t) => {
  const w = openAuction();
  expectRejected(t, w.registry, edit(spec({ startPrice: 5_000 })), 'INVALID_TRANSITION');
  must(w.registry, cancel());
  expectRejected(t, w.registry, edit(spec({ startPrice: 5_000 })), 'INVALID_TRANSITION');
});

t.test('edit: only the seller', async (t) => {
  const w = pendingAuction();
  expectRejected(t, w.registry, edit(spec({ startPrice: 5_000 }), ALICE), 'NOT_SELLER');
  expectRejected(t, w.registry, edit(spec({ startPrice: 5_000 }), OPERATOR), 'NOT_SELLER');
});

t.test('edit: an invalid spec is INVALID_AUCTION', async (t) => {
  const w = pendingAuction();
  const bads = [
    spec({ startPrice: 0 }), spec({ endsAt: T0 }), spec({ bidUnit: 1.5 }), spec({ buyNowPrice: 10_000 }),
    spec({ reservePrice: 9_999 }), spec({ softClose: { windowMs: -1, extendMs: 0, maxExtensions: 0 } }),
    { ...spec(), startsAt: 'soon' } as unknown as ReturnType<typeof spec>,
    null as unknown as ReturnType<typeof spec>,
  ];
  for (const s of bads) expectRejected(t, w.registry, edit(s), 'INVALID_AUCTION');
});

t.test('edit: INVALID_AUCTION when the end would not be after the clock', async (t) => {
  const w = pendingAuction();
  w.clock.set(T0 + 10 * 60_000);
  expectRejected(t, w.registry, edit(spec({ endsAt: T0 + 10 * 60_000 })), 'INVALID_AUCTION');
  expectRejected(t, w.registry, edit(spec({ startsAt: T0 - HOUR, endsAt: T0 })), 'INVALID_AUCTION');
  t.match(must(w.registry, edit(spec({ endsAt: T0 + 10 * 60_000 + 1 }))).reply, { ok: true, status: 'PENDING' }, 'a millisecond after is fine');
  w.clock.set(T0 + 2 * HOUR);
  expectRejected(t, w.registry, edit(spec({ startPrice: 5_000, endsAt: T0 + 10 * 60_000 + 1 })), 'INVALID_AUCTION');
  t.equal(stateOf(w.registry).seq, 2, 'nothing applied');
});

t.test('edit: the id and the seller cannot change', async (t) => {
  const w = pendingAuction();
  expectRejected(t, w.registry, edit(spec({ id: 'a2' })), 'INVALID_AUCTION');
  expectRejected(t, w.registry, edit(spec({ sellerId: BOB })), 'INVALID_AUCTION');
  t.equal(w.registry.get('a2'), undefined, 'no auction a2 appeared');
  t.equal(stateOf(w.registry).spec.sellerId, SELLER);
});

t.test('cancel: past endsAt a seller may no longer cancel, an operator still may', async (t) => {
  const w = openAuction();
  w.clock.set(w.spec.endsAt);
  expectRejected(t, w.registry, cancel(SELLER), 'AUCTION_CLOSED');
  t.match(applySync(w.registry, cancel(OPERATOR, 'operator')).reply, { ok: true, status: 'CANCELED' });
});

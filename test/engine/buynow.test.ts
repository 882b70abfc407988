// Buy-now (SPEC §1): while OPEN and price < buyNowPrice, `buy` (or a bid reaching buyNowPrice) closes the
// auction at once as SOLD to the buyer at buyNowPrice.
import t from 'tap';
import {
  ALICE, BOB, CAROL, applySync, bid, buy, close, expectRejected, must, openAuction, pendingAuction, SELLER, stateOf,
} from './fixtures.ts';

t.test('buy closes the auction as SOLD at buyNowPrice', async (t) => {
  const w = openAuction({ buyNowPrice: 100_000 });
  must(w.registry, bid(ALICE, 20_000, 50_000));
  w.clock.advance(5_000);
  const out = must(w.registry, buy(BOB));
  t.match(out.reply, { ok: true, price: 100_000, leading: true, status: 'SOLD', seq: 4 });
  t.match(out.event, { type: 'bought', by: BOB, price: 100_000, leader: BOB, status: 'SOLD', at: w.clock.now(), seq: 4 });
  const s = stateOf(w.registry);
  t.equal(s.status, 'SOLD');
  t.equal(s.price, 100_000);
  t.equal(s.leader, BOB);
  t.equal(s.winner, BOB);
  t.equal(s.closedAt, w.clock.now());
  t.equal(s.endsAt, w.spec.endsAt, 'no extension');
});

t.test('buy-now notifies the buyer (won) and every other participant (lost)', async (t) => {
  const w = openAuction({ buyNowPrice: 100_000 });
  must(w.registry, bid(ALICE, 20_000, 50_000));
  must(w.registry, bid(CAROL, 30_000)); // outbid at once
  const out = must(w.registry, buy(BOB));
  const e = out.event;
  t.strictSame(out.notices.map((n) => [n.to, n.kind]), [[BOB, 'won'], [ALICE, 'lost'], [CAROL, 'lost']]);
  for (const n of out.notices) t.match(n, { auction: 'a1', seq: e?.seq, price: 100_000, endsAt: w.spec.endsAt });
});

t.test('the leader may buy; they get `won` and no `lost`', async (t) => {
  const w = openAuction({ buyNowPrice: 100_000 });
  must(w.registry, bid(ALICE, 20_000));
  const out = must(w.registry, buy(ALICE));
  t.strictSame(out.notices.map((n) => [n.to, n.kind]), [[ALICE, 'won']]);
  t.equal(stateOf(w.registry).winner, ALICE);
});

t.test('buy before any bid', async (t) => {
  const w = openAuction({ buyNowPrice: 100_000 });
  const out = must(w.registry, buy(BOB));
  t.match(out.reply, { status: 'SOLD', price: 100_000 });
  t.strictSame(out.notices.map((n) => [n.to, n.kind]), [[BOB, 'won']]);
});

t.test('buy-now cancels the scheduled close', async (t) => {
  const w = openAuction({ buyNowPrice: 100_000 });
  t.equal(w.timer.scheduled.get('a1'), w.spec.endsAt, 'scheduled on open');
  must(w.registry, buy(BOB));
  t.strictSame(w.timer.calls, [{ op: 'cancel', auction: 'a1' }]);
  t.notOk(w.timer.scheduled.has('a1'));
});

t.test('BUY_NOW_UNAVAILABLE without a buyNowPrice', async (t) => {
  const w = openAuction({ buyNowPrice: null });
  expectRejected(t, w.registry, buy(ALICE), 'BUY_NOW_UNAVAILABLE');
  must(w.registry, bid(ALICE, 10_000));
  const out = expectRejected(t, w.registry, buy(BOB), 'BUY_NOW_UNAVAILABLE');
  t.match(out.reply, { price: 10_000 });
  t.same(w.timer.calls, []);
});

t.test('BUY_NOW_UNAVAILABLE once the price reaches buyNowPrice', async (t) => {
  t.test('price equal to buyNowPrice', async (t) => {
    const w = openAuction({ buyNowPrice: 100_000 });
    must(w.registry, bid(ALICE, 10_000, 100_000));
    must(w.registry, bid(BOB, 99_000)); // outbid at once: price = min(100,000, 100,000)
    t.equal(stateOf(w.registry).price, 100_000);
    const out = expectRejected(t, w.registry, buy(CAROL), 'BUY_NOW_UNAVAILABLE');
    t.match(out.reply, { price: 100_000 });
  });
  t.test('price above buyNowPrice by proxy', async (t) => {
    const w = openAuction({ buyNowPrice: 100_000 });
    must(w.registry, bid(ALICE, 10_000, 200_000));
    must(w.registry, bid(BOB, 99_000, 150_000));
    t.equal(stateOf(w.registry).price, 151_000);
    expectRejected(t, w.registry, buy(CAROL), 'BUY_NOW_UNAVAILABLE');
    expectRejected(t, w.registry, buy(ALICE), 'BUY_NOW_UNAVAILABLE');
  });
  t.test('then a bid reaching buyNowPrice is an ordinary bid, held to minNext', async (t) => {
    const w = openAuction({ buyNowPrice: 100_000 });
    must(w.registry, bid(ALICE, 10_000, 100_000));
    must(w.registry, bid(BOB, 99_000));
    const low = expectRejected(t, w.registry, bid(CAROL, 100_000), 'BID_TOO_LOW');
    t.match(low.reply, { minNext: 101_000, price: 100_000 });
    const out = must(w.registry, bid(CAROL, 101_000));
    t.match(out.reply, { status: 'OPEN', price: 101_000, leading: true });
    t.equal(out.event?.type, 'bid');
  });
});

t.test('a bid whose amount reaches buyNowPrice is executed as a buy-now', async (t) => {
  t.test('amount equal to buyNowPrice', async (t) => {
    const w = openAuction({ buyNowPrice: 100_000 });
    must(w.registry, bid(ALICE, 20_000, 90_000));
    const out = must(w.registry, bid(BOB, 100_000));
    t.match(out.reply, { ok: true, status: 'SOLD', price: 100_000, leading: true });
    t.match(out.event, { type: 'bought', leader: BOB, status: 'SOLD', price: 100_000 });
    t.equal(stateOf(w.registry).winner, BOB);
    t.strictSame(out.notices.map((n) => [n.to, n.kind]), [[BOB, 'won'], [ALICE, 'lost']]);
    t.strictSame(w.timer.calls, [{ op: 'cancel', auction: 'a1' }]);
  });
  t.test('amount above buyNowPrice sells at buyNowPrice', async (t) => {
    const w = openAuction({ buyNowPrice: 100_000 });
    const out = must(w.registry, bid(BOB, 150_000, 300_000));
    t.match(out.reply, { status: 'SOLD', price: 100_000 });
    t.equal(stateOf(w.registry).price, 100_000);
  });
  t.test('even when a standing ceiling is higher', async (t) => {
    const w = openAuction({ buyNowPrice: 100_000 });
    must(w.registry, bid(ALICE, 20_000, 500_000));
    const out = must(w.registry, bid(BOB, 100_000));
    t.match(out.reply, { status: 'SOLD', price: 100_000 });
    t.equal(stateOf(w.registry).winner, BOB);
  });
  t.test('by the leader', async (t) => {
    const w = openAuction({ buyNowPrice: 100_000 });
    must(w.registry, bid(ALICE, 20_000));
    const out = must(w.registry, bid(ALICE, 100_000));
    t.match(out.reply, { status: 'SOLD', price: 100_000 });
    t.equal(stateOf(w.registry).winner, ALICE);
  });
  t.test('check 4 does not apply to it', async (t) => {
    // A bid unit so large that minNext (60,000) is above buyNowPrice (20,000).
    const w = openAuction({ startPrice: 10_000, bidUnit: 50_000, buyNowPrice: 20_000 });
    must(w.registry, bid(ALICE, 10_000));
    expectRejected(t, w.registry, bid(BOB, 19_999), 'BID_TOO_LOW');
    const out = must(w.registry, bid(BOB, 20_000));
    t.match(out.reply, { status: 'SOLD', price: 20_000 });
    t.equal(stateOf(w.registry).winner, BOB);
  });
  t.test('but checks 1 to 3 do', async (t) => {
    const w = openAuction({ buyNowPrice: 100_000 });
    expectRejected(t, w.registry, bid(SELLER, 100_000), 'SELF_BID');
    expectRejected(t, w.registry, bid(BOB, 100_000, 99_999), 'INVALID_AMOUNT');
    expectRejected(t, w.registry, bid(BOB, 100_000.5), 'INVALID_AMOUNT');
    w.clock.set(w.spec.endsAt);
    expectRejected(t, w.registry, bid(BOB, 100_000), 'AUCTION_CLOSED');
  });
  t.test('inside the soft-close window it does not extend', async (t) => {
    const w = openAuction({ buyNowPrice: 100_000 });
    must(w.registry, bid(ALICE, 20_000));
    w.clock.set(w.spec.endsAt - 1_000);
    const out = must(w.registry, bid(BOB, 100_000));
    t.equal(out.event?.endsAt, w.spec.endsAt);
    t.notOk(out.notices.some((n) => n.kind === 'extended'));
  });
});

t.test('self buy -> SELF_BID', async (t) => {
  const w = openAuction({ buyNowPrice: 100_000 });
  expectRejected(t, w.registry, buy(SELLER), 'SELF_BID');
  t.equal(stateOf(w.registry).status, 'OPEN');
});

t.test('buy outside the auction hours', async (t) => {
  const p = pendingAuction({ buyNowPrice: 100_000 });
  expectRejected(t, p.registry, buy(ALICE), 'AUCTION_NOT_STARTED');
  const w = openAuction({ buyNowPrice: 100_000 });
  w.clock.set(w.spec.startsAt - 1);
  expectRejected(t, w.registry, buy(ALICE), 'AUCTION_NOT_STARTED');
  w.clock.set(w.spec.endsAt);
  expectRejected(t, w.registry, buy(ALICE), 'AUCTION_CLOSED');
});

t.test('after a buy-now the auction is over', async (t) => {
  const w = openAuction({ buyNowPrice: 100_000 });
  must(w.registry, buy(BOB));
  expectRejected(t, w.registry, buy(ALICE), 'AUCTION_CLOSED');
  expectRejected(t, w.registry, bid(ALICE, 200_000), 'AUCTION_CLOSED');
  w.clock.set(w.spec.endsAt);
  expectRejected(t, w.registry, close(), 'AUCTION_CLOSED');
  t.equal(stateOf(w.registry).winner, BOB);
});

t.test('a retried buy returns its first reply and does not buy twice', async (t) => {
  const w = openAuction({ buyNowPrice: 100_000 });
  const cmd = buy(BOB);
  const first = must(w.registry, cmd);
  const again = applySync(w.registry, cmd);
  t.equal(again.replayed, true);
  t.strictSame(again.reply, first.reply);
  t.equal(again.event, null);
  t.equal(stateOf(w.registry).seq, first.reply.ok ? first.reply.seq : -1);
});

// Bidding rules of SPEC §1: minNext, proxy resolution, the reserve, and secrecy of ceilings.
import t from 'tap';
import {
  bidUnitAt, cloneState, createdEvent, decide, defaultIncrement, initialState, isOpenAt, minNext, reserveMet,
  type AuctionSpec, type AuctionState, type Outcome,
} from '../../engine/index.ts';
import {
  ALICE, BOB, CAROL, T0, HOUR, applySync, bid, close, must, openAuction, SELLER, spec, stateOf,
} from './fixtures.ts';

function stateWith(over: Partial<AuctionSpec>, s: Partial<AuctionState> = {}): AuctionState {
  return { ...initialState(createdEvent(spec(over), SELLER, 'r', T0)), ...s };
}

function leading(out: Outcome): boolean | undefined {
  return out.reply.ok ? out.reply.leading : undefined;
}

// ---- minNext ------------------------------------------------------------------------------------

t.test('minNext is startPrice before the first bid', async (t) => {
  const w = openAuction({ startPrice: 12_345 });
  t.equal(minNext(stateOf(w.registry)), 12_345);
  const out = must(w.registry, bid(ALICE, 12_345));
  t.equal(out.reply.ok && out.reply.price, 12_345, 'a first bid of exactly startPrice is accepted at that price');
});

t.test('minNext is price + bidUnit after a bid', async (t) => {
  const w = openAuction({ bidUnit: 700 });
  must(w.registry, bid(ALICE, 10_000));
  t.equal(minNext(stateOf(w.registry)), 10_700);
  must(w.registry, bid(BOB, 10_700));
  t.equal(minNext(stateOf(w.registry)), 11_400);
  t.equal(bidUnitAt(stateOf(w.registry).spec, 999_999_999), 700, 'a set bidUnit applies at every price');
});

t.test('minNext uses the default increment table when bidUnit is null', async (t) => {
  const edges = [1, 9_999, 10_000, 49_999, 50_000, 99_999, 100_000, 499_999, 500_000, 999_999, 1_000_000,
    4_999_999, 5_000_000, 9_999_999, 10_000_000, 10 ** 12 - 500_000];
  const expected = [101, 10_099, 10_500, 50_499, 51_000, 100_999, 105_000, 504_999, 510_000, 1_009_999, 1_050_000,
    5_049_999, 5_100_000, 10_099_999, 10_500_000, 10 ** 12];
  edges.forEach((price, i) => {
    const s = stateWith({ bidUnit: null, startPrice: 1 }, { price, leader: ALICE, leaderMax: price });
    t.equal(minNext(s), expected[i], `price ${price}`);
    t.equal(minNext(s), price + defaultIncrement(price), `price ${price} follows defaultIncrement`);
  });
  t.equal(minNext(stateWith({ bidUnit: null, startPrice: 9_999 })), 9_999, 'still startPrice before the first bid');
});

t.test('bidding across a band edge with the default table', async (t) => {
  const w = openAuction({ bidUnit: null, startPrice: 9_800 });
  must(w.registry, bid(ALICE, 9_800));
  t.equal(minNext(stateOf(w.registry)), 9_900, 'band below 10,000: raise 100');
  must(w.registry, bid(BOB, 9_900));
  t.equal(minNext(stateOf(w.registry)), 10_000);
  must(w.registry, bid(ALICE, 10_000));
  t.equal(minNext(stateOf(w.registry)), 10_500, 'from 10,000: raise 500');
  const low = applySync(w.registry, bid(BOB, 10_499));
  t.match(low.reply, { ok: false, code: 'BID_TOO_LOW', minNext: 10_500, price: 10_000 });
  const ok = applySync(w.registry, bid(BOB, 10_500));
  t.equal(ok.reply.ok, true);
});

t.test('isOpenAt', async (t) => {
  const s = stateWith({}, { status: 'OPEN' });
  t.equal(isOpenAt(s, T0 - 1), false, 'before startsAt');
  t.equal(isOpenAt(s, T0), true, 'at startsAt');
  t.equal(isOpenAt(s, T0 + HOUR - 1), true, 'last millisecond');
  t.equal(isOpenAt(s, T0 + HOUR), false, 'at endsAt');
  t.equal(isOpenAt({ ...s, status: 'PENDING' }, T0 + 1), false, 'PENDING');
  t.equal(isOpenAt({ ...s, status: 'SOLD' }, T0 + 1), false, 'SOLD');
});

// ---- proxy resolution -----------------------------------------------------------------------------

t.test('no leader yet: the bidder leads at their amount with their ceiling', async (t) => {
  const w = openAuction();
  const out = must(w.registry, bid(ALICE, 12_000, 20_000));
  t.match(out.reply, { ok: true, price: 12_000, leading: true, status: 'OPEN' });
  const s = stateOf(w.registry);
  t.equal(s.leader, ALICE);
  t.equal(s.price, 12_000);
  t.equal(s.leaderMax, 20_000);
  t.equal(s.bidCount, 1);
  t.same(out.notices, [], 'nobody to tell');
});

t.test('no leader yet, no max: the ceiling is the amount', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 15_000));
  t.equal(stateOf(w.registry).leaderMax, 15_000);
  t.equal(stateOf(w.registry).price, 15_000);
});

t.test('the leader bids again: ceiling = max(Lmax, m), price = max(price, amount), still leading', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 12_000, 20_000));
  let out = must(w.registry, bid(ALICE, 13_000, 30_000));
  t.match(out.reply, { price: 13_000, leading: true });
  t.equal(stateOf(w.registry).leaderMax, 30_000, 'ceiling raised');
  t.same(out.notices, [], 'no outbid notice to oneself');

  out = must(w.registry, bid(ALICE, 14_000, 15_000));
  t.match(out.reply, { price: 14_000, leading: true });
  t.equal(stateOf(w.registry).leaderMax, 30_000, 'a lower ceiling does not lower the standing one');

  out = must(w.registry, bid(ALICE, 40_000));
  t.match(out.reply, { price: 40_000, leading: true });
  t.equal(stateOf(w.registry).leaderMax, 40_000, 'an amount above the ceiling raises it');
  t.equal(stateOf(w.registry).leader, ALICE);
  t.equal(stateOf(w.registry).bidCount, 4);
});

t.test('m > Lmax: the bidder leads at max(amount, min(m, Lmax + bidUnit))', async (t) => {
  t.test('price stops one unit above the old ceiling', async (t) => {
    const w = openAuction();
    must(w.registry, bid(ALICE, 10_000, 15_000));
    const out = must(w.registry, bid(BOB, 11_000, 30_000));
    t.match(out.reply, { ok: true, price: 16_000, leading: true });
    const s = stateOf(w.registry);
    t.equal(s.leader, BOB);
    t.equal(s.leaderMax, 30_000);
    t.equal(s.price, 16_000);
  });
  t.test('price is the new ceiling when it is less than Lmax + unit', async (t) => {
    const w = openAuction();
    must(w.registry, bid(ALICE, 10_000, 15_000));
    const out = must(w.registry, bid(BOB, 11_000, 15_500));
    t.match(out.reply, { price: 15_500, leading: true });
    t.equal(stateOf(w.registry).leader, BOB);
  });
  t.test('price is the amount when the amount is above Lmax + unit', async (t) => {
    const w = openAuction();
    must(w.registry, bid(ALICE, 10_000, 15_000));
    const out = must(w.registry, bid(BOB, 25_000));
    t.match(out.reply, { price: 25_000, leading: true });
    t.equal(stateOf(w.registry).leaderMax, 25_000);
  });
  t.test('a plain bid against a plain bid', async (t) => {
    const w = openAuction();
    must(w.registry, bid(ALICE, 10_000));
    const out = must(w.registry, bid(BOB, 11_000));
    t.match(out.reply, { price: 11_000, leading: true });
  });
});

t.test('m > Lmax sends `outbid` to the previous leader with the new minNext', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 10_000, 15_000));
  const out = must(w.registry, bid(BOB, 11_000, 30_000));
  const e = out.event;
  t.ok(e);
  t.strictSame(out.notices, [{
    to: ALICE, kind: 'outbid', auction: 'a1', seq: e?.seq, price: 16_000, endsAt: T0 + HOUR, minNext: 17_000,
  }]);
  t.equal(minNext(stateOf(w.registry)), 17_000, 'the notice carries the live minNext');
});

t.test('m <= Lmax: accepted but outbid at once; price = min(Lmax, m + bidUnit); the leader keeps the lead', async (t) => {
  t.test('one unit above the challenger', async (t) => {
    const w = openAuction();
    must(w.registry, bid(ALICE, 10_000, 20_000));
    const out = must(w.registry, bid(BOB, 12_000, 15_000));
    t.match(out.reply, { ok: true, price: 16_000, leading: false, status: 'OPEN' });
    const s = stateOf(w.registry);
    t.equal(s.leader, ALICE);
    t.equal(s.leaderMax, 20_000);
    t.equal(s.price, 16_000);
    t.equal(s.bidCount, 2, 'the bid counts');
    t.ok(s.participants.has(BOB), 'and makes the bidder a participant');
    t.same(out.notices, [], 'no outbid notice: the leader keeps the lead');
    t.equal(out.event?.type, 'bid');
    t.equal(out.event?.leader, ALICE);
  });
  t.test('capped at the leader ceiling', async (t) => {
    const w = openAuction();
    must(w.registry, bid(ALICE, 10_000, 20_000));
    const out = must(w.registry, bid(BOB, 19_500));
    t.match(out.reply, { price: 20_000, leading: false });
  });
  t.test('equal ceilings: the earlier one wins', async (t) => {
    const w = openAuction();
    must(w.registry, bid(ALICE, 10_000, 20_000));
    const out = must(w.registry, bid(BOB, 15_000, 20_000));
    t.match(out.reply, { price: 20_000, leading: false });
    t.equal(stateOf(w.registry).leader, ALICE);
    t.equal(stateOf(w.registry).leaderMax, 20_000);
    t.same(out.notices, []);
  });
  t.test('equal ceilings: a plain bid equal to the ceiling loses too', async (t) => {
    const w = openAuction();
    must(w.registry, bid(ALICE, 10_000, 20_000));
    const out = must(w.registry, bid(CAROL, 20_000));
    t.equal(leading(out), false);
    t.equal(stateOf(w.registry).leader, ALICE);
    t.equal(stateOf(w.registry).price, 20_000);
  });
  t.test('one won above the ceiling wins', async (t) => {
    const w = openAuction();
    must(w.registry, bid(ALICE, 10_000, 20_000));
    const out = must(w.registry, bid(BOB, 11_000, 20_001));
    t.match(out.reply, { price: 20_001, leading: true });
  });
});

t.test('a challenger outbid at once can come back with a higher ceiling', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 10_000, 20_000));
  must(w.registry, bid(BOB, 12_000, 15_000)); // price 16,000, Alice leads
  const out = must(w.registry, bid(BOB, 17_000, 25_000));
  t.match(out.reply, { price: 21_000, leading: true });
  t.equal(out.notices.length, 1);
  t.match(out.notices[0], { to: ALICE, kind: 'outbid', price: 21_000, minNext: 22_000 });
});

t.test('a three-way proxy war', async (t) => {
  const w = openAuction({ bidUnit: 500 });
  must(w.registry, bid(ALICE, 10_000, 18_000));
  let out = must(w.registry, bid(BOB, 10_500, 25_000));
  t.match(out.reply, { price: 18_500, leading: true });
  t.match(out.notices, [{ to: ALICE, kind: 'outbid', minNext: 19_000 }]);
  out = must(w.registry, bid(CAROL, 19_000, 22_000));
  t.match(out.reply, { price: 22_500, leading: false });
  out = must(w.registry, bid(ALICE, 23_000, 40_000));
  t.match(out.reply, { price: 25_500, leading: true });
  t.match(out.notices, [{ to: BOB, kind: 'outbid', price: 25_500, minNext: 26_000 }]);
  const s = stateOf(w.registry);
  t.equal(s.leader, ALICE);
  t.strictSame([...s.participants], [ALICE, BOB, CAROL], 'participants in order of their first bid');
  t.equal(s.bidCount, 4);
});

// ---- reserve --------------------------------------------------------------------------------------

t.test('reserveMet', async (t) => {
  t.equal(reserveMet(stateWith({ reservePrice: null })), true, 'no reserve is always met');
  t.equal(reserveMet(stateWith({ reservePrice: 50_000 })), false, 'no bid yet');
  t.equal(reserveMet(stateWith({ reservePrice: 50_000 }, { leader: ALICE, price: 49_999, leaderMax: 49_999 })), false);
  t.equal(reserveMet(stateWith({ reservePrice: 50_000 }, { leader: ALICE, price: 50_000, leaderMax: 50_000 })), true);
  t.equal(reserveMet(stateWith({ reservePrice: 50_000 }, { leader: ALICE, price: 60_000, leaderMax: 60_000 })), true);
  t.equal(reserveMet(stateWith({ reservePrice: 10_000 }, { leader: null, price: 10_000 })), false,
    'a reserve equal to startPrice is not met without a bid');
});

t.test('the price rises to the reserve when the leader ceiling reaches it', async (t) => {
  t.test('on the first bid', async (t) => {
    const w = openAuction({ reservePrice: 50_000 });
    const out = must(w.registry, bid(ALICE, 10_000, 60_000));
    t.match(out.reply, { price: 50_000, leading: true });
    t.equal(reserveMet(stateOf(w.registry)), true);
    t.equal(minNext(stateOf(w.registry)), 51_000);
  });
  t.test('exactly at the reserve', async (t) => {
    const w = openAuction({ reservePrice: 50_000 });
    must(w.registry, bid(ALICE, 10_000, 50_000));
    t.equal(stateOf(w.registry).price, 50_000);
    t.equal(reserveMet(stateOf(w.registry)), true);
  });
  t.test('not before', async (t) => {
    const w = openAuction({ reservePrice: 50_000 });
    must(w.registry, bid(ALICE, 10_000, 49_999));
    t.equal(stateOf(w.registry).price, 10_000);
    t.equal(reserveMet(stateOf(w.registry)), false);
  });
  t.test('when a new leader ceiling passes it', async (t) => {
    const w = openAuction({ reservePrice: 50_000 });
    must(w.registry, bid(ALICE, 10_000, 40_000));
    t.equal(reserveMet(stateOf(w.registry)), false);
    const out = must(w.registry, bid(BOB, 20_000, 60_000));
    t.match(out.reply, { price: 50_000, leading: true });
    t.match(out.notices, [{ to: ALICE, kind: 'outbid', price: 50_000, minNext: 51_000 }]);
    t.equal(reserveMet(stateOf(w.registry)), true);
  });
  t.test('when the leader raises their own ceiling to it', async (t) => {
    const w = openAuction({ reservePrice: 50_000 });
    must(w.registry, bid(ALICE, 10_000, 30_000));
    const out = must(w.registry, bid(ALICE, 11_000, 55_000));
    t.match(out.reply, { price: 50_000, leading: true });
  });
  t.test('when a challenger is outbid at once by a ceiling above the reserve', async (t) => {
    const w = openAuction({ reservePrice: 50_000 });
    must(w.registry, bid(ALICE, 10_000, 45_000));
    must(w.registry, bid(ALICE, 11_000, 80_000)); // now 50,000
    const out = must(w.registry, bid(BOB, 51_000, 60_000));
    t.match(out.reply, { price: 61_000, leading: false }, 'above the reserve the normal rule applies');
  });
  t.test('a price already above the reserve is not lowered', async (t) => {
    const w = openAuction({ reservePrice: 20_000 });
    must(w.registry, bid(ALICE, 30_000));
    t.equal(stateOf(w.registry).price, 30_000);
  });
});

t.test('close: SOLD when the reserve is met, UNSOLD below it', async (t) => {
  const met = openAuction({ reservePrice: 50_000 });
  must(met.registry, bid(ALICE, 10_000, 60_000));
  met.clock.set(met.spec.endsAt);
  let out = must(met.registry, close());
  t.match(out.reply, { status: 'SOLD', price: 50_000 });
  t.equal(stateOf(met.registry).winner, ALICE);

  const below = openAuction({ reservePrice: 50_000 });
  must(below.registry, bid(ALICE, 10_000, 40_000));
  must(below.registry, bid(BOB, 20_000, 45_000));
  below.clock.set(below.spec.endsAt);
  out = must(below.registry, close());
  t.match(out.reply, { status: 'UNSOLD' });
  const s = stateOf(below.registry);
  t.equal(s.status, 'UNSOLD');
  t.equal(s.winner, null);
  t.equal(s.leader, BOB, 'the leader stands but did not win');
  t.notOk(out.notices.some((n) => n.kind === 'won'), 'nobody won');
  t.strictSame(out.notices.map((n) => [n.to, n.kind]), [[ALICE, 'lost'], [BOB, 'lost']]);
});

// ---- secrecy --------------------------------------------------------------------------------------

t.test('a ceiling is never disclosed in replies or notices', async (t) => {
  const w = openAuction({ buyNowPrice: 500_000 });
  const outs = [
    must(w.registry, bid(ALICE, 10_000, 77_000)),
    must(w.registry, bid(BOB, 11_000, 66_000)),
    must(w.registry, bid(CAROL, 68_000, 99_000)),
    applySync(w.registry, bid(BOB, 1_000)),
  ];
  for (const out of outs) {
    const keys = Object.keys(out.reply).sort();
    const allowed = out.reply.ok
      ? ['endsAt', 'leading', 'ok', 'price', 'rid', 'seq', 'status']
      : ['code', 'message', 'minNext', 'ok', 'price', 'rid'];
    t.ok(keys.every((k) => allowed.includes(k)), `reply keys ${keys}`);
    for (const n of out.notices) {
      t.ok(Object.keys(n).every((k) => ['to', 'kind', 'auction', 'seq', 'price', 'endsAt', 'minNext'].includes(k)));
    }
    const text = JSON.stringify([out.reply, out.notices]);
    for (const ceiling of [77_000, 66_000, 99_000]) t.notOk(text.includes(String(ceiling)), `no ${ceiling} in ${text}`);
  }
});

// ---- decide is pure -------------------------------------------------------------------------------

t.test('decide never changes the state it is given', async (t) => {
  const w = openAuction({ buyNowPrice: 100_000, reservePrice: 20_000 });
  must(w.registry, bid(ALICE, 10_000, 30_000));
  const s = stateOf(w.registry);
  const before = structuredClone(s);
  const now = w.clock.now();
  const cmds = [
    bid(BOB, 21_000, 50_000), bid(BOB, 100_000), { t: 'buy' as const, auction: 'a1', rid: 'x', by: BOB },
    { t: 'cancel' as const, auction: 'a1', rid: 'y', by: 'op', role: 'operator' as const }, { t: 'close' as const, auction: 'a1' },
  ];
  for (const c of cmds) {
    const d = decide(s, c, c.t === 'close' ? s.endsAt : now);
    t.ok(d.event !== null, `${c.t} decides an event`);
    t.strictSame(s, before, `${c.t}: state untouched`);
  }
});

t.test('cloneState copies participants', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 10_000));
  const s = stateOf(w.registry);
  const c = cloneState(s);
  t.strictSame(c, s);
  c.participants.add(BOB);
  t.notOk(s.participants.has(BOB), 'the clone has its own set');
});

t.test('default table: the raise over a beaten ceiling uses the increment at that ceiling', async (t) => {
  // start 9,000 (raise 100 below 10,000); A's ceiling 60,000; B's ceiling 40,000 (raise 500 at 10,000-49,999).
  const w = openAuction({ startPrice: 9_000, bidUnit: null });
  t.equal(applySync(w.registry, bid(ALICE, 9_000, 60_000)).reply.ok, true);
  const b = applySync(w.registry, bid(BOB, 9_100, 40_000));
  t.match(b.reply, { ok: true, leading: false, price: 40_500 }, 'outbid at once at 40,000 + 500, as eBay prices it');
  const c = applySync(w.registry, bid(CAROL, 40_500 + 500, 70_000));
  t.match(c.reply, { ok: true, leading: true, price: 61_000 }, 'a new leader pays 60,000 + the 1,000 raise of that band');
});

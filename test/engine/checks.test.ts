// The checks a bid goes through, in SPEC §1's order, each leaving the auction exactly as it was:
// rid, 1. exists / OPEN / started / not ended, 2. not the seller, 3. valid amounts, 4. at least minNext.
import t from 'tap';
import { minNext, type Command } from '../../engine/index.ts';
import {
  ALICE, BOB, applySync, bid, buy, cancel, close, edit, expectRejected, must, open, openAuction, pendingAuction,
  CAROL, SELLER, snapshot, spec, stateOf,
} from './fixtures.ts';

t.test('INVALID_RID comes first, before any other check', async (t) => {
  const w = openAuction();
  w.clock.set(w.spec.endsAt + 1); // closed, and everything else wrong too
  const bads: Array<[string, unknown]> = [
    ['empty', ''], ['65 characters', 'x'.repeat(65)], ['number', 42], ['null', null], ['undefined', undefined],
    ['object', { rid: 'x' }],
  ];
  for (const [name, bad] of bads) {
    t.test(`rid ${name}`, async (t) => {
      // unknown auction, seller bidding, invalid amount: the rid still decides.
      expectRejected(t, w.registry, { ...bid(SELLER, -1, 'x', { auction: 'nope' }), rid: bad as string }, 'INVALID_RID');
      expectRejected(t, w.registry, { ...bid(SELLER, -1), rid: bad as string }, 'INVALID_RID');
      expectRejected(t, w.registry, { ...buy(SELLER), rid: bad as string }, 'INVALID_RID');
      expectRejected(t, w.registry, { ...open(), rid: bad as string }, 'INVALID_RID');
      expectRejected(t, w.registry, { ...cancel(), rid: bad as string }, 'INVALID_RID');
      expectRejected(t, w.registry, { ...edit(spec()), rid: bad as string }, 'INVALID_RID');
    });
  }
});

t.test('an INVALID_RID reply echoes a string rid, and "" for a non-string one', async (t) => {
  const w = openAuction();
  const long = 'y'.repeat(65);
  t.equal(applySync(w.registry, { ...bid(ALICE, 10_000), rid: long }).reply.rid, long);
  t.equal(applySync(w.registry, { ...bid(ALICE, 10_000), rid: 7 as unknown as string }).reply.rid, '');
});

t.test('rids of 1 and 64 characters are valid', async (t) => {
  const w = openAuction();
  const one = applySync(w.registry, bid(ALICE, 10_000, undefined, { rid: 'x' }));
  t.equal(one.reply.ok, true);
  t.equal(one.reply.rid, 'x');
  const r64 = 'z'.repeat(64);
  const sixtyFour = applySync(w.registry, bid(BOB, 11_000, undefined, { rid: r64 }));
  t.equal(sixtyFour.reply.ok, true);
  t.equal(sixtyFour.reply.rid, r64);
  t.equal(stateOf(w.registry).seq, 4, 'both applied (created 1, opened 2, bids 3 and 4)');
});

t.test('a command without a string user is refused before it reaches an auction', async (t) => {
  const w = openAuction();
  const out = expectRejected(t, w.registry, { ...bid(ALICE, 10_000), by: undefined as unknown as string }, 'INVALID_RID');
  t.equal(out.replayed, false);
});

t.test('AUCTION_NOT_FOUND for every command on an unknown auction, before the other checks', async (t) => {
  const w = openAuction();
  const cmds: Command[] = [
    bid(SELLER, -1, 'x', { auction: 'nope' }), buy(SELLER, { auction: 'nope' }), open(ALICE, 'user', { auction: 'nope' }),
    cancel(ALICE, 'user', { auction: 'nope' }), edit(spec({ id: 'nope' }), ALICE, { auction: 'nope' }), close('nope'),
  ];
  for (const c of cmds) {
    const out = expectRejected(t, w.registry, c, 'AUCTION_NOT_FOUND');
    if ('rid' in c && c.rid !== undefined) t.equal(out.reply.rid, c.rid, `${c.t} reply echoes the rid`);
  }
  t.equal(w.registry.size, 1, 'nothing was created');
});

t.test('AUCTION_NOT_STARTED', async (t) => {
  t.test('while PENDING, even within the scheduled hours', async (t) => {
    const w = pendingAuction();
    for (const at of [w.spec.startsAt - 1, w.spec.startsAt, w.spec.startsAt + 1000]) {
      w.clock.set(at);
      expectRejected(t, w.registry, bid(ALICE, 10_000), 'AUCTION_NOT_STARTED');
      expectRejected(t, w.registry, buy(ALICE), 'AUCTION_NOT_STARTED');
      expectRejected(t, w.registry, bid(SELLER, 0), 'AUCTION_NOT_STARTED'); // check 1 before 2 and 3
    }
  });
  t.test('while OPEN but before startsAt', async (t) => {
    const w = pendingAuction({ buyNowPrice: 50_000 });
    must(w.registry, open());
    w.clock.set(w.spec.startsAt - 1);
    expectRejected(t, w.registry, bid(ALICE, 10_000), 'AUCTION_NOT_STARTED');
    expectRejected(t, w.registry, bid(ALICE, 50_000), 'AUCTION_NOT_STARTED');
    expectRejected(t, w.registry, buy(ALICE), 'AUCTION_NOT_STARTED');
    expectRejected(t, w.registry, bid(SELLER, 'x'), 'AUCTION_NOT_STARTED');
    w.clock.set(w.spec.startsAt);
    const out = applySync(w.registry, bid(ALICE, 10_000));
    t.equal(out.reply.ok, true, 'accepted from startsAt on');
  });
});

t.test('AUCTION_CLOSED at and after endsAt, even before the close ran', async (t) => {
  const w = openAuction({ buyNowPrice: 50_000 });
  must(w.registry, bid(ALICE, 10_000));
  for (const at of [w.spec.endsAt, w.spec.endsAt + 1, w.spec.endsAt + 86_400_000]) {
    w.clock.set(at);
    t.equal(stateOf(w.registry).status, 'OPEN', 'the close has not run');
    expectRejected(t, w.registry, bid(BOB, 11_000), 'AUCTION_CLOSED');
    expectRejected(t, w.registry, bid(BOB, 50_000), 'AUCTION_CLOSED');
    expectRejected(t, w.registry, buy(BOB), 'AUCTION_CLOSED');
    expectRejected(t, w.registry, bid(SELLER, -5), 'AUCTION_CLOSED'); // check 1 before 2 and 3
  }
});

t.test('the last millisecond before endsAt still takes a bid', async (t) => {
  const w = openAuction({ softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 } });
  w.clock.set(w.spec.endsAt - 1);
  const out = applySync(w.registry, bid(ALICE, 10_000));
  t.equal(out.reply.ok, true);
});

t.test('AUCTION_CLOSED once SOLD, UNSOLD or CANCELED', async (t) => {
  t.test('SOLD', async (t) => {
    const w = openAuction({ buyNowPrice: 50_000 });
    must(w.registry, buy(ALICE));
    t.equal(stateOf(w.registry).status, 'SOLD');
    expectRejected(t, w.registry, bid(BOB, 60_000), 'AUCTION_CLOSED');
    expectRejected(t, w.registry, buy(BOB), 'AUCTION_CLOSED');
    expectRejected(t, w.registry, bid(SELLER, 60_000), 'AUCTION_CLOSED');
  });
  t.test('UNSOLD', async (t) => {
    const w = openAuction();
    w.clock.set(w.spec.endsAt);
    must(w.registry, close());
    t.equal(stateOf(w.registry).status, 'UNSOLD');
    expectRejected(t, w.registry, bid(BOB, 60_000), 'AUCTION_CLOSED');
  });
  t.test('CANCELED from OPEN, even while the hours would allow bids', async (t) => {
    const w = openAuction();
    must(w.registry, cancel());
    t.equal(stateOf(w.registry).status, 'CANCELED');
    expectRejected(t, w.registry, bid(BOB, 60_000), 'AUCTION_CLOSED');
    expectRejected(t, w.registry, buy(BOB), 'AUCTION_CLOSED');
  });
  t.test('CANCELED from PENDING', async (t) => {
    const w = pendingAuction();
    must(w.registry, cancel());
    w.clock.set(w.spec.startsAt);
    expectRejected(t, w.registry, bid(BOB, 60_000), 'AUCTION_CLOSED');
  });
});

t.test('SELF_BID: the seller cannot bid or buy, checked before the amounts', async (t) => {
  const w = openAuction({ buyNowPrice: 50_000 });
  expectRejected(t, w.registry, bid(SELLER, 10_000), 'SELF_BID');
  expectRejected(t, w.registry, bid(SELLER, 20_000, 30_000), 'SELF_BID');
  expectRejected(t, w.registry, bid(SELLER, 50_000), 'SELF_BID'); // would be a buy-now
  expectRejected(t, w.registry, bid(SELLER, 1.5), 'SELF_BID');    // check 2 before 3
  expectRejected(t, w.registry, bid(SELLER, 1), 'SELF_BID');      // check 2 before 4
  expectRejected(t, w.registry, buy(SELLER), 'SELF_BID');
  must(w.registry, bid(ALICE, 10_000));
  expectRejected(t, w.registry, bid(SELLER, 11_000), 'SELF_BID');
});

t.test('INVALID_AMOUNT for anything but a safe integer from 1 to 10^12', async (t) => {
  const w = openAuction();
  const bad: Array<[string, unknown]> = [
    ['float', 10_000.5], ['tiny float', 1e-9], ['numeric string', '10000'], ['negative', -10_000], ['zero', 0],
    ['negative zero', -0], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['10^12 + 1', 10 ** 12 + 1],
    ['MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER], ['unsafe 2^53 + 2', 2 ** 53 + 2], ['bigint', 10_000n],
    ['null', null], ['undefined', undefined], ['boolean', true], ['object', { amount: 10_000 }], ['array', [10_000]],
  ];
  for (const [name, amount] of bad) {
    t.test(`amount ${name}`, async (t) => {
      expectRejected(t, w.registry, bid(ALICE, amount), 'INVALID_AMOUNT');
      expectRejected(t, w.registry, bid(ALICE, amount, 20_000), 'INVALID_AMOUNT');
    });
  }
});

t.test('INVALID_AMOUNT for a bad max', async (t) => {
  const w = openAuction();
  const bad: Array<[string, unknown]> = [
    ['below amount', 19_999], ['float', 20_000.5], ['numeric string', '30000'], ['negative', -30_000], ['zero', 0],
    ['NaN', NaN], ['Infinity', Infinity], ['10^12 + 1', 10 ** 12 + 1], ['unsafe', 2 ** 53 + 2], ['bigint', 30_000n],
    ['boolean', true], ['object', {}],
  ];
  for (const [name, max] of bad) {
    t.test(`max ${name}`, async (t) => {
      expectRejected(t, w.registry, bid(ALICE, 20_000, max), 'INVALID_AMOUNT');
    });
  }
});

t.test('INVALID_AMOUNT is checked before BID_TOO_LOW', async (t) => {
  const w = openAuction();
  expectRejected(t, w.registry, bid(ALICE, 9_000, 8_000), 'INVALID_AMOUNT'); // too low and max < amount
  expectRejected(t, w.registry, bid(ALICE, 5.5), 'INVALID_AMOUNT');
  must(w.registry, bid(ALICE, 10_000));
  expectRejected(t, w.registry, bid(BOB, 10_500.5), 'INVALID_AMOUNT');
});

t.test('the boundaries of a valid amount are accepted', async (t) => {
  const w = openAuction({ startPrice: 1, bidUnit: 1 });
  const first = applySync(w.registry, bid(ALICE, 1));
  t.equal(first.reply.ok, true, 'amount 1');
  const top = applySync(w.registry, bid(BOB, 10 ** 12));
  t.equal(top.reply.ok, true, 'amount 10^12');
  t.equal(stateOf(w.registry).price, 10 ** 12);

  const v = openAuction();
  const eq = applySync(v.registry, bid(ALICE, 10_000, 10_000));
  t.equal(eq.reply.ok, true, 'max equal to amount');
  const maxTop = applySync(v.registry, bid(BOB, 11_000, 10 ** 12));
  t.equal(maxTop.reply.ok, true, 'max 10^12');
  t.equal(stateOf(v.registry).leaderMax, 10 ** 12);
});

t.test('a null max is the same as no max', async (t) => {
  const w = openAuction();
  const out = must(w.registry, bid(ALICE, 12_000, null));
  t.equal(out.event?.max, null);
  t.equal(stateOf(w.registry).leaderMax, 12_000);
});

t.test('BID_TOO_LOW carries minNext and price', async (t) => {
  const w = openAuction();
  let out = expectRejected(t, w.registry, bid(ALICE, 9_999), 'BID_TOO_LOW');
  t.match(out.reply, { minNext: 10_000, price: 10_000 }, 'before the first bid, minNext is startPrice');
  out = expectRejected(t, w.registry, bid(ALICE, 9_999, 1_000_000), 'BID_TOO_LOW');
  t.match(out.reply, { minNext: 10_000 }, 'a high max does not lift a low amount');

  must(w.registry, bid(ALICE, 10_000));
  out = expectRejected(t, w.registry, bid(BOB, 10_999), 'BID_TOO_LOW');
  t.match(out.reply, { minNext: 11_000, price: 10_000 });
  out = expectRejected(t, w.registry, bid(BOB, 10_000), 'BID_TOO_LOW');
  t.match(out.reply, { minNext: 11_000, price: 10_000 }, 'matching the price is not enough');
  out = expectRejected(t, w.registry, bid(ALICE, 10_500, 90_000), 'BID_TOO_LOW');
  t.match(out.reply, { minNext: 11_000, price: 10_000 }, 'the leader too must bid at least minNext');
  t.equal(minNext(stateOf(w.registry)), 11_000);
});

t.test('each rejection leaves state and seq unchanged, over a whole sequence', async (t) => {
  const w = openAuction({ buyNowPrice: 100_000, reservePrice: 30_000 });
  must(w.registry, bid(ALICE, 10_000, 20_000));
  must(w.registry, bid(BOB, 12_000));
  const before = snapshot(w.registry);
  const rejects: Command[] = [
    bid(SELLER, 50_000), bid(BOB, 12_500), bid(BOB, '50000'), bid(BOB, 30_000, 29_999), bid(CAROL, NaN),
    buy(SELLER), open(), cancel(), cancel(BOB), edit(spec()), close(), { ...bid(BOB, 50_000), rid: '' },
    bid(BOB, 50_000, undefined, { auction: 'other' }),
  ];
  for (const c of rejects) {
    const out = applySync(w.registry, c);
    t.equal(out.reply.ok, false, `${c.t} rejected`);
    t.equal(out.event, null);
  }
  t.strictSame(stateOf(w.registry), before, 'state unchanged after all of them');
  t.equal(stateOf(w.registry).seq, before.seq);
});

t.test('check order: a command wrong in several ways gets the earliest code, 1 before 2 before 3 before 4', async (t) => {
  // A command wrong in several ways gets the earliest check's code.
  const o = openAuction();
  expectRejected(t, o.registry, bid(SELLER, 1.5, 0.5), 'SELF_BID');
  expectRejected(t, o.registry, bid(ALICE, 1, 0.5), 'INVALID_AMOUNT');
  expectRejected(t, o.registry, bid(ALICE, 1, 2), 'BID_TOO_LOW');
  o.clock.set(o.spec.endsAt);
  expectRejected(t, o.registry, bid(SELLER, 1.5, 0.5), 'AUCTION_CLOSED');
});

t.test('a rid of 64 characters outside the Basic Multilingual Plane is valid', async (t) => {
  const w = openAuction();
  const r = '😀'.repeat(64);
  t.equal([...r].length, 64, '64 characters');
  const out = applySync(w.registry, bid(ALICE, 10_000, undefined, { rid: r }));
  t.equal(out.reply.ok, true);
  const tooLong = applySync(w.registry, bid(BOB, 11_000, undefined, { rid: '😀'.repeat(65) }));
  t.match(tooLong.reply, { ok: false, code: 'INVALID_RID' }, '65 characters are too many');
});

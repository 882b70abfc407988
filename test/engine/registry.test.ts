// The registry: create (validation, AUCTION_EXISTS, idempotency), routing, and the actor lifecycle
// hooks the runtime uses (retire, drop, restore, adopt) with their CloseTimer calls.
import t from 'tap';
import {
  AuctionActor, AuctionRegistry, cleanSpec, ManualClock, NO_TIMER, RecentReplies, specProblem, specProblemAt, type AuctionEvent,
  type AuctionSpec,
} from '../../engine/index.ts';
import {
  ALICE, BOB, HOUR, T0, applySync, bid, buy, cancel, close, createSync, edit, expectRejected, must, open, openAuction,
  pendingAuction, RecordingTimer, rid, SELLER, snapshot, spec, stateOf, world,
} from './fixtures.ts';

// ---- create ---------------------------------------------------------------------------------------

t.test('create makes a PENDING auction whose created event is seq 1', async (t) => {
  const w = world();
  const s = spec();
  const out = createSync(w.registry, s, SELLER, 'c1');
  t.strictSame(out.reply, { ok: true, rid: 'c1', seq: 1, price: 10_000, leading: false, endsAt: s.endsAt, status: 'PENDING' });
  t.match(out.event, {
    auction: 'a1', seq: 1, type: 'created', at: w.clock.now(), by: SELLER, rid: 'c1', price: 10_000, leader: null,
    leaderMax: 0, endsAt: s.endsAt, status: 'PENDING',
  });
  t.strictSame(out.event?.spec, s);
  t.equal(out.replayed, false);
  t.same(out.notices, []);
  t.equal(w.registry.size, 1);
  const st = stateOf(w.registry);
  t.equal(st.seq, 1);
  t.equal(st.status, 'PENDING');
  t.equal(st.price, 10_000);
  t.equal(st.bidCount, 0);
  t.equal(st.leader, null);
  t.same(w.timer.calls, [], 'nothing is scheduled for a PENDING auction');
});

t.test('create: INVALID_RID', async (t) => {
  const w = world();
  for (const bad of ['', 'x'.repeat(65), 5, null]) {
    const out = createSync(w.registry, spec(), SELLER, bad as string);
    t.match(out.reply, { ok: false, code: 'INVALID_RID' });
  }
  t.equal(w.registry.size, 0);
});

// One entry per branch of specProblem (and a few variants of each), all refused with INVALID_AUCTION.
const sc = { windowMs: 60_000, extendMs: 180_000, maxExtensions: 1 };
const INVALID_SPECS: Array<[string, unknown]> = [
  ['null', null], ['undefined', undefined], ['a string', 'a1'], ['a number', 42],
  ['id empty', spec({ id: '' })], ['id 65 characters', spec({ id: 'i'.repeat(65) })], ['id a number', { ...spec(), id: 1 }],
  ['sellerId empty', spec({ sellerId: '' })], ['sellerId 65 characters', spec({ sellerId: 's'.repeat(65) })],
  ['sellerId null', { ...spec(), sellerId: null }],
  ['productId empty', spec({ productId: '' })], ['productId missing', { ...spec(), productId: undefined }],
  ['startPrice 0', spec({ startPrice: 0 })], ['startPrice float', spec({ startPrice: 100.5 })],
  ['startPrice string', { ...spec(), startPrice: '10000' }], ['startPrice 10^12 + 1', spec({ startPrice: 10 ** 12 + 1 })],
  ['startPrice negative', spec({ startPrice: -1 })],
  ['bidUnit 0', spec({ bidUnit: 0 })], ['bidUnit negative', spec({ bidUnit: -100 })], ['bidUnit float', spec({ bidUnit: 0.5 })],
  ['bidUnit missing', { ...spec(), bidUnit: undefined }], ['bidUnit string', { ...spec(), bidUnit: '100' }],
  ['buyNowPrice equal to startPrice', spec({ buyNowPrice: 10_000 })], ['buyNowPrice below startPrice', spec({ buyNowPrice: 9_000 })],
  ['buyNowPrice 0', spec({ buyNowPrice: 0 })], ['buyNowPrice float', spec({ buyNowPrice: 20_000.5 })],
  ['buyNowPrice string', { ...spec(), buyNowPrice: '20000' }], ['buyNowPrice missing', { ...spec(), buyNowPrice: undefined }],
  ['reservePrice below startPrice', spec({ reservePrice: 9_999 })], ['reservePrice float', spec({ reservePrice: 20_000.5 })],
  ['reservePrice string', { ...spec(), reservePrice: '20000' }], ['reservePrice above buyNowPrice', spec({ reservePrice: 60_000, buyNowPrice: 50_000 })],
  ['reservePrice missing', { ...spec(), reservePrice: undefined }],
  ['startsAt negative', spec({ startsAt: -1 })], ['startsAt float', spec({ startsAt: T0 + 0.5 })],
  ['startsAt string', { ...spec(), startsAt: String(T0) }], ['startsAt NaN', spec({ startsAt: NaN })],
  ['startsAt unsafe', spec({ startsAt: 2 ** 53 })], ['endsAt missing', { ...spec(), endsAt: undefined }],
  ['endsAt Infinity', spec({ endsAt: Infinity })],
  ['endsAt equal to startsAt', spec({ endsAt: T0 })], ['endsAt before startsAt', spec({ endsAt: T0 - 1 })],
  ['softClose null', { ...spec(), softClose: null }], ['softClose missing', { ...spec(), softClose: undefined }],
  ['softClose a string', { ...spec(), softClose: 'seed' }],
  ['windowMs negative', spec({ softClose: { ...sc, windowMs: -1 } })], ['windowMs float', spec({ softClose: { ...sc, windowMs: 0.5 } })],
  ['windowMs string', spec({ softClose: { ...sc, windowMs: '60000' as unknown as number } })],
  ['extendMs negative', spec({ softClose: { ...sc, extendMs: -1 } })],
  ['extendMs missing', spec({ softClose: { ...sc, extendMs: undefined as unknown as number } })],
  ['maxExtensions negative', spec({ softClose: { ...sc, maxExtensions: -1 } })],
  ['maxExtensions float', spec({ softClose: { ...sc, maxExtensions: 1.5 } })],
  ['maxExtensions string', spec({ softClose: { ...sc, maxExtensions: '1' as unknown as number } })],
  ['maxExtensions missing', spec({ softClose: { ...sc, maxExtensions: undefined as unknown as number } })],
  ['maxExtensions Infinity', spec({ softClose: { ...sc, maxExtensions: Infinity } })],
];

t.test('create: INVALID_AUCTION for every kind of invalid spec', async (t) => {
  for (const [name, s] of INVALID_SPECS) {
    const w = world();
    const out = createSync(w.registry, s);
    t.match(out.reply, { ok: false, code: 'INVALID_AUCTION' }, name);
    t.equal(out.event, null, `${name}: no event`);
    t.equal(w.registry.size, 0, `${name}: nothing created`);
  }
});

t.test('specProblem names the problem of each invalid spec', async (t) => {
  for (const [name, s] of INVALID_SPECS) {
    const p = specProblem(s);
    t.type(p, 'string', name);
    t.ok(p !== null && p.length > 0, `${name}: ${p}`);
  }
  t.equal(specProblem(spec()), null);
});

t.test('create: edge values that are valid', async (t) => {
  const valid: Array<[string, unknown]> = [
    ['id of 64 characters', spec({ id: 'i'.repeat(64) })], ['id of 1 character', spec({ id: 'i' })],
    ['no bid unit (default table)', spec({ bidUnit: null })], ['startPrice 1', spec({ startPrice: 1 })],
    ['startPrice 10^12', spec({ startPrice: 10 ** 12 })],
    ['buyNowPrice one above startPrice', spec({ buyNowPrice: 10_001 })],
    ['reservePrice equal to startPrice', spec({ reservePrice: 10_000 })],
    ['reservePrice equal to buyNowPrice', spec({ reservePrice: 50_000, buyNowPrice: 50_000 })],
    ['reservePrice without buyNowPrice', spec({ reservePrice: 10 ** 12 })],
    ['startsAt 0', spec({ startsAt: 0 })],
    ['endsAt one after startsAt', spec({ endsAt: T0 + 1 })],
    ['no soft close', spec({ softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 } })],
    ['unlimited extensions', spec({ softClose: { windowMs: 60_000, extendMs: 180_000, maxExtensions: null } })],
  ];
  for (const [name, s] of valid) {
    const w = world();
    const out = createSync(w.registry, s);
    t.equal(out.reply.ok, true, name);
    t.equal(specProblem(s), null, `${name}: no problem`);
  }
});

t.test('create and edit keep exactly the known members of a spec, whatever else it carries (issue 12)', async (t) => {
  const known = Object.keys(spec()).sort();
  const knownSoftClose = ['extendMs', 'maxExtensions', 'windowMs'];
  const extras = { anything: { kept: true }, deep: [[[[1]]]] };
  const w = world();
  const dirty = { ...spec(), ...extras, softClose: { ...spec().softClose, ...extras } };
  const created = createSync(w.registry, dirty);
  t.equal(created.reply.ok, true, 'extra members do not make a spec invalid to the engine');
  t.same(Object.keys(created.event?.spec ?? {}).sort(), known, 'the created event carries only the known members');
  t.same(Object.keys(created.event?.spec?.softClose ?? {}).sort(), knownSoftClose, 'softClose too');
  t.same(Object.keys(stateOf(w.registry).spec).sort(), known, 'and so does the state');

  const edited = must(w.registry, edit({ ...spec({ startPrice: 12_000 }), ...extras, softClose: { ...spec().softClose, ...extras } } as AuctionSpec));
  t.same(Object.keys(edited.event?.spec ?? {}).sort(), known, 'the edited event carries only the known members');
  t.same(Object.keys(edited.event?.spec?.softClose ?? {}).sort(), knownSoftClose);
  t.equal(edited.event?.spec?.startPrice, 12_000, 'with the edit applied');
  t.same(Object.keys(stateOf(w.registry).spec.softClose).sort(), knownSoftClose, 'and the state holds the clean spec');
  t.strictSame(cleanSpec(dirty as AuctionSpec), spec(), 'cleanSpec copies the known members exactly');
});

t.test('create: INVALID_AUCTION when endsAt is not after the clock (it could never open nor close)', async (t) => {
  for (const [name, endsAt] of [['at now', T0], ['a second ago', T0 - 1000], ['a day ago', T0 - 24 * HOUR]] as const) {
    const w = world({ now: T0 });
    const s = spec({ startsAt: T0 - 48 * HOUR, endsAt });
    t.equal(specProblem(s), null, `${name}: valid on its own`);
    t.equal(specProblemAt(s, T0), 'endsAt must be in the future', `${name}: but not at this time`);
    const out = createSync(w.registry, s);
    t.match(out.reply, { ok: false, code: 'INVALID_AUCTION' }, name);
    t.equal(out.event, null);
    t.equal(w.registry.size, 0, `${name}: nothing created`);
  }
  const w = world({ now: T0 });
  const late = spec({ startsAt: T0 - 48 * HOUR, endsAt: T0 + 1 });
  t.equal(createSync(w.registry, late).reply.ok, true, 'a start long past is fine while the end is ahead');
  must(w.registry, open());
  t.equal(stateOf(w.registry).status, 'OPEN', 'and it opens');
  t.equal(must(w.registry, bid(ALICE, 10_000)).reply.ok, true, 'and takes bids at once');
});

t.test('create: AUCTION_EXISTS for a second auction with the same id', async (t) => {
  const w = pendingAuction();
  const before = snapshot(w.registry);
  const out = createSync(w.registry, spec({ startPrice: 1, sellerId: BOB }), BOB);
  t.match(out.reply, { ok: false, code: 'AUCTION_EXISTS' });
  t.equal(out.event, null);
  t.strictSame(stateOf(w.registry), before, 'the first auction is untouched');
  t.equal(w.registry.size, 1);
  const out2 = createSync(w.registry, spec({ startPrice: 1 }));
  t.match(out2.reply, { ok: false, code: 'AUCTION_EXISTS' }, 'also for the same seller with a new rid');
});

t.test('create: idempotent on (by, rid)', async (t) => {
  const w = world();
  const first = createSync(w.registry, spec(), SELLER, 'c1');
  const again = createSync(w.registry, spec(), SELLER, 'c1');
  t.equal(again.replayed, true);
  t.strictSame(again.reply, first.reply, 'the first reply, not AUCTION_EXISTS');
  t.equal(again.event, null);
  t.equal(stateOf(w.registry).seq, 1);
  const other = createSync(w.registry, spec({ id: 'a2' }), SELLER, 'c1');
  t.equal(other.replayed, true, 'the same rid with another spec still returns the first reply');
  t.strictSame(other.reply, first.reply);
  t.equal(w.registry.get('a2'), undefined, 'and creates nothing');
  const byOther = createSync(w.registry, spec({ id: 'a3', sellerId: BOB }), BOB, 'c1');
  t.equal(byOther.reply.ok, true, 'another user with the same rid is independent');
  t.equal(byOther.replayed, false);
});

t.test('create: a rejected create is replayed too', async (t) => {
  const w = world();
  const first = createSync(w.registry, spec({ startPrice: 0 }), SELLER, 'c1');
  t.match(first.reply, { code: 'INVALID_AUCTION' });
  const fixed = createSync(w.registry, spec(), SELLER, 'c1');
  t.equal(fixed.replayed, true);
  t.strictSame(fixed.reply, first.reply);
  t.equal(w.registry.size, 0);
});

// ---- routing --------------------------------------------------------------------------------------

t.test('auctions are independent', async (t) => {
  const w = world();
  createSync(w.registry, spec({ id: 'a1' }));
  createSync(w.registry, spec({ id: 'a2', startPrice: 50_000 }));
  must(w.registry, open(SELLER, 'user', { auction: 'a1' }));
  must(w.registry, open(SELLER, 'user', { auction: 'a2' }));
  w.clock.set(T0);
  must(w.registry, bid(ALICE, 10_000, undefined, { auction: 'a1' }));
  must(w.registry, bid(ALICE, 11_000, undefined, { auction: 'a1' }));
  const out = must(w.registry, bid(BOB, 50_000, undefined, { auction: 'a2' }));
  t.equal(out.event?.seq, 3, 'a2 has its own seq');
  t.equal(stateOf(w.registry, 'a1').seq, 4);
  t.equal(stateOf(w.registry, 'a1').price, 11_000);
  t.equal(stateOf(w.registry, 'a2').price, 50_000);
  t.equal(w.registry.size, 2);
  t.strictSame([...w.registry.actorsInMemory()].map((a) => a.id).sort(), ['a1', 'a2']);
  t.strictSame(w.timer.calls, [
    { op: 'schedule', auction: 'a1', at: T0 + HOUR }, { op: 'schedule', auction: 'a2', at: T0 + HOUR },
  ]);
});

t.test('a registry without a timer uses NO_TIMER and still works', async (t) => {
  const clock = new ManualClock(T0);
  const r = new AuctionRegistry({ clock });
  t.doesNotThrow(() => NO_TIMER.schedule('a1', 1));
  t.doesNotThrow(() => NO_TIMER.cancel('a1'));
  createSync(r, spec());
  must(r, open());
  must(r, bid(ALICE, 10_000));
  clock.set(T0 + HOUR);
  t.match(must(r, close()).reply, { status: 'SOLD' });
  t.type(r.ctx.replies, RecentReplies, 'a RecentReplies is made when none is given');
});

// ---- retire, drop, restore, adopt ------------------------------------------------------------------

t.test('retire: only closed actors', async (t) => {
  const p = pendingAuction();
  t.equal(p.registry.retire('a1'), false, 'PENDING stays');
  must(p.registry, open());
  t.equal(p.registry.retire('a1'), false, 'OPEN stays');
  t.equal(p.registry.size, 1);
  t.equal(p.registry.retire('nope'), false, 'unknown');

  const ends: Array<[string, (w: ReturnType<typeof openAuction>) => void]> = [
    ['SOLD', (w) => { must(w.registry, bid(ALICE, 10_000)); w.clock.set(w.spec.endsAt); must(w.registry, close()); }],
    ['UNSOLD', (w) => { w.clock.set(w.spec.endsAt); must(w.registry, close()); }],
    ['CANCELED', (w) => { must(w.registry, cancel()); }],
    ['SOLD by buy-now', (w) => { must(w.registry, buy(ALICE)); }],
  ];
  for (const [name, end] of ends) {
    const w = openAuction({ buyNowPrice: 50_000 });
    end(w);
    t.equal(w.registry.retire('a1'), true, `${name} is retired`);
    t.equal(w.registry.get('a1'), undefined);
    t.equal(w.registry.size, 0);
    expectRejected(t, w.registry, bid(BOB, 60_000), 'AUCTION_NOT_FOUND');
    t.equal(w.registry.retire('a1'), false, 'only once');
  }
});

t.test('drop: forgets the auction and cancels its close', async (t) => {
  const w = openAuction();
  w.registry.drop('a1');
  t.equal(w.registry.get('a1'), undefined);
  t.strictSame(w.timer.calls, [{ op: 'cancel', auction: 'a1' }]);
  expectRejected(t, w.registry, bid(ALICE, 10_000), 'AUCTION_NOT_FOUND');
  const again = createSync(w.registry, spec());
  t.equal(again.reply.ok, true, 'the id is free again');
});

t.test('restore: puts an actor back to an earlier state and reschedules its close', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 10_000));
  const durable = snapshot(w.registry);
  w.clock.set(w.spec.endsAt - 1_000);
  must(w.registry, bid(BOB, 11_000)); // extends; suppose it never became durable
  t.equal(stateOf(w.registry).endsAt, w.spec.endsAt + 180_000);
  w.timer.clear();
  w.registry.restore(structuredClone(durable));
  t.strictSame(stateOf(w.registry), durable);
  t.strictSame(w.timer.calls, [{ op: 'schedule', auction: 'a1', at: w.spec.endsAt }], 'the old end is scheduled again');
  const next = must(w.registry, bid(BOB, 11_000, undefined, { rid: rid() }));
  t.equal(next.event?.seq, durable.seq + 1, 'seq continues from the restored state');
});

t.test('restore: a non-OPEN state is not scheduled', async (t) => {
  const w = pendingAuction();
  const durable = snapshot(w.registry);
  must(w.registry, open());
  w.timer.clear();
  w.registry.restore(structuredClone(durable));
  t.equal(stateOf(w.registry).status, 'PENDING');
  t.notOk(w.timer.calls.some((c) => c.op === 'schedule'));
});

t.test('restore: adopts an actor that is no longer in memory', async (t) => {
  const w = openAuction();
  must(w.registry, bid(ALICE, 10_000));
  const durable = snapshot(w.registry);
  w.registry.drop('a1');
  w.timer.clear();
  w.registry.restore(structuredClone(durable));
  t.strictSame(stateOf(w.registry), durable);
  t.strictSame(w.timer.calls, [{ op: 'schedule', auction: 'a1', at: w.spec.endsAt }]);
});

t.test('restore: a state before creation (seq 0) is ignored', async (t) => {
  const w = pendingAuction();
  const before = snapshot(w.registry);
  w.registry.restore({ ...structuredClone(before), seq: 0 });
  t.strictSame(stateOf(w.registry), before);
  const v = world();
  v.registry.restore({ ...structuredClone(before), seq: 0 });
  t.equal(v.registry.size, 0);
});

function eventsOf(run: (w: ReturnType<typeof world>) => void): { events: AuctionEvent[]; w: ReturnType<typeof world> } {
  const w = world();
  const events: AuctionEvent[] = [];
  // Record every accepted event, as the runtime's journal would.
  const dispatch = w.registry.dispatch.bind(w.registry);
  w.registry.dispatch = (cmd, sink) => dispatch(cmd, (o) => {
    if (o.event) events.push(o.event);
    sink(o);
  });
  const c = createSync(w.registry, spec());
  if (c.event) events.push(c.event);
  run(w);
  return { events, w };
}

t.test('adopt: takes in a rebuilt OPEN actor and schedules its close', async (t) => {
  const { events, w } = eventsOf((w) => {
    must(w.registry, open());
    w.clock.set(T0 + 10);
    must(w.registry, bid(ALICE, 10_000, 30_000));
    must(w.registry, bid(BOB, 12_000));
  });
  const fresh = world({ now: T0 + 20 });
  const actor = AuctionActor.fromEvents(events);
  fresh.registry.adopt(actor);
  t.equal(fresh.registry.get('a1'), actor);
  t.strictSame(actor.state, stateOf(w.registry), 'the rebuilt state is the live one');
  t.strictSame(fresh.timer.calls, [{ op: 'schedule', auction: 'a1', at: T0 + HOUR }]);
  const out = must(fresh.registry, bid(BOB, 31_000));
  t.match(out.reply, { seq: 5, leading: true, price: 31_000 });
});

t.test('adopt: PENDING and closed actors are not scheduled', async (t) => {
  const pending = eventsOf(() => {});
  const fresh = world();
  fresh.registry.adopt(AuctionActor.fromEvents(pending.events));
  t.same(fresh.timer.calls, []);
  t.equal(stateOf(fresh.registry).status, 'PENDING');

  const sold = eventsOf((w) => {
    must(w.registry, open());
    w.clock.set(T0);
    must(w.registry, bid(ALICE, 10_000));
    w.clock.set(T0 + HOUR);
    must(w.registry, close());
  });
  const fresh2 = world();
  fresh2.registry.adopt(AuctionActor.fromEvents(sold.events));
  t.same(fresh2.timer.calls, []);
  t.equal(stateOf(fresh2.registry).status, 'SOLD');
  t.equal(fresh2.registry.retire('a1'), true);
});

t.test('the timer sees the registry it was given', async (t) => {
  const timer = new RecordingTimer();
  const r = new AuctionRegistry({ clock: new ManualClock(T0 - HOUR), timer });
  createSync(r, spec());
  must(r, open());
  t.strictSame(timer.calls, [{ op: 'schedule', auction: 'a1', at: T0 + HOUR }]);
  t.equal(applySync(r, bid(ALICE, 10_000)).reply.ok, false, 'not started yet');
});

t.test('create: only the seller named in the spec may create it', async (t) => {
  const w = world();
  const out = createSync(w.registry, spec(), BOB, 'c-bob');
  t.match(out.reply, { ok: false, code: 'NOT_SELLER' });
  t.equal(out.event, null);
  t.equal(w.registry.size, 0, 'nothing was created');
});

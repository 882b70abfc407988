// seq and replay (SPEC §1): every accepted event gets the next seq of its auction (1, 2, 3 ... with no
// gaps), and the event log in seq order rebuilds the actor's state exactly.
import t from 'tap';
import {
  AuctionActor, cloneState, createdEvent, evolve, initialState, replay, type AuctionEvent, type AuctionState,
  type Command, type Outcome,
} from '../../engine/index.ts';
import {
  ALICE, BOB, CAROL, OPERATOR, T0, HOUR, applySync, bid, buy, cancel, close, createSync, edit, open, SELLER, spec,
  stateOf, world, type World,
} from './fixtures.ts';

/** Runs commands, keeping every event and a deep copy of the state after each one. */
class Log {
  readonly events: AuctionEvent[] = [];
  readonly states: AuctionState[] = [];
  readonly outcomes: Outcome[] = [];
  constructor(readonly w: World) {}
  create(over = {}): Outcome {
    return this.keep(createSync(this.w.registry, spec(over)));
  }
  run(cmd: Command, at?: number): Outcome {
    if (at !== undefined) this.w.clock.set(at);
    return this.keep(applySync(this.w.registry, cmd));
  }
  private keep(out: Outcome): Outcome {
    this.outcomes.push(out);
    if (out.event !== null) {
      this.events.push(out.event);
      this.states.push(structuredClone(stateOf(this.w.registry)));
    }
    return out;
  }
}

function busyAuction(): Log {
  const log = new Log(world());
  log.create({ buyNowPrice: 500_000, reservePrice: 30_000, bidUnit: null });
  log.run(edit(spec({ buyNowPrice: 400_000, reservePrice: 30_000, bidUnit: null, productId: 'p9' })));
  log.run(bid(ALICE, 10_000));                        // not started: rejected
  log.run(open());
  log.run(bid(ALICE, 10_000, 20_000), T0);
  log.run(bid(BOB, 10_500));                          // outbid at once (band raise 500): 11,000
  log.run(bid(BOB, 10_500));                          // too low now
  const retry = bid(CAROL, 21_000, 60_000);
  log.run(retry);                                     // leads, reserve met
  log.run(retry);                                     // replayed
  log.run(bid(SELLER, 90_000));                       // self bid
  log.run(bid(ALICE, 'x'));                           // invalid
  log.run(bid(ALICE, 40_000, 55_000), T0 + HOUR - 30_000); // outbid at once, extends
  log.run(bid(BOB, 70_000), T0 + HOUR + 150_000);     // leads, inside the new window, no more extensions
  log.run(close(), T0 + HOUR + 179_999);              // not ended
  log.run(cancel());                                  // a bid stands
  log.run(close(), T0 + HOUR + 180_000);              // SOLD
  log.run(bid(CAROL, 500_000));                       // closed
  return log;
}

t.test('accepted events get seq 1, 2, 3 ... with no gaps; rejections and replays get none', async (t) => {
  const log = busyAuction();
  t.strictSame(log.events.map((e) => e.seq), log.events.map((_, i) => i + 1));
  t.strictSame(log.events.map((e) => e.type), ['created', 'edited', 'opened', 'bid', 'bid', 'bid', 'bid', 'bid', 'closed']);
  const s = stateOf(log.w.registry);
  t.equal(s.seq, log.events.length);
  t.equal(s.status, 'SOLD');
  t.equal(s.winner, BOB);
  t.equal(s.price, 70_000);
  t.equal(s.extensions, 1);
  t.equal(s.endsAt, T0 + HOUR + 180_000);
  t.equal(s.bidCount, 5);
  for (const out of log.outcomes) {
    if (out.reply.ok) t.equal(out.reply.seq, out.event?.seq ?? out.reply.seq, 'an accepted reply carries its event seq');
    else t.equal(out.event, null);
  }
  t.equal(log.outcomes.filter((o) => o.replayed).length, 1);
});

t.test('replay of the whole log equals the live state', async (t) => {
  const log = busyAuction();
  const rebuilt = replay(log.events);
  t.strictSame(rebuilt, stateOf(log.w.registry));
  t.strictSame([...rebuilt.participants], [...stateOf(log.w.registry).participants], 'participants in the same order');
  t.strictSame(AuctionActor.fromEvents(log.events).state, stateOf(log.w.registry));
});

t.test('replay of every prefix equals the state right after that event', async (t) => {
  const log = busyAuction();
  for (let n = 1; n <= log.events.length; n++) {
    t.strictSame(replay(log.events.slice(0, n)), log.states[n - 1], `after seq ${n}`);
  }
});

t.test('replay survives a journal round trip (JSON)', async (t) => {
  const log = busyAuction();
  const stored = JSON.parse(JSON.stringify(log.events)) as AuctionEvent[];
  t.strictSame(replay(stored), stateOf(log.w.registry));
});

t.test('replay after buy-now and after cancel', async (t) => {
  const a = new Log(world());
  a.create({ buyNowPrice: 50_000 });
  a.run(open());
  a.run(bid(ALICE, 10_000), T0);
  a.run(buy(BOB));
  t.strictSame(replay(a.events), stateOf(a.w.registry));
  t.equal(replay(a.events).winner, BOB);

  const c = new Log(world());
  c.create();
  c.run(open());
  c.run(bid(ALICE, 10_000), T0);
  c.run(cancel(OPERATOR, 'operator'));
  t.strictSame(replay(c.events), stateOf(c.w.registry));
  t.equal(replay(c.events).status, 'CANCELED');
});

t.test('events carry who, when, the rid, and the amounts as given', async (t) => {
  const log = new Log(world());
  log.create();
  log.run(open());
  const a = log.run(bid(ALICE, 10_000, undefined, { rid: 'ra' }), T0 + 5);
  t.match(a.event, { auction: 'a1', type: 'bid', at: T0 + 5, by: ALICE, rid: 'ra', amount: 10_000, max: null });
  const b = log.run(bid(BOB, 11_000, 25_000, { rid: 'rb' }), T0 + 6);
  t.match(b.event, { by: BOB, rid: 'rb', amount: 11_000, max: 25_000, leader: BOB, leaderMax: 25_000, price: 11_000 });
  const o = log.events[1];
  t.match(o, { type: 'opened', amount: null, max: null, by: SELLER });
});

t.test('the created event starts the state; evolve refuses anything out of order', async (t) => {
  const created = createdEvent(spec(), SELLER, 'c', T0);
  const s = initialState(created);
  t.equal(s.seq, 1);
  t.equal(s.status, 'PENDING');
  t.equal(s.price, 10_000);
  t.equal(s.participants.size, 0);
  const opened: AuctionEvent = { ...created, seq: 2, type: 'opened', status: 'OPEN', spec: undefined };
  const skip: AuctionEvent = { ...opened, seq: 3 };
  t.throws(() => evolve(cloneState(s), skip), 'a gap');
  t.throws(() => evolve(cloneState(s), { ...opened, seq: 1 }), 'a repeat');
  t.throws(() => evolve(cloneState(s), { ...created, seq: 2 }), 'a second created');
  const ok = cloneState(s);
  evolve(ok, opened);
  t.equal(ok.seq, 2);
  t.equal(ok.status, 'OPEN');
  t.throws(() => replay([]), 'an empty log');
  t.throws(() => replay([opened]), 'a log not starting with created');
  t.throws(() => initialState(opened));
});

t.test('seq is per auction', async (t) => {
  const w = world();
  createSync(w.registry, spec({ id: 'x' }));
  createSync(w.registry, spec({ id: 'y' }));
  const ox = applySync(w.registry, open(SELLER, 'user', { auction: 'x' }));
  const oy = applySync(w.registry, open(SELLER, 'user', { auction: 'y' }));
  t.equal(ox.event?.seq, 2);
  t.equal(oy.event?.seq, 2);
});

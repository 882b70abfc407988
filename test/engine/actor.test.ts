// The actor applies its commands one at a time, in arrival order: a command told while another is being
// handled (a sink that sends a command back) is queued in the mailbox and handled right after.
import t from 'tap';
import {
  AuctionActor, ManualClock, RecentReplies, createdEvent, type ActorContext, type Command, type Outcome,
} from '../../engine/index.ts';
import {
  ALICE, BOB, CAROL, T0, bid, createSync, must, open, openAuction, SELLER, spec, stateOf,
} from './fixtures.ts';

function openActor(): { actor: AuctionActor; ctx: ActorContext; clock: ManualClock } {
  const clock = new ManualClock(T0 - 1);
  const ctx: ActorContext = { clock, replies: new RecentReplies() };
  const actor = AuctionActor.fromCreated(createdEvent(spec(), SELLER, 'c', T0 - 10));
  actor.tell(open(), ctx, () => {});
  clock.set(T0);
  return { actor, ctx, clock };
}

t.test('fromCreated starts PENDING at seq 1 with an empty mailbox', async (t) => {
  const actor = AuctionActor.fromCreated(createdEvent(spec(), SELLER, 'c', T0));
  t.equal(actor.id, 'a1');
  t.equal(actor.state.seq, 1);
  t.equal(actor.state.status, 'PENDING');
  t.equal(actor.queued, 0);
});

t.test('tell handles a command at once and calls the sink synchronously', async (t) => {
  const { actor, ctx } = openActor();
  let out: Outcome | undefined;
  actor.tell(bid(ALICE, 10_000), ctx, (o) => { out = o; });
  t.ok(out, 'sink called before tell returned');
  t.match(out?.reply, { ok: true, seq: 3, leading: true });
  t.equal(actor.state.seq, 3);
});

t.test('the actor tells the context of every accepted event with the end before it', async (t) => {
  const { actor, ctx, clock } = openActor();
  const seen: Array<[string, number]> = [];
  ctx.accepted = (e, endsBefore) => seen.push([e.type, endsBefore]);
  actor.tell(bid(ALICE, 10_000), ctx, () => {});
  actor.tell(bid(BOB, 1), ctx, () => {}); // rejected: not reported
  clock.set(actor.state.endsAt - 1);
  const before = actor.state.endsAt;
  actor.tell(bid(BOB, 11_000), ctx, () => {});
  t.strictSame(seen, [['bid', before], ['bid', before]]);
  t.ok(actor.state.endsAt > before, 'the second accepted bid extended');
});

t.test('a command told from inside a sink runs after the current one completes', async (t) => {
  const { actor, ctx } = openActor();
  const log: string[] = [];
  actor.tell(bid(ALICE, 10_000), ctx, (o1) => {
    log.push(`sink1 seq=${o1.event?.seq}`);
    actor.tell(bid(BOB, 11_000), ctx, (o2) => {
      log.push(`sink2 seq=${o2.event?.seq} price=${o2.reply.ok && o2.reply.price}`);
    });
    log.push(`told2 queued=${actor.queued} seq=${actor.state.seq}`);
  });
  log.push('tell returned');
  t.strictSame(log, ['sink1 seq=3', 'told2 queued=1 seq=3', 'sink2 seq=4 price=11000', 'tell returned']);
  t.equal(actor.queued, 0, 'the mailbox is drained before tell returns');
  t.equal(actor.state.leader, BOB);
});

t.test('nested re-entrant commands keep arrival order', async (t) => {
  const { actor, ctx } = openActor();
  const order: string[] = [];
  const tell = (name: string, cmd: Command, then?: () => void) =>
    actor.tell(cmd, ctx, (o) => {
      order.push(`${name}:${o.reply.ok ? o.event?.seq : o.reply.code}`);
      then?.();
    });
  tell('1', bid(ALICE, 10_000), () => {
    tell('2', bid(BOB, 11_000), () => tell('4', bid(ALICE, 13_000)));
    tell('3', bid(CAROL, 12_000));
  });
  t.strictSame(order, ['1:3', '2:4', '3:5', '4:6']);
  t.equal(actor.state.price, 13_000);
  t.equal(actor.state.leader, ALICE);
});

t.test('a queued command is decided against the state its predecessors left', async (t) => {
  const { actor, ctx } = openActor();
  const replies: Outcome[] = [];
  actor.tell(bid(ALICE, 10_000), ctx, () => {
    // Bob sends the same amount twice; the second is queued and sees the first's price.
    actor.tell(bid(BOB, 11_000), ctx, (o) => replies.push(o));
    actor.tell(bid(BOB, 11_000), ctx, (o) => replies.push(o));
  });
  t.match(replies[0].reply, { ok: true, price: 11_000 });
  t.match(replies[1].reply, { ok: false, code: 'BID_TOO_LOW', minNext: 12_000 });
});

t.test('re-entrancy through the registry preserves order too', async (t) => {
  const w = openAuction();
  const seqs: Array<number | null> = [];
  w.registry.dispatch(bid(ALICE, 10_000), (o1) => {
    seqs.push(o1.event?.seq ?? null);
    w.registry.dispatch(bid(BOB, 11_000), (o2) => seqs.push(o2.event?.seq ?? null));
    seqs.push(-1); // marks that the inner dispatch returned before its outcome
  });
  t.strictSame(seqs, [3, -1, 4]);
  t.equal(stateOf(w.registry).seq, 4);
});

t.test('a command for another auction from inside a sink is not queued behind this one', async (t) => {
  const w = openAuction();
  createSync(w.registry, spec({ id: 'a2' }));
  const order: string[] = [];
  w.registry.dispatch(bid(ALICE, 10_000), () => {
    w.registry.dispatch(open(SELLER, 'user', { auction: 'a2' }), (o) => order.push(`a2 ${o.reply.ok}`));
    order.push('after a2');
  });
  t.strictSame(order, ['a2 true', 'after a2']);
});

t.test('apply evolves the state with an event decided elsewhere', async (t) => {
  const w = openAuction();
  const out = must(w.registry, bid(ALICE, 10_000));
  const { actor } = openActor();
  if (out.event === null) throw new Error('no event');
  actor.apply(out.event);
  t.equal(actor.state.seq, 3);
  t.equal(actor.state.leader, ALICE);
  t.throws(() => actor.apply(out.event as never), 'the same event twice is refused');
});

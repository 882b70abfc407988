// SPEC §2: a client may switch between JSON and MessagePack on any frame and loses nothing by it.
// Three sockets alternate encodings on every frame they send:
//   alice    a bidder with no subscription: her user topic is her only topic
//   carol    a bidder who also watches the auction: two topics
//   watcher  anonymous, watching one auction: its only topic
// Over hundreds of bids each receives exactly what a steady single-encoding socket of the same user or
// auction receives, in order, and every reply to its own frames exactly once, in order.
//
// The race, made to happen on every bid: uWS queues what is published and hands it to the sockets
// after the poll phase of the loop turn (or before a direct send to the socket). A commit lands in the
// poll phase; a switching frame read later in the same phase used to take the socket off its topics in
// between, and a socket that leaves its last topic loses what was queued for it. So each commit is held
// once written and released from a socket read that the switching frames follow in the same phase.
import net from 'node:net';
import t, { type Test } from 'tap';
import type { BidJournal } from '../../storage/auction/ports.ts';
import { withAppend } from '../helpers/journal.ts';
import { boot, Client, openAuction, rid, type Frame } from './harness.ts';

const ROUNDS = 200;

/** Holds each journal append, once durable, until released. */
class Gate {
  private held: (() => void)[] = [];
  private arrived: (() => void) | null = null;
  closed = true;

  wrap(j: BidJournal): BidJournal {
    return withAppend(j, async (batch) => {
      await j.append(batch);
      if (!this.closed) await new Promise<void>((resolve) => this.hold(resolve));
    });
  }

  private hold(release: () => void): void {
    this.held.push(release);
    this.arrived?.();
  }

  /** Resolves once an append is held. */
  async next(): Promise<void> {
    if (this.held.length === 0) await new Promise<void>((resolve) => (this.arrived = resolve));
    this.arrived = null;
  }

  release(): void {
    for (const r of this.held.splice(0)) r();
  }
}

const gate = new Gate();
const b = await boot({ WS_COMMANDS_PER_SECOND: '1000000' }, {
  wrapStores: (s) => {
    s.journal = gate.wrap(s.journal);
    return s;
  },
});
t.teardown(() => b.stop());
const auction = await openAuction(b, 'seller');

// The release: a byte on a plain TCP connection, read by the server's loop like any socket.
const releaser = net.createServer((s) => s.on('data', () => gate.release()));
await new Promise<void>((resolve) => releaser.listen(0, '127.0.0.1', resolve));
const trigger = net.connect((releaser.address() as net.AddressInfo).port, '127.0.0.1');
await new Promise<void>((resolve) => trigger.once('connect', resolve));
t.teardown(() => {
  trigger.destroy();
  releaser.close();
});

const open = async (o: { user?: string; enc?: 'json' | 'msgpack'; alternate?: boolean; watch?: boolean }) => {
  const c = await Client.open(b.ws, { enc: o.enc, alternate: o.alternate, token: o.user === undefined ? undefined : await b.token(o.user) });
  if (o.user !== undefined) await c.type('authed');
  if (o.watch === true) {
    c.send({ t: 'sub', auctions: [auction] });
    await c.type('snap');
  }
  return c;
};
const bob = await open({ user: 'bob', enc: 'msgpack' });
const alice = await open({ user: 'alice', alternate: true });
const aliceRef = await open({ user: 'alice' });
const carol = await open({ user: 'carol', enc: 'msgpack', alternate: true, watch: true });
const carolRef = await open({ user: 'carol', enc: 'msgpack', watch: true });
const watcher = await open({ alternate: true, watch: true });
const watcherRef = await open({ enc: 'msgpack', watch: true });
t.teardown(() => Promise.all([bob, alice, aliceRef, carol, carolRef, watcher, watcherRef].map((c) => c.close())));

/** Filler frames of one socket: an `unsub` of an id nobody watches, answered `unsubbed`. */
class Filler {
  readonly sent: string[] = [];
  constructor(readonly c: Client, private readonly name: string) {}
  send(): string {
    const id = `${this.name}-${this.sent.length}`;
    this.sent.push(id);
    this.c.send({ t: 'unsub', auctions: [id] });
    return id;
  }
  /** Its reply comes after everything published to the socket before it. */
  async flush(): Promise<void> {
    const last = this.send();
    await this.c.take((f) => f.t === 'unsubbed' && f.auctions[0] === last, 10_000, `unsubbed ${last}`);
  }
}

// Each bid outbids the one before, one bidder at a time (a round is alice, carol, alice, bob), so most
// notices and px are published in a commit with no reply to the socket they are for. Alice is owed two
// notices a round, carol one.
const sentRids = new Map<Client, string[]>([[alice, []], [carol, []], [bob, []]]);
const accepted: { by: string; seq: number }[] = [];
const fillers = [new Filler(alice, 'a'), new Filler(carol, 'c'), new Filler(watcher, 'w')];
let amount = 10_000;
gate.closed = false;
for (let r = 0; r < ROUNDS; r++) {
  for (const [by, c] of [['alice', alice], ['carol', carol], ['alice', alice], ['bob', bob]] as const) {
    const id = rid(by);
    sentRids.get(c)!.push(id);
    c.send({ t: 'bid', rid: id, auction, amount });
    await gate.next();
    // The release is read first; then, in the same poll phase, every switching socket's next frame.
    trigger.write('x');
    for (const f of fillers) f.send();
    const ack = await c.take((f) => f.t === 'ack' && f.rid === id, 10_000, `ack ${id}`);
    if (ack.ok !== true) throw new Error(`bid refused: ${JSON.stringify(ack)}`);
    accepted.push({ by, seq: ack.seq as number });
    amount += 1_000;
  }
}
gate.closed = true;
gate.release();
await Promise.all(fillers.map((f) => f.flush()));
// The steady sockets sent nothing since: one frame each, answered after what was published to them.
await Promise.all([aliceRef, carolRef, watcherRef].map((c) => new Filler(c, 'ref').flush()));

/** The outbid notices each bidder is owed: one per bid that took the lead from them. */
const owed = new Map<string, number[]>();
for (let i = 1; i < accepted.length; i++) {
  const before = accepted[i - 1].by;
  if (before !== accepted[i].by) owed.set(before, [...(owed.get(before) ?? []), accepted[i].seq]);
}
/** One px per bid: each bid was committed alone. */
const pxSeqs = accepted.map((a) => a.seq);
const frames = (c: Client, type: string): Frame[] => c.log.filter((l) => l.frame.t === type).map((l) => l.frame);
const seqs = (fs: Frame[]) => fs.map((f) => f.seq as number);

function repliesOnce(t: Test, c: Client, filler: Filler): void {
  t.same(frames(c, 'ack').map((f) => f.rid), sentRids.get(c) ?? [], 'every ack once, in order');
  t.same(frames(c, 'unsubbed').map((f) => f.auctions[0]), filler.sent, `every one of ${filler.sent.length} filler replies once, in order`);
  t.same(frames(c, 'error'), [], 'no error');
  t.ok(c.log.some((l) => l.binary) && c.log.some((l) => !l.binary), 'answered in both encodings');
}

t.test('a bidder with no subscription gets every notice', async (t) => {
  const got = frames(alice, 'notice');
  t.same(seqs(got), owed.get('alice'), `${got.length} of ${owed.get('alice')?.length} outbid notices, in order, none twice`);
  t.same(got, frames(aliceRef, 'notice'), 'the same notices as her steady socket');
  t.same(frames(alice, 'px'), [], 'no px: she watches nothing');
  repliesOnce(t, alice, fillers[0]);
});

t.test('a bidder who watches gets every notice and every update', async (t) => {
  const got = frames(carol, 'notice');
  t.same(seqs(got), owed.get('carol'), `${got.length} of ${owed.get('carol')?.length} outbid notices, in order, none twice`);
  t.same(got, frames(carolRef, 'notice'), 'the same notices as her steady socket');
  const px = frames(carol, 'px');
  t.same(seqs(px), pxSeqs, `${px.length} of ${pxSeqs.length} px, in order, none twice`);
  t.same(px, frames(carolRef, 'px'), 'the same px as her steady socket');
  repliesOnce(t, carol, fillers[1]);
});

t.test('a watcher of one auction gets every update', async (t) => {
  const px = frames(watcher, 'px');
  t.same(seqs(px), pxSeqs, `${px.length} of ${pxSeqs.length} px, in order, none twice`);
  t.same(px, frames(watcherRef, 'px'), 'the same px as a steady watcher');
  t.equal(frames(watcher, 'snap').length, 1, 'one snap: the one its sub asked for');
  t.same(frames(watcher, 'notice'), [], 'no notice: anonymous');
  t.same(frames(watcher, 'ack'), [], 'no ack');
  repliesOnce(t, watcher, fillers[2]);
});

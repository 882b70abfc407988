// Group commit and its lanes, against a journal whose appends the test settles by hand.
import t from 'tap';
import type { AuctionEvent } from '../../engine/index.ts';
import type { BidJournal, JournalBatch } from '../../storage/auction/ports.ts';
import type { CommitListener } from '../../app/auction/committer.ts';
import { CommitLanes, laneOf } from '../../app/auction/lanes.ts';
import { Chain } from '../helpers/auctions.ts';

interface Held { batch: JournalBatch; resolve(): void; reject(err: Error): void }

/** A journal that holds every append until the test settles it. */
function heldJournal(): BidJournal & { held: Held[] } {
  const held: Held[] = [];
  const no = () => Promise.reject(new Error('not used'));
  return {
    held,
    append: (batch) => new Promise<void>((resolve, reject) => { held.push({ batch, resolve, reject }); }),
    read: no, live: no, tails: no, summary: no, after: no,
  };
}

function recorder() {
  const log: string[] = [];
  const listener: CommitListener<number> = {
    sealed: (events) => { log.push(`sealed ${events.map((e) => e.seq).join(',')}`); return events.length; },
    committed: (events) => { log.push(`committed ${events.map((e) => e.seq).join(',')}`); },
    failed: (events) => { log.push(`failed ${events.map((e) => e.seq).join(',')}`); },
  };
  return { log, listener };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Two auctions whose ids fall on different lanes of two. */
function twoLanes(): [Chain, Chain] {
  const a = new Chain();
  for (;;) {
    const b = new Chain();
    if (laneOf(b.id, 2) !== laneOf(a.id, 2)) return [a, b];
  }
}

t.test('one batch in flight per lane; lanes commit side by side', async (t) => {
  const journal = heldJournal();
  const { log, listener } = recorder();
  const lanes = new CommitLanes(journal, listener, { lanes: 2, maxPending: 100 });
  const [a, b] = twoLanes();
  const done: string[] = [];
  const add = (c: Chain, e: AuctionEvent) => lanes.add(c.id, e, null, [], (err) => done.push(`${c.id === a.id ? 'a' : 'b'}${e.seq}${err ? '!' : ''}`));
  add(a, a.created());
  add(b, b.created());
  await turn();
  t.equal(journal.held.length, 2, 'both lanes write at once');
  add(a, a.opened());
  await turn();
  t.equal(journal.held.length, 2, 'the next batch of a busy lane waits for its commit');
  t.equal(lanes.pending, 3);

  journal.held[0].resolve();
  await turn();
  t.equal(journal.held.length, 3, 'lane a sends its next batch once the first is durable');
  t.same(log.slice(-3), ['sealed 1', 'sealed 2', 'committed 1'], 'and hands it to the journal before releasing the first');
  t.same(done, ['a1'], 'only the durable one is answered');

  journal.held[1].reject(new Error('disk on fire'));
  await turn();
  t.same(done, ['a1', 'b1!'], 'a failure fails its own lane only');
  journal.held[2].resolve();
  await turn();
  t.same(done, ['a1', 'b1!', 'a2']);
  t.equal(lanes.pending, 0);
  t.match(lanes.stats, { batches: 2, entries: 2 });
});

t.test('afterPending waits for its auction\'s lane only', async (t) => {
  const journal = heldJournal();
  const lanes = new CommitLanes(journal, recorder().listener, { lanes: 2, maxPending: 100 });
  const [a, b] = twoLanes();
  lanes.add(a.id, a.created(), null, [], () => {});
  await turn();
  let aWaited = false;
  let bWaited = false;
  lanes.afterPending(a.id, () => { aWaited = true; });
  lanes.afterPending(b.id, () => { bWaited = true; });
  await turn();
  t.ok(bWaited, 'nothing pending on b\'s lane: at once');
  t.notOk(aWaited, 'a waits for its batch');
  journal.held[0].resolve();
  await turn();
  t.ok(aWaited);
  await lanes.drain();
});

t.test('afterAll waits for every lane, and reports a failure on any', async (t) => {
  const journal = heldJournal();
  const lanes = new CommitLanes(journal, recorder().listener, { lanes: 2, maxPending: 100 });
  const [a, b] = twoLanes();
  lanes.add(a.id, a.created(), null, [], () => {});
  lanes.add(b.id, b.created(), null, [], () => {});
  await turn();
  const heard: (Error | null)[] = [];
  lanes.afterAll((err) => heard.push(err));
  journal.held[0].resolve();
  await turn();
  t.same(heard, [], 'one lane durable is not enough');
  journal.held[1].reject(new Error('disk on fire'));
  await turn();
  t.equal(heard.length, 1);
  t.match(heard[0], { message: 'disk on fire' });
  const idle: (Error | null)[] = [];
  lanes.afterAll((err) => idle.push(err));
  t.same(idle, [null], 'nothing pending: at once');
});

t.test('full counts every lane against one budget', async (t) => {
  const journal = heldJournal();
  const lanes = new CommitLanes(journal, recorder().listener, { lanes: 4, maxPending: 3 });
  const chains = [new Chain(), new Chain(), new Chain()];
  for (const c of chains) lanes.add(c.id, c.created(), null, [], () => {});
  t.ok(lanes.full, 'three pending over any lanes fill a budget of three');
  await turn();
  for (const h of journal.held) h.resolve();
  await lanes.drain();
  t.notOk(lanes.full);
  t.equal(lanes.pending, 0);
});

t.test('laneOf spreads ids and is stable', async (t) => {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i++) counts[laneOf(`auction-${i}`, 4)]++;
  t.ok(counts.every((n) => n > 800), `each lane gets a fair share (${counts.join(', ')})`);
  t.equal(laneOf('x', 4), laneOf('x', 4));
  t.equal(laneOf('anything', 1), 0, 'one lane: always 0');
});

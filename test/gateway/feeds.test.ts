// Unit tests of the gateway's small parts: the resume ring, the token bucket, the queued-bytes estimate.
import t from 'tap';
import { Strikes, TokenBucket } from '../../gateway/bucket.ts';
import { Feed } from '../../gateway/feeds.ts';
import { pxOf } from '../../gateway/frames.ts';
import { noneQueued, QueuedBytes } from '../../gateway/queued.ts';
import type { AuctionView } from '../../storage/auction/ports.ts';

const view = (seq: number): AuctionView => ({ auction: 'a', seq, status: 'OPEN', price: seq * 100, bidCount: seq, leader: 'a*', minNext: seq * 100 + 1, endsAt: 9, buyNowPrice: null, reserveMet: true });

t.test('the ring resumes what it covers and refuses the rest', async (t) => {
  const feed = new Feed(view(2), 3);
  t.same(feed.since(2), [], 'at the head: nothing missed');
  t.equal(feed.since(1), null, 'nothing recorded yet: a snap');
  // Coalesced frames: (2,4], (4,5], (5,8], (8,9]; capacity 3 drops the first.
  for (const [from, seq] of [[2, 4], [4, 5], [5, 8], [8, 9]]) feed.push(from, pxOf(view(seq)), view(seq));
  t.same(feed.since(9), [], 'up to date');
  t.same(feed.since(8)?.map((f) => f.seq), [9]);
  t.same(feed.since(6)?.map((f) => f.seq), [8, 9], 'a seq inside a coalesced frame gets that frame');
  t.same(feed.since(4)?.map((f) => f.seq), [5, 8, 9], 'the oldest kept frame starts after 4');
  t.equal(feed.since(3), null, 'older than the ring');
  t.equal(feed.since(10), null, 'from the future');
  t.equal(new Feed(view(1), 0).since(0), null, 'a zero ring never resumes');
});

t.test('token bucket: a one-second burst, then the refill rate', async (t) => {
  let now = 0;
  const bucket = new TokenBucket(5, () => now);
  let taken = 0;
  for (let i = 0; i < 10; i++) if (bucket.take()) taken++;
  t.equal(taken, 5, 'burst');
  now += 200;
  t.ok(bucket.take(), 'one token back after 200 ms');
  t.notOk(bucket.take());
  const strikes = new Strikes(2, () => now);
  t.notOk(strikes.hit());
  t.notOk(strikes.hit());
  t.ok(strikes.hit(), 'the third refusal within a second is one too many');
  now += 1500;
  t.notOk(strikes.hit(), 'a new second starts over');
});

t.test('queued bytes are counted for two generations, then forgotten', async (t) => {
  const q = new QueuedBytes();
  const s = noneQueued();
  q.add(s, 100);
  q.add(s, 50);
  t.equal(q.get(s), 150);
  await new Promise((r) => setImmediate(r));
  t.equal(q.get(s), 150, 'still counted one generation later');
  for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
  t.equal(q.get(s), 0, 'delivered for sure two generations later');
  q.add(s, 10);
  q.delivered(s);
  t.equal(q.get(s), 0, 'a direct send delivers the queue');
});

// A slow consumer: a client that stops reading while many px are published. Its send buffer stays
// within the limit plus one frame (it is taken off its topics instead of queueing a backlog), the other
// watchers are not held up, and when it reads again it gets a fresh snap with the latest state.
import t from 'tap';
import type { Socket } from 'node:net';
import { CLOSE } from '../../gateway/protocol.ts';
import { boot, Client, HOUR } from './harness.ts';

const LIMIT = 64 * 1024;
const AUCTIONS = 40;
const b = await boot({ WS_MAX_BACKPRESSURE_BYTES: String(LIMIT), WS_MAX_SUBSCRIPTIONS: String(AUCTIONS), WS_COMMANDS_PER_SECOND: '10000' });
t.teardown(() => b.stop());
const service = b.server.service;

// Set up many auctions straight through the service: the test is about fan-out, not setup.
const now = Date.now();
const ids: string[] = [];
for (let i = 0; i < AUCTIONS; i++) {
  const id = `slow-consumer-auction-${String(i).padStart(42, '0')}`; // long ids make fat frames
  const spec = { id, sellerId: 'seller', productId: 'p', startPrice: 1_000, bidUnit: 1, buyNowPrice: null, reservePrice: null, startsAt: now, endsAt: now + HOUR, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 } };
  const c = await service.createAsync(spec, 'seller', `c${i}`);
  const o = await service.submitAsync({ t: 'open', auction: id, rid: `o${i}`, by: 'seller', role: 'user' });
  if (!c.ok || !o.ok) throw new Error(`setup failed: ${JSON.stringify([c, o])}`);
  ids.push(id);
}

let round = 0;
/** One bid on every auction, alternating bidders so each is accepted. */
const bidRound = () => {
  round++;
  return Promise.all(ids.map((id) => service.submitAsync({ t: 'bid', auction: id, rid: `b${round}-${id.slice(-6)}`, by: round % 2 ? 'alice' : 'bob', amount: 1_000 + round })));
};
/** Publish until the gateway has lagged `n` sockets in all (kernel buffers absorb the first MBs). */
async function until(n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (b.server.gateway.stats.lagged < n && Date.now() < deadline) await bidRound();
}

t.test('a reader that stops is dropped from topics, bounded, and caught up with a snap', async (t) => {
  const slow = await Client.open(b.ws);
  const fast = await Client.open(b.ws, { enc: 'msgpack' });
  t.teardown(() => Promise.all([slow.close(), fast.close()]));
  slow.send({ t: 'sub', auctions: ids });
  fast.send({ t: 'sub', auctions: ids });
  for (let i = 0; i < AUCTIONS; i++) await slow.type('snap');
  for (let i = 0; i < AUCTIONS; i++) await fast.type('snap');

  (slow.ws as unknown as { _socket: Socket })._socket.pause();
  const received = slow.log.length;

  await until(1);
  t.ok(b.server.gateway.stats.lagged >= 1, `the slow socket was taken off its topics after ${round} rounds`);
  const lagSeq = new Map(ids.map((id) => [id, service.view(id)!.seq]));
  // A few more rounds while it lags: these must not queue up for it.
  for (let extra = 0; extra < 20; extra++) await bidRound();
  const frame = 400; // generous bound on one px frame
  t.ok(b.server.gateway.stats.maxBuffered <= LIMIT + frame, `send buffer peaked at ${b.server.gateway.stats.maxBuffered} <= ${LIMIT} + one frame`);

  // The fast watcher was not held up: it has the latest px of every auction.
  for (const id of ids) {
    const seq = service.view(id)!.seq;
    await fast.take((f) => f.t === 'px' && f.auction === id && f.seq === seq, 10_000, `fast px ${id}`);
  }

  (slow.ws as unknown as { _socket: Socket })._socket.resume();
  // It reads the backlog the kernel held, then one fresh snap per auction with the latest state.
  for (const id of ids) {
    const seq = service.view(id)!.seq;
    await slow.take((f) => f.t === 'snap' && f.auction === id && f.seq === seq, 10_000, `fresh snap ${id}`);
  }
  t.pass('every auction caught up with a fresh snap');
  t.ok(b.server.gateway.stats.recovered >= 1, 'the socket recovered');
  t.ok(slow.ws.readyState === slow.ws.OPEN, 'and stays connected');
  const backlog = slow.log.slice(received).filter((l) => l.frame.t === 'px' && l.frame.seq > lagSeq.get(l.frame.auction)!);
  t.equal(backlog.length, 0, `none of the ${20 * AUCTIONS} px published while it lagged was queued for it`);

  // Live again: the next px reaches it.
  const id = ids[0];
  const r = await service.submitAsync({ t: 'bid', auction: id, rid: 'after', by: 'carol', amount: 1_000_000 });
  t.match(await slow.type('px', { auction: id, seq: r.ok ? r.seq : -1 }), { price: 1_000_000 });
});

t.test('a reply that cannot be queued closes the socket with SLOW_CONSUMER', async (t) => {
  const slow = await Client.open(b.ws);
  t.teardown(() => slow.close());
  slow.send({ t: 'sub', auctions: ids });
  for (let i = 0; i < AUCTIONS; i++) await slow.type('snap');
  const socket = (slow.ws as unknown as { _socket: Socket })._socket;
  socket.pause();
  const lagged = b.server.gateway.stats.lagged;
  await until(lagged + 1);
  // Each `sub` answers with one snap per auction, sent directly; keep asking until they no longer fit
  // (the kernel's send buffer grows first, up to a few MB).
  const deadline = Date.now() + 30_000;
  while (b.server.gateway.stats.closedSlow === 0 && Date.now() < deadline) {
    slow.send({ t: 'sub', auctions: ids });
    await new Promise((r) => setTimeout(r, 2));
  }
  t.ok(b.server.gateway.stats.closedSlow >= 1, 'the server gave up on it');
  socket.resume();
  const closed = await slow.closed;
  t.equal(closed.code, CLOSE.SLOW_CONSUMER);
});

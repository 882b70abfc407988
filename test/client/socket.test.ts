// The socket's state machine against a fake WebSocket whose server side the test plays, on timers moved
// by hand: encodings, resume with since, seq continuity and repair, commands re-sent with their rid
// after a reconnect and answered once, retries, token renewal, close codes and the send rate.
import t from 'tap';
import { CommandAbandoned, OkjSocket, SocketError, type SocketOptions, type Stream, type TokenSource } from '../../client/index.ts';
import { FakeSocket, ManualTimers, px, settle, snap, type Frame } from './fakes.ts';

const A = 'auction-a';

function make(o: Partial<SocketOptions> = {}) {
  FakeSocket.made = [];
  const timers = new ManualTimers();
  const socket = new OkjSocket({
    url: 'ws://test/ws', WebSocket: FakeSocket, timers, now: () => timers.now, random: () => 0.5,
    backoff: { baseMs: 100, capMs: 2_000 }, ...o,
  });
  const events: { name: string; e: unknown }[] = [];
  for (const name of ['state', 'gap', 'repaired', 'px', 'snap', 'end', 'error', 'refused', 'authed', 'notice'] as const) {
    socket.on(name, (e) => events.push({ name, e }));
  }
  return { socket, timers, events, named: (n: string) => events.filter((e) => e.name === n).map((e) => e.e) };
}

async function connected(o: Partial<SocketOptions> = {}) {
  const m = make(o);
  m.socket.connect();
  await settle();
  const ws = FakeSocket.last();
  ws.accept();
  return { ...m, ws };
}

t.test('MessagePack by default, JSON on request; auth first, then the subscriptions', async (t) => {
  const { socket, ws } = await connected({ auth: 'token-1' });
  socket.watch(A);
  t.same(ws.sent.map((s) => [s.frame.t, s.binary]), [['auth', true], ['sub', true]]);
  t.same(ws.frames('sub')[0], { t: 'sub', auctions: [A] }, 'a new watch asks for a snap (no since)');
  ws.deliver({ t: 'authed', userId: 'alice' });
  t.equal(socket.userId, 'alice');
  socket.close();

  const json = await connected({ encoding: 'json' });
  json.socket.watch(A);
  t.same(json.ws.sent.map((s) => s.binary), [false], 'text frames');
  json.ws.deliver(snap(A, 3), false);
  t.equal(json.socket.view(A)?.seq, 3, 'JSON frames are read too');
  json.socket.close();
});

t.test('seq continuity: px applied, coalesced px applied, stale dropped, a gap repaired by a fresh snap', async (t) => {
  const { socket, ws, named } = await connected();
  socket.watch(A);
  ws.deliver(snap(A, 5, { bidCount: 2, price: 12_000 }));
  ws.deliver(px(A, 6, 3, 13_000));
  t.equal(socket.view(A)?.price, 13_000);
  ws.deliver(px(A, 8, 5, 15_000)); // two bids coalesced in one commit
  t.match(socket.view(A), { seq: 8, bidCount: 5, price: 15_000 });
  ws.deliver(px(A, 7, 4, 14_000));
  t.equal(socket.view(A)?.seq, 8, 'a stale frame is dropped');
  t.equal(named('gap').length, 0);

  // seq moved by 3 but only 1 bid: something else happened (an edit, a snap we never saw).
  ws.deliver(px(A, 11, 6, 16_000));
  t.equal(named('gap').length, 1, 'a gap');
  t.same(ws.frames('sub').at(-1), { t: 'sub', auctions: [A] }, 'asks for a fresh snap: sub without since');
  t.equal(socket.view(A)?.seq, 8, 'the frame after the gap is not applied');
  ws.deliver(px(A, 12, 7, 17_000));
  t.equal(socket.view(A)?.seq, 8, 'nor any before the snap');
  ws.deliver(snap(A, 12, { bidCount: 7, price: 17_000 }));
  t.match(socket.view(A), { seq: 12, bidCount: 7, price: 17_000 });
  t.same(named('repaired'), [{ auction: A, seq: 12 }]);
  t.same(socket.auctions.gaps, { seen: 1, repaired: 1 });
  ws.deliver(px(A, 13, 8, 18_000));
  t.equal(socket.view(A)?.seq, 13, 'live again');
  socket.close();
});

t.test('end: the next seq is applied; a jump is a gap', async (t) => {
  const { socket, ws, named } = await connected();
  socket.watch(['x', 'y']);
  ws.deliver(snap('x', 4, { bidCount: 2 }));
  ws.deliver(snap('y', 4, { bidCount: 2 }));
  ws.deliver({ t: 'end', auction: 'x', seq: 5, status: 'SOLD', price: 12_000, winner: 'b***b' });
  t.match(socket.view('x'), { status: 'SOLD', winner: 'b***b', seq: 5 });
  ws.deliver({ t: 'end', auction: 'y', seq: 6, status: 'SOLD', price: 12_000, winner: 'b***b' }); // a bid and the close in one commit
  t.equal(named('gap').length, 1);
  t.equal(socket.view('y')?.status, 'OPEN', 'not applied: bidCount would be wrong');
  ws.deliver(snap('y', 6, { status: 'SOLD', bidCount: 3, leader: 'b***b', price: 12_000 }));
  t.match(socket.view('y'), { status: 'SOLD', bidCount: 3, winner: 'b***b' });
  socket.close();
});

t.test('a px after a PENDING snap is a gap (the opened snap was missed)', async (t) => {
  const { socket, ws, named } = await connected();
  socket.watch(A);
  ws.deliver(snap(A, 1, { status: 'PENDING' }));
  ws.deliver(px(A, 3, 1, 10_000));
  t.equal(named('gap').length, 1);
  socket.close();
});

t.test('reconnect: backoff, resume with since, the unanswered bid sent again with its rid and answered once', async (t) => {
  let n = 0;
  const { socket, ws, timers, named } = await connected({ auth: 'tok', newRid: () => `rid-${++n}` });
  socket.watch(A);
  ws.deliver({ t: 'authed', userId: 'alice' });
  ws.deliver(snap(A, 7, { bidCount: 3 }));
  const answered = socket.bid(A, 15_000, 20_000);
  const settled: unknown[] = [];
  void answered.then((a) => settled.push(a));
  t.same(ws.frames('bid'), [{ t: 'bid', rid: 'rid-1', auction: A, amount: 15_000, max: 20_000 }]);

  ws.drop(1006); // the server died before the ack
  const waiting = named('state').at(-1) as { state: string; delayMs: number };
  t.equal(waiting.state, 'waiting');
  t.ok(waiting.delayMs >= 0 && waiting.delayMs <= 100, `first delay within the base: ${waiting.delayMs}`);
  t.equal(socket.pending.length, 1, 'the bid still waits');
  timers.advance(waiting.delayMs);
  await settle();
  const ws2 = FakeSocket.last();
  t.not(ws2, ws, 'a new socket');
  ws2.accept();
  t.same(ws2.frames(), [
    { t: 'auth', token: 'tok' },
    { t: 'sub', auctions: [A], since: { [A]: 7 } },
    { t: 'bid', rid: 'rid-1', auction: A, amount: 15_000, max: 20_000 },
  ], 'auth, resume from seq 7, the same bid with the same rid');
  const ack = { t: 'ack', rid: 'rid-1', ok: true, seq: 8, price: 15_000, leading: true, endsAt: 1, status: 'OPEN' };
  ws2.deliver(ack);
  ws2.deliver(ack); // a repeat (the bid was also sent twice): ignored
  await settle();
  t.same(settled, [ack], 'resolved once with the ack');
  t.equal(socket.pending.length, 0);
  socket.close();
});

t.test('delays grow while the server stays down, and start over once it answers', async (t) => {
  const { socket, ws, timers, named } = await connected({ random: () => 0.9999 });
  ws.drop(1006);
  const delays: number[] = [];
  for (let i = 0; i < 6; i++) {
    const d = (named('state').at(-1) as { delayMs: number }).delayMs;
    delays.push(d);
    timers.advance(d);
    await settle();
    FakeSocket.last().drop(1006); // refused again
  }
  t.same(delays, [100, 200, 400, 800, 1_600, 2_000], 'doubling to the cap');
  const d = (named('state').at(-1) as { delayMs: number }).delayMs;
  timers.advance(d);
  await settle();
  const up = FakeSocket.last();
  up.accept();
  up.deliver({ t: 'unsubbed', auctions: [] }); // any answer
  up.drop(1006);
  t.equal((named('state').at(-1) as { delayMs: number }).delayMs, 100, 'back to the base');
  socket.close();
});

t.test('close codes', async (t) => {
  t.test('4029 RATE_LIMITED: not before half the cap, and sending at half the rate', async (t) => {
    const { socket, ws, named } = await connected({ framesPerSecond: 20, random: () => 0 });
    ws.drop(4029, 'rate limited');
    const s = named('state').at(-1) as { delayMs: number; code: number };
    t.equal(s.code, 4029);
    t.ok(s.delayMs >= 1_000, `waits ${s.delayMs} ms`);
    socket.close();
  });
  t.test('1001 SERVER_SHUTDOWN and 4008 SLOW_CONSUMER: reconnect and resume', async (t) => {
    for (const code of [1001, 4008]) {
      const { socket, ws, timers, named } = await connected();
      socket.watch(A);
      ws.deliver(snap(A, 9));
      ws.drop(code);
      timers.advance((named('state').at(-1) as { delayMs: number }).delayMs);
      await settle();
      FakeSocket.last().accept();
      t.same(FakeSocket.last().frames(), [{ t: 'sub', auctions: [A], since: { [A]: 9 } }], `${code}: resumed`);
      socket.close();
    }
  });
  t.test('close() by the caller: no reconnect, waiting commands abandoned with their rid', async (t) => {
    const { socket, timers } = await connected({ auth: 'tok', newRid: () => 'r1' });
    const p = socket.buy(A);
    socket.close();
    const err = await p.catch((e: unknown) => e);
    t.ok(err instanceof CommandAbandoned);
    t.equal((err as CommandAbandoned).rid, 'r1');
    timers.advance(60_000);
    await settle();
    t.equal(FakeSocket.made.length, 1, 'no new socket');
    t.equal(socket.state, 'closed');
  });
});

t.test('a reply asking for a retry: the same rid again after a pause', async (t) => {
  const { socket, ws, timers } = await connected({ auth: 'tok', newRid: () => 'r-busy' });
  const p = socket.bid(A, 11_000);
  ws.deliver({ t: 'ack', rid: 'r-busy', ok: false, code: 'STORE_UNAVAILABLE', message: 'retry' });
  t.equal(ws.frames('bid').length, 1, 'not at once');
  timers.advance(1_000);
  t.equal(ws.frames('bid').length, 2, 'sent again');
  t.equal(ws.frames('bid')[1].rid, 'r-busy');
  ws.deliver({ t: 'ack', rid: 'r-busy', ok: false, code: 'BID_TOO_LOW', message: 'low', minNext: 12_000 });
  t.match(await p, { ok: false, code: 'BID_TOO_LOW', minNext: 12_000 }, 'a rule\'s refusal resolves (it is an answer)');
  socket.close();
});

t.test('an expired token: renewed, authenticated again, and the command sent again with its rid', async (t) => {
  let refreshed = 0;
  const auth: TokenSource = { accessToken: async () => 'old', refreshAccessToken: async () => `new-${++refreshed}` };
  const { socket, ws } = await connected({ auth, newRid: () => 'r-exp' });
  const p = socket.bid(A, 11_000);
  ws.deliver({ t: 'error', code: 'UNAUTHENTICATED', message: 'the access token has expired', rid: 'r-exp' });
  await settle();
  t.equal(refreshed, 1);
  t.same(ws.frames().slice(-2), [{ t: 'auth', token: 'new-1' }, { t: 'bid', rid: 'r-exp', auction: A, amount: 11_000 }]);
  ws.deliver({ t: 'ack', rid: 'r-exp', ok: true, seq: 2, price: 11_000, leading: true, endsAt: 1, status: 'OPEN' });
  t.match(await p, { ok: true });
  socket.close();
});

t.test('a token that cannot be renewed: the command is rejected with UNAUTHENTICATED', async (t) => {
  const { socket, ws } = await connected({ auth: 'fixed', newRid: () => 'r-no' });
  const p = socket.bid(A, 11_000);
  ws.deliver({ t: 'error', code: 'UNAUTHENTICATED', message: 'the access token has expired', rid: 'r-no' });
  const err = await p.catch((e: unknown) => e);
  t.ok(err instanceof SocketError && err.code === 'UNAUTHENTICATED' && err.rid === 'r-no');
  socket.close();
});

t.test('a refused auth: one renewal, then an error event; watching goes on', async (t) => {
  const { socket, ws, named } = await connected({ auth: 'bad' });
  ws.deliver({ t: 'error', code: 'UNAUTHENTICATED', message: 'the access token is invalid' });
  await settle();
  t.equal(named('error').length, 1);
  t.equal((named('error')[0] as SocketError).code, 'UNAUTHENTICATED');
  socket.close();
});

t.test('the token is renewed before it expires and the live socket authenticates again', async (t) => {
  const timers = new ManualTimers();
  let current = 'tok-1';
  let expires = timers.now + 10 * 60_000;
  const auth: TokenSource = {
    accessToken: async () => current,
    refreshAccessToken: async () => {
      current = 'tok-2';
      expires = timers.now + 10 * 60_000;
      return current;
    },
    expiresAt: () => expires,
  };
  FakeSocket.made = [];
  const socket = new OkjSocket({ url: 'ws://x/ws', WebSocket: FakeSocket, timers, now: () => timers.now, auth });
  socket.connect();
  await settle();
  FakeSocket.last().accept();
  timers.advance(9 * 60_000 - 1);
  await settle();
  t.same(FakeSocket.last().frames('auth').map((f) => f.token), ['tok-1'], 'not yet');
  timers.advance(2);
  await settle();
  t.same(FakeSocket.last().frames('auth').map((f) => f.token), ['tok-1', 'tok-2'], 'a minute before the end');
  socket.close();
});

t.test('subscriptions refused: NOT_FOUND stops watching; STORE_UNAVAILABLE asks again', async (t) => {
  const { socket, ws, timers, named } = await connected();
  socket.watch(['gone', 'busy']);
  ws.deliver({ t: 'error', code: 'NOT_FOUND', message: 'no such auction', auction: 'gone' });
  ws.deliver({ t: 'error', code: 'STORE_UNAVAILABLE', message: 'retry', auction: 'busy' });
  t.same(socket.auctions.watched(), ['busy']);
  t.equal(named('refused').length, 1);
  t.equal(named('error').length, 0, 'both handled');
  timers.advance(1_000);
  t.same(ws.frames('sub').at(-1), { t: 'sub', auctions: ['busy'] });
  socket.close();
});

t.test('the send rate: frames queue instead of being refused; RATE_LIMITED halves it and resends', async (t) => {
  let n = 0;
  const { socket, ws, timers } = await connected({ auth: 'tok', framesPerSecond: 10, newRid: () => `r${++n}` });
  for (let i = 0; i < 30; i++) void socket.bid(A, 10_000 + i * 1_000).catch(() => {});
  t.equal(ws.sent.length, 10, 'a burst of one second\'s worth (auth included)');
  timers.advance(1_000);
  t.equal(ws.sent.length, 20, 'then the rate');
  ws.deliver({ t: 'error', code: 'RATE_LIMITED', message: 'slow down' });
  const before = ws.sent.length;
  timers.advance(1_000);
  t.ok(ws.sent.length - before <= 6, `at most half the rate after (${ws.sent.length - before} in a second)`);
  timers.advance(10_000);
  const rids = ws.frames('bid').map((f) => f.rid as string);
  t.equal(new Set(rids).size, 30, 'every bid went out');
  t.ok(rids.length > 30, 'and those possibly dropped went again, same rid');
  socket.close();
});

t.test('clock: a snap answering our sub sets serverNow', async (t) => {
  const { socket, ws, timers } = await connected();
  socket.watch(A);
  timers.advance(20); // the snap arrives 20 ms after the sub went out
  ws.deliver(snap(A, 1, { now: timers.now - 10 + 60_000 })); // stamped mid-way, server 60 s ahead
  t.equal(socket.serverNow(), timers.now + 60_000);
  t.equal(socket.clock.rtt, 20);
  socket.close();
});

t.test('extension point: another stream (chat) resumes and its commands are answered by their own ack type', async (t) => {
  const { socket, ws, timers, named } = await connected({ auth: 'tok' });
  const got: Frame[] = [];
  let since = 0;
  const chat: Stream = {
    types: ['chat.msg'],
    resume: () => [{ t: 'chat.sub', rooms: ['room-1'], since: { 'room-1': since } } as { t: string }],
    receive: (f) => {
      got.push(f as Frame);
      since = f.seq as number;
    },
    disconnected: () => {},
  };
  socket.addStream(chat);
  socket.addAckType('chat.ack');
  t.same(ws.frames('chat.sub'), [{ t: 'chat.sub', rooms: ['room-1'], since: { 'room-1': 0 } }], 'subscribed at once when open');
  ws.deliver({ t: 'chat.msg', room: 'room-1', seq: 1, id: 'm1', from: 'bob', text: 'hi', at: 1 });
  const sent = socket.command({ t: 'chat.send', rid: 'c1', room: 'room-1', text: 'hello' } as { t: string; rid: string });
  ws.drop(1006);
  timers.advance((named('state').at(-1) as { delayMs: number }).delayMs);
  await settle();
  const ws2 = FakeSocket.last();
  ws2.accept();
  t.same(ws2.frames().map((f) => f.t), ['auth', 'chat.sub', 'chat.send'], 'resumed and resent');
  t.same(ws2.frames('chat.sub')[0].since, { 'room-1': 1 });
  ws2.deliver({ t: 'chat.ack', rid: 'c1', ok: true, room: 'room-1', seq: 2, at: 2 });
  t.match(await sent, { t: 'chat.ack', seq: 2 });
  t.equal(got.length, 1);
  socket.close();
});

t.test('reconnectNow skips the wait, and the wait does not open a second socket later', async (t) => {
  const { socket, ws, timers } = await connected();
  ws.drop(1006);
  socket.reconnectNow();
  await settle();
  t.equal(FakeSocket.made.length, 2);
  FakeSocket.last().accept();
  timers.advance(60_000);
  await settle();
  t.equal(FakeSocket.made.length, 2, 'no third socket');
  t.equal(socket.state, 'open');
  socket.close();
});

t.test('a snap at the seq already held changes nothing and tells nothing', async (t) => {
  const { socket, ws, named } = await connected();
  socket.watch(A);
  ws.deliver(snap(A, 4));
  ws.deliver(snap(A, 4));
  t.equal(named('snap').length, 1);
  socket.close();
});

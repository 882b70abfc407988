// A text frame that is not UTF-8 ends the connection with the close code gateway/protocol.ts documents
// for it (uWebSockets.js drops it inside its parser: DROPPED, no close frame), whole or in fragments;
// the same bytes in a binary frame are only a bad frame, UTF-8 text beyond ASCII is fine, and the
// server and its other sockets carry on.
import t from 'tap';
import { CLOSE, DROPPED } from '../../gateway/protocol.ts';
import { boot, Client, openAuction, rid } from './harness.ts';

const b = await boot();
t.teardown(() => b.stop());
const auction = await openAuction(b, 'seller');
const NOT_UTF8 = Buffer.concat([Buffer.from('{"t":"sub","auctions":["'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"]}')]);

t.test('the documented close: a code of its own, not one the server sends for anything else', async (t) => {
  t.equal(DROPPED, 1006);
  t.notOk((Object.values(CLOSE) as number[]).includes(DROPPED), 'never sent in a close frame');
});

t.test('a whole text frame that is not UTF-8', async (t) => {
  const watcher = await Client.open(b.ws, { token: await b.token('watcher') });
  t.teardown(() => watcher.close());
  await watcher.type('authed');
  const c = await Client.open(b.ws);
  c.sendRaw(NOT_UTF8, false);
  t.equal((await c.closed).code, DROPPED);
  t.strictSame(c.log, [], 'nothing was answered');
  watcher.send({ t: 'sub', auctions: [auction] });
  t.match(await watcher.type('snap'), { auction }, 'another socket carries on');
  t.match(await watcher.command({ t: 'bid', rid: rid(), auction, amount: 10_000 }), { ok: true });
});

t.test('a text message not UTF-8 once its fragments are joined', async (t) => {
  const c = await Client.open(b.ws);
  // 0xc3 opens a two-byte sequence that the next fragment does not continue.
  c.ws.send(Buffer.concat([Buffer.from('{"t":"sub","auctions":["'), Buffer.from([0xc3])]), { binary: false, fin: false });
  c.ws.send(Buffer.from('("]}'), { binary: false, fin: true });
  t.equal((await c.closed).code, DROPPED);
});

t.test('the same bytes in a binary frame, and UTF-8 beyond ASCII in text (whole or in fragments), are answered', async (t) => {
  const c = await Client.open(b.ws);
  t.teardown(() => c.close());
  c.sendRaw(NOT_UTF8, true);
  t.match(await c.type('error'), { code: 'BAD_FRAME' }, 'binary: decoded as MessagePack and refused');
  c.sendRaw(JSON.stringify({ t: 'sub', auctions: ['경매-🔨'] }), false);
  t.match(await c.type('error'), { code: 'NOT_FOUND', auction: '경매-🔨' }, 'text: read, and the auction is unknown');
  // A character split across fragments is UTF-8 once they are joined.
  const whole = Buffer.from(JSON.stringify({ t: 'sub', auctions: ['경매'] }));
  const cut = whole.indexOf(Buffer.from('경')) + 1;
  c.ws.send(whole.subarray(0, cut), { binary: false, fin: false });
  c.ws.send(whole.subarray(cut), { binary: false, fin: true });
  t.match(await c.type('error'), { code: 'NOT_FOUND', auction: '경매' }, 'text in fragments: joined and read');
  c.send({ t: 'sub', auctions: [auction] });
  t.match(await c.type('snap'), { auction }, 'the socket is still open');
});

// Configured limits, enforced: subscriptions per socket, frames per second, frame size.
import t from 'tap';
import { CLOSE } from '../../gateway/protocol.ts';
import { boot, Client, openAuction } from './harness.ts';

const b = await boot({ WS_MAX_SUBSCRIPTIONS: '3', WS_COMMANDS_PER_SECOND: '5', WS_MAX_PAYLOAD_BYTES: '1024' });
t.teardown(() => b.stop());
const auction = await openAuction(b, 'seller');

t.test('TOO_MANY_SUBS refuses the whole sub', async (t) => {
  const c = await Client.open(b.ws);
  t.teardown(() => c.close());
  c.send({ t: 'sub', auctions: [auction, 'x1', 'x2', 'x3'] });
  t.match(await c.type('error'), { code: 'TOO_MANY_SUBS' });
  t.ok(await c.quiet((f) => f.t === 'snap'), 'nothing subscribed');
  c.send({ t: 'sub', auctions: [auction] });
  t.match(await c.type('snap'), { auction }, 'within the limit it works');
});

t.test('RATE_LIMITED past the per-second budget, then closed if the client keeps going', async (t) => {
  const c = await Client.open(b.ws);
  for (let i = 0; i < 8; i++) c.send({ t: 'unsub', auctions: ['x'] });
  t.match(await c.type('error'), { code: 'RATE_LIMITED' });
  let unsubbed = 0;
  for (const f of c.log) if (f.frame.t === 'unsubbed') unsubbed++;
  t.ok(unsubbed <= 5, `at most the burst was served (${unsubbed})`);
  for (let i = 0; i < 20; i++) c.send({ t: 'unsub', auctions: ['x'] });
  t.equal((await c.closed).code, CLOSE.RATE_LIMITED);
});

t.test('a frame over the limit closes with 1009 after an error frame', async (t) => {
  const c = await Client.open(b.ws);
  c.sendRaw(JSON.stringify({ t: 'sub', auctions: ['x'.repeat(1500)] }), false);
  const closed = await c.closed;
  t.equal(closed.code, CLOSE.PAYLOAD_TOO_LARGE);
  t.match(c.log.map((l) => l.frame), [{ t: 'error', code: 'PAYLOAD_TOO_LARGE' }]);
});

t.test('a frame over twice the limit is cut by uWS without reading it', async (t) => {
  const c = await Client.open(b.ws, { enc: 'msgpack' });
  c.sendRaw(Buffer.alloc(4096, 0xc0), true);
  t.equal((await c.closed).code, 1006, 'no close frame: the connection is dropped');
  const again = await Client.open(b.ws);
  t.teardown(() => again.close());
  again.send({ t: 'sub', auctions: [auction] });
  t.match(await again.type('snap'), { auction }, 'the server is still up');
});

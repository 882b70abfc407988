// The SDK's chat stream against a real server (in process): messages once each in seq order, a dropped
// connection resumed with `since` (exactly the missed messages), sends acknowledged once durable, a
// room refused to a non-member.
import t from 'tap';
import WebSocket from 'ws';
import { ChatStream, OkjSocket, newRid, type ChatMsgFrame } from '../../client/index.ts';
import { boot, openAuction } from '../gateway/harness.ts';

const b = await boot({ WS_COMMANDS_PER_SECOND: '10000', CHAT_MESSAGES_PER_SECOND: '1000' });
t.teardown(() => b.stop());
const auction = await openAuction(b, 'sam');
const { room } = await b.server.chat.openRoom('bob', auction);

async function until(f: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!f()) {
    if (Date.now() > deadline) throw new Error(`${what} within 5 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

t.test('messages in order, once; a dropped connection resumes with since; sends and refusals', async (t) => {
  const socket = new OkjSocket({ url: b.ws, WebSocket, auth: await b.token('bob') });
  t.teardown(() => socket.close());
  const chat = new ChatStream(socket, newRid);
  const got: ChatMsgFrame[] = [];
  chat.on('msg', (m) => got.push(m));
  socket.connect();
  await socket.once('authed');
  chat.join([room.id]);
  for (let i = 1; i <= 3; i++) await b.server.chat.send('sam', room.id, `s${i}`, `hello ${i}`);
  await until(() => got.length >= 3, 'three messages');

  const raw = (socket as unknown as { ws: { close(code: number): void } }).ws;
  const reopened = socket.once('authed');
  raw.close(4000); // an unexpected close: the SDK reconnects
  for (let i = 4; i <= 5; i++) await b.server.chat.send('sam', room.id, `s${i}`, `while away ${i}`);
  await reopened;
  await until(() => got.length >= 5, 'the two missed messages');
  const ack = await chat.send(room.id, 'back again');
  t.match(ack, { t: 'chat.ack', ok: true, seq: 6 });
  await until(() => got.length >= 6, 'my own message');
  t.same(got.map((m) => m.seq), [1, 2, 3, 4, 5, 6], 'each once, in order');
  t.equal(chat.seq(room.id), 6);

  const eve = new OkjSocket({ url: b.ws, WebSocket, auth: await b.token('eve'), encoding: 'json' });
  t.teardown(() => eve.close());
  const eveChat = new ChatStream(eve, newRid);
  eve.connect();
  await eve.once('authed');
  const refused = eveChat.once('refused');
  eveChat.join([room.id]);
  t.match(await refused, { room: room.id, code: 'NOT_FOUND' });
  t.match(await eveChat.send(room.id, 'let me in'), { ok: false, code: 'NOT_FOUND' });
});

// Durability: the server (`npm start`'s entry, as a child) is killed with SIGKILL right after acks. Every
// acknowledged message is there after the restart, once; a retried rid gets its first ack; the next
// message takes the next seq.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { signAccessToken, tokenKeys } from '../../app/accounts/tokens.ts';
import { api, Client, rid } from '../gateway/harness.ts';
import { killServerProcess as kill, startServerProcess } from '../helpers/server-process.ts';

const SECRET = 'chat-restart-secret-that-is-long-enough!';
const keys = tokenKeys({ secret: SECRET, issuer: 'okjangpan', audience: 'okjangpan-api' });
const start = (dir: string) => startServerProcess(dir, SECRET, { CHAT_MESSAGES_PER_SECOND: '1000' });

t.test('acknowledged messages survive a SIGKILL, once each', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-chat-restart-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const sam = await signAccessToken(keys, 'sam-k');
  const bob = await signAccessToken(keys, 'bob-k');
  let child = await start(dir);
  t.teardown(() => kill(child, 'SIGKILL'));
  const now = Date.now();
  const created = await api(child.url, 'POST', '/api/v1/auctions', { token: sam, key: rid('create'), body: { productId: 'p', startPrice: 1_000, bidUnit: 100, startsAt: now, endsAt: now + 3_600_000 } });
  t.equal(created.status, 201);
  const room = (await api(child.url, 'POST', '/api/v1/chat/rooms', { token: bob, body: { auctionId: created.body.id } })).body.id as string;

  const ws = child.url.replace('http', 'ws') + '/ws';
  let c = await Client.open(ws, { token: bob });
  await c.type('authed');
  const rids = Array.from({ length: 20 }, (_, i) => `k-${i}`);
  for (const [i, r] of rids.entries()) c.send({ t: 'chat.send', rid: r, room, text: `durable ${i}` });
  const acks = await Promise.all(rids.map((r) => c.take((f) => f.t === 'chat.ack' && f.rid === r, 5000)));
  await kill(child, 'SIGKILL'); // at once: nothing had a chance to be written after the acks
  t.ok(acks.every((a) => a.ok === true));
  t.same(acks.map((a) => a.seq).sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i + 1));

  child = await start(dir);
  const history = (await api(child.url, 'GET', `/api/v1/chat/rooms/${room}/messages?after=0`, { token: bob })).body.items as { seq: number; text: string }[];
  t.same(history.map((m) => m.seq), Array.from({ length: 20 }, (_, i) => i + 1), 'every acknowledged message, once');
  for (const a of acks) t.equal(history.find((m) => m.seq === a.seq)?.text, `durable ${rids.indexOf(a.rid)}`);

  c = await Client.open(child.url.replace('http', 'ws') + '/ws', { token: bob });
  t.teardown(() => c.close());
  await c.type('authed');
  c.send({ t: 'chat.send', rid: 'k-3', room, text: 'a retry after the crash' });
  t.same(await c.take((f) => f.t === 'chat.ack' && f.rid === 'k-3'), acks.find((a) => a.rid === 'k-3'), 'the first ack, from the store');
  c.send({ t: 'chat.send', rid: 'k-new', room, text: 'after the crash' });
  t.match(await c.take((f) => f.t === 'chat.ack' && f.rid === 'k-new'), { ok: true, seq: 21 }, 'the next seq, recovered from the store');
  c.send({ t: 'chat.sub', rooms: [room], since: { [room]: 18 } });
  const replay = [await c.type('chat.msg'), await c.type('chat.msg'), await c.type('chat.msg')];
  t.same(replay.map((f) => f.seq), [19, 20, 21]);
});

// Chat on the real socket: a real server in process, real `ws` clients. Two users with two sockets each
// (JSON and MessagePack) converse; every socket sees the same messages in the same order; receipts and
// typing reach the other member; a reconnect with `since` gets exactly the missed messages; repeated
// rids get the first ack; non-members and blocked members get their codes and change nothing.
import t from 'tap';
import { boot, Client, openAuction, rid, type Frame } from '../gateway/harness.ts';

const b = await boot({ WS_COMMANDS_PER_SECOND: '100000', CHAT_MESSAGES_PER_SECOND: '100000', CHAT_PAGE_SIZE: '7' });
t.teardown(() => b.stop());
const auction = await openAuction(b, 'sam');
const { room } = await b.server.chat.openRoom('bob', auction);

async function socket(user: string, enc: 'json' | 'msgpack'): Promise<Client> {
  const c = await Client.open(b.ws, { enc, token: await b.token(user) });
  await c.type('authed');
  t.teardown(() => c.close());
  return c;
}

/** The next `n` chat.msg frames of the room, in arrival order. */
async function msgs(c: Client, n: number): Promise<Frame[]> {
  const out: Frame[] = [];
  while (out.length < n) out.push(await c.take((f) => f.t === 'chat.msg' && f.room === room.id, 5000, `chat.msg #${out.length + 1} of ${n}`));
  return out;
}

const send = (c: Client, text: string, r = rid('c')) => {
  c.send({ t: 'chat.send', rid: r, room: room.id, text });
  return c.take((f) => f.t === 'chat.ack' && f.rid === r, 5000, `chat.ack ${r}`);
};

const bob1 = await socket('bob', 'json');
const bob2 = await socket('bob', 'msgpack');
const sam1 = await socket('sam', 'msgpack');
const sam2 = await socket('sam', 'json');
const all = [bob1, bob2, sam1, sam2];

t.test('four sockets, concurrent sends: one order, no gap, no duplicate, each message once everywhere', async (t) => {
  for (const c of all) c.send({ t: 'chat.sub', rooms: [room.id] });
  const acks = await Promise.all(all.flatMap((c, i) => Array.from({ length: 10 }, (_, k) => send(c, `from socket ${i}: ${k}`))));
  t.ok(acks.every((a) => a.ok === true), 'every send acknowledged');
  t.same(acks.map((a) => a.seq).sort((x, y) => x - y), Array.from({ length: 40 }, (_, i) => i + 1), 'seqs 1..40, no gap, no duplicate');
  const seen = await Promise.all(all.map((c) => msgs(c, 40)));
  for (const list of seen) t.same(list.map((f) => f.seq), Array.from({ length: 40 }, (_, i) => i + 1), 'in seq order');
  for (const list of seen.slice(1)) t.same(list, seen[0], 'the same messages on every socket, JSON or MessagePack');
  const byRid = new Map(acks.map((a) => [a.seq, a]));
  for (const f of seen[0]) t.equal(f.at, byRid.get(f.seq)!.at);
  t.ok(seen[0].every((f) => f.id === `${room.id}.${f.seq}` && (f.from === 'bob' || f.from === 'sam')));
  t.ok(await bob1.quiet((f) => f.t === 'chat.msg'), 'nothing twice');
});

t.test('read receipts and typing reach the other member only', async (t) => {
  bob1.send({ t: 'chat.read', room: room.id, seq: 40 });
  for (const c of [sam1, sam2]) t.match(await c.type('chat.read'), { room: room.id, user: 'bob', seq: 40 });
  sam2.send({ t: 'chat.typing', room: room.id });
  for (const c of [bob1, bob2]) t.match(await c.type('chat.typing'), { room: room.id, user: 'sam' });
  t.ok(await sam1.quiet((f) => f.t === 'chat.typing'), "the typer's own sockets are not told");
  t.match(await b.server.chat.rooms('bob'), [{ room: { id: room.id }, unread: 0, readSeq: 40 }]);
  t.match(await b.server.chat.rooms('sam'), [{ unread: 40 }]);
});

t.test('a reconnect with since gets exactly the missed messages, then live ones', async (t) => {
  await bob2.close();
  for (let i = 0; i < 10; i++) await send(sam1, `while bob2 was away ${i}`);
  await Promise.all([bob1, sam1, sam2].map((c) => msgs(c, 10)));
  const again = await socket('bob', 'msgpack');
  again.send({ t: 'chat.sub', rooms: [room.id], since: { [room.id]: 40 } });
  t.same((await msgs(again, 10)).map((f) => f.seq), [41, 42, 43, 44, 45, 46, 47, 48, 49, 50], 'more than a page, in order');
  await send(bob1, 'live again');
  t.match(await msgs(again, 1), [{ seq: 51, text: 'live again' }]);
  t.ok(await again.quiet((f) => f.t === 'chat.msg'), 'nothing else');
  const fresh = await socket('bob', 'json');
  fresh.send({ t: 'chat.sub', rooms: [room.id] });
  t.same((await msgs(fresh, 7)).map((f) => f.seq), [45, 46, 47, 48, 49, 50, 51], 'without since: the latest page');
  await Promise.all([bob1, sam1, sam2].map((c) => msgs(c, 1)));
});

t.test('a retried rid returns the first ack and is stored once', async (t) => {
  const r = rid('again');
  const first = await send(bob1, 'once', r);
  const second = await send(bob1, 'twice?', r);
  t.same(second, first);
  await Promise.all([bob1, sam1, sam2].map((c) => msgs(c, 1)));
  t.ok(await sam1.quiet((f) => f.t === 'chat.msg'), 'published once');
  t.equal((await b.server.chat.history('bob', room.id, { after: first.seq - 1 })).length, 1);
});

t.test('a non-member and a blocked member get their codes and change nothing', async (t) => {
  const before = (await b.server.chat.history('sam', room.id, {})).at(-1)!.seq;
  const eve = await socket('eve', 'json');
  eve.send({ t: 'chat.sub', rooms: [room.id] });
  t.match(await eve.type('error'), { code: 'NOT_FOUND', room: room.id });
  t.match(await send(eve, 'let me in'), { ok: false, code: 'NOT_FOUND' });
  eve.send({ t: 'chat.read', room: room.id, seq: 1 });
  t.match(await eve.type('error'), { code: 'NOT_FOUND', room: room.id });
  eve.send({ t: 'chat.typing', room: room.id });
  t.match(await eve.type('error'), { code: 'NOT_FOUND', room: room.id });
  await b.server.chat.block('sam', room.id);
  t.match(await send(bob1, 'blocked?'), { ok: false, code: 'BLOCKED' });
  await b.server.chat.unblock('sam', room.id);
  const anon = await Client.open(b.ws);
  t.teardown(() => anon.close());
  anon.send({ t: 'chat.send', rid: 'anon', room: room.id, text: 'hi' });
  t.match(await anon.type('error'), { code: 'UNAUTHENTICATED', rid: 'anon' });
  t.equal((await b.server.chat.history('sam', room.id, {})).at(-1)!.seq, before, 'nothing stored');
  t.ok(await sam1.quiet((f) => f.t === 'chat.msg' || f.t === 'chat.typing' || f.t === 'chat.read'), 'nothing published');
});

t.test('fuzzed chat frames get an error or a refusing ack and change nothing', async (t) => {
  const fc = (await import('fast-check')).default;
  const before = (await b.server.chat.history('sam', room.id, {})).at(-1)!.seq;
  const eve = await socket('eve', 'msgpack');
  const bob = await socket('bob', 'json');
  const clients = { bob, eve };
  const anyJson = fc.jsonValue({ maxDepth: 3 });
  const badText = fc.oneof(
    fc.constantFrom('', '   ', 'x'.repeat(1001), 'a\u0000b', '\u0007', 'x'.repeat(5000)),
    fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string()),
  );
  const frame = fc.oneof(
    // bob, a member, sending texts that are never valid
    fc.record({ t: fc.constant('chat.send'), rid: fc.string({ minLength: 1, maxLength: 64 }), room: fc.constant(room.id), text: badText }).map((f) => ({ who: 'bob' as const, f })),
    // eve, not a member, sending anything to the real room or unknown ones
    fc.record({ t: fc.constantFrom('chat.send', 'chat.read', 'chat.typing', 'chat.sub'), rid: fc.string({ minLength: 1, maxLength: 64 }), room: fc.oneof(fc.constant(room.id), fc.string({ minLength: 1, maxLength: 64 })), text: fc.string({ maxLength: 50 }), seq: fc.nat(), rooms: fc.constant([room.id]) })
      .map((f) => ({ who: 'eve' as const, f })),
    // wrong types everywhere
    fc.record({ t: fc.constantFrom('chat.send', 'chat.read', 'chat.typing', 'chat.sub'), rid: anyJson, room: anyJson, text: anyJson, seq: anyJson, rooms: anyJson, since: anyJson })
      .chain((f) => fc.constantFrom('bob' as const, 'eve' as const).map((who) => ({ who, f }))),
  );
  await fc.assert(fc.asyncProperty(frame, async ({ who: name, f }) => {
    const who = clients[name];
    who.inbox.length = 0;
    who.send(f);
    const answer = await who.take((x) => x.t === 'error' || x.t === 'chat.ack' || x.t === 'chat.msg', 3000, `an answer to ${JSON.stringify(f).slice(0, 200)}`);
    if (answer.t === 'chat.msg') return false;
    if (answer.t === 'chat.ack' && answer.ok !== false) return false;
    return true;
  }), { numRuns: 120 });
  t.equal((await b.server.chat.history('sam', room.id, {})).at(-1)!.seq, before, 'nothing stored');
  t.ok(await sam1.quiet((f) => f.t === 'chat.msg'), 'nothing published');
});

t.test('a message may name the auction it is about', async (t) => {
  bob1.send({ t: 'chat.send', rid: 'about-1', room: room.id, text: 'is it still available?', auction });
  t.match(await bob1.take((f) => f.t === 'chat.ack' && f.rid === 'about-1'), { ok: true });
  t.match(await sam1.take((f) => f.t === 'chat.msg' && f.text === 'is it still available?'), { auction, from: 'bob' });
  bob1.send({ t: 'chat.send', rid: 'about-2', room: room.id, text: 'x', auction: 42 });
  t.match(await bob1.type('error', { rid: 'about-2' }), { code: 'VALIDATION_FAILED' });
});

t.test('a since past the last seq still gets the live messages', async (t) => {
  const ahead = await socket('sam', 'json');
  const subs = b.server.gateway.chatStats!.subscriptions;
  ahead.send({ t: 'chat.sub', rooms: [room.id], since: { [room.id]: 1_000_000 } });
  while (b.server.gateway.chatStats!.subscriptions === subs) await new Promise((r) => setImmediate(r)); // registered
  const ack = await send(bob1, 'after a bogus since');
  t.match(await ahead.take((f) => f.t === 'chat.msg' && f.seq === ack.seq, 5000), { text: 'after a bogus since' });
});

// The chat service over the memory store: acks once durable, gap-free seqs under concurrency, repeats,
// recovery of the next seq and of first acks from the store, refusals that change nothing.
import t from 'tap';
import { ManualClock, OkjError, silentLogger } from '../../engine/index.ts';
import type { ChatEvent } from '../../engine/chat/model.ts';
import { ChatService } from '../../app/chat/service.ts';
import { CHAT_DEFAULTS, type ChatConfig } from '../../app/chat/config.ts';
import { MemoryChat } from '../../storage/chat/memory.ts';
import { MemoryMarket } from '../../storage/market/memory.ts';

const SELLER = 'sam';
const auctions = {
  spec: async (id: string) => (id === 'a1' || id === 'a2' ? ({ sellerId: SELLER } as never) : id === 'a3' ? ({ sellerId: 'zed' } as never) : null),
};

function service(store = new MemoryChat(), config: Partial<ChatConfig> = {}) {
  const clock = new ManualClock(1_000_000);
  const chat = new ChatService({ store, auctions, config: { ...CHAT_DEFAULTS, messagesPerSecond: 1000, ...config }, clock, log: silentLogger });
  const events: ChatEvent[] = [];
  chat.onEvent((e) => events.push(e));
  return { chat, store, clock, events };
}

t.test('concurrent sends from both members get 1..n with no gap, published in order after commit', async (t) => {
  const { chat, events } = service();
  const { room } = await chat.openRoom('bob', 'a1');
  const sends = Array.from({ length: 60 }, (_, i) => chat.send(i % 2 === 0 ? 'bob' : SELLER, room.id, `r${i}`, `hello ${i}`));
  const acks = await Promise.all(sends);
  t.ok(acks.every((a) => a.ok));
  t.same(acks.map((a) => (a.ok ? a.seq : 0)).sort((a, b) => a - b), Array.from({ length: 60 }, (_, i) => i + 1));
  const published = events.flatMap((e) => (e.t === 'msgs' ? e.messages.map((m) => m.seq) : []));
  t.same(published, Array.from({ length: 60 }, (_, i) => i + 1), 'published once each, in seq order');
  t.same((await chat.history('bob', room.id, { limit: 100 })).length, 50, 'pages are capped by the page size');
});

t.test('a repeated (user, rid) gets the first ack, also after a restart, and is stored once', async (t) => {
  const { chat, store } = service();
  const { room } = await chat.openRoom('bob', 'a1');
  const [a, b] = await Promise.all([chat.send('bob', room.id, 'x', 'one'), chat.send('bob', room.id, 'x', 'two')]);
  t.same(a, b, 'the same answer while in flight');
  t.same(await chat.send('bob', room.id, 'x', 'three'), a);
  await chat.send(SELLER, room.id, 'x', 'the seller may use the same rid');
  const again = service(store).chat; // a new process over the same store: nothing in memory
  t.same(await again.send('bob', room.id, 'x', 'four'), a, 'found in the store');
  const next = await again.send('bob', room.id, 'y', 'fresh');
  t.match(next, { ok: true, seq: 3 }, 'the next seq recovered from the store');
  t.same((await again.history('bob', room.id, {})).map((m) => [m.seq, m.text]), [[1, 'one'], [2, 'the seller may use the same rid'], [3, 'fresh']]);
});

t.test('refusals change nothing', async (t) => {
  const { chat, events } = service(new MemoryChat(), { messagesPerSecond: 2 });
  const { room } = await chat.openRoom('bob', 'a1');
  t.match(await chat.send('eve', room.id, 'e1', 'hi'), { ok: false, code: 'NOT_FOUND' }, 'not a member');
  t.match(await chat.send('bob', 'nope', 'e2', 'hi'), { ok: false, code: 'NOT_FOUND' });
  for (const bad of ['', 'x'.repeat(1001), 'a\u0000b', 42]) t.match(await chat.send('bob', room.id, `t${String(bad).length}`, bad), { ok: false, code: 'CHAT_TEXT_INVALID' });
  await chat.block(SELLER, room.id);
  t.match(await chat.send('bob', room.id, 'b1', 'hi'), { ok: false, code: 'BLOCKED' });
  t.match(await chat.send(SELLER, room.id, 's1', 'the blocker may still write'), { ok: true, seq: 1 });
  await chat.unblock(SELLER, room.id);
  t.match(await chat.send('bob', room.id, 'b1', 'hi again'), { ok: true, seq: 2 }, 'a refusal is not remembered');
  t.match(await chat.send('bob', room.id, 'b2', 'hi'), { ok: true });
  t.match(await chat.send('bob', room.id, 'b3', 'hi'), { ok: false, code: 'CHAT_RATE_LIMITED' });
  await t.rejects(chat.history('eve', room.id, {}), { code: 'NOT_FOUND' });
  await t.rejects(chat.read('eve', room.id, 1), { code: 'NOT_FOUND' });
  await t.rejects(chat.openRoom(SELLER, 'a1'), { code: 'CHAT_OWN_AUCTION' });
  await t.rejects(chat.openRoom('bob', 'zz'), { code: 'NOT_FOUND' });
  t.equal(events.filter((e) => e.t === 'msgs').flatMap((e) => (e.t === 'msgs' ? e.messages : [])).length, 3);
});

t.test('rooms: one per pair, limited per opener; reads and unread; typing rate-limited', async (t) => {
  const { chat, clock, events } = service(new MemoryChat(), { maxRoomsPerUser: 1 });
  const first = await chat.openRoom('bob', 'a1');
  const second = await chat.openRoom('bob', 'a2');
  t.equal(second.created, false);
  t.equal(second.room.id, first.room.id, 'one room per pair whatever the auction');
  const other = await chat.openRoom('ann', 'a1');
  t.not(other.room.id, first.room.id);
  await t.rejects(chat.openRoom('bob', 'a3'), { code: 'CHAT_TOO_MANY_ROOMS' }, 'bob has opened his one room');
  t.match(await chat.openRoom('zed', 'a1'), { created: true }, "rooms opened with a seller do not count against the seller");
  const { room } = first;
  for (let i = 0; i < 3; i++) await chat.send(SELLER, room.id, `s${i}`, `m${i}`);
  t.match(await chat.rooms('bob'), [{ room: { id: room.id }, other: SELLER, unread: 3, last: { seq: 3, text: 'm2' } }]);
  t.equal(await chat.read('bob', room.id, 2), 2);
  t.equal(await chat.read('bob', room.id, 1), 2, 'never back');
  t.equal(await chat.read('bob', room.id, 99), 3, 'clamped to the last seq');
  t.match(await chat.rooms('bob'), [{ unread: 0, readSeq: 3 }]);
  t.same(events.filter((e) => e.t === 'read').map((e) => (e.t === 'read' ? e.seq : 0)), [2, 3]);
  await chat.typing('bob', room.id);
  await chat.typing('bob', room.id);
  clock.advance(1000);
  await chat.typing('bob', room.id);
  t.equal(events.filter((e) => e.t === 'typing').length, 2);
  await t.rejects(chat.typing('eve', room.id), OkjError);
});

t.test('a member not following the room live gets one inbox item per room until they read', async (t) => {
  const inbox = new MemoryMarket();
  const clock = new ManualClock(1_000_000);
  const chat = new ChatService({ store: new MemoryChat(), auctions, config: { ...CHAT_DEFAULTS, messagesPerSecond: 1000 }, clock, log: silentLogger, inbox });
  const online = new Set<string>();
  chat.attachPresence({ online: (room, user) => online.has(`${room}/${user}`) });
  const { room } = await chat.openRoom('bob', 'a1');
  for (let i = 0; i < 3; i++) await chat.send(SELLER, room.id, `s${i}`, `m${i}`);
  t.match(await inbox.inbox('bob', 10), [{ id: `chat:${room.id}:bob`, kind: 'chat', auctionId: 'a1' }], 'one item for three messages');
  t.same(await inbox.inbox(SELLER, 10), [], 'none for the sender');
  await chat.read('bob', room.id, 2);
  t.equal((await inbox.inbox('bob', 10)).length, 1, 'still unread');
  await chat.read('bob', room.id, 3);
  t.same(await inbox.inbox('bob', 10), [], 'read to the end: gone');
  online.add(`${room.id}/bob`);
  await chat.send(SELLER, room.id, 's3', 'bob is watching');
  t.same(await inbox.inbox('bob', 10), [], 'none while a socket of his follows the room');
  online.clear();
  await chat.send(SELLER, room.id, 's4', 'bob left');
  t.equal((await inbox.inbox('bob', 10)).length, 1, 'raised again');
});

t.test('rooms let go past the bound are read again with their next seq, blocks and reads', async (t) => {
  const store = new MemoryChat();
  const clock = new ManualClock(1_000_000);
  const chat = new ChatService({ store, auctions: { spec: async (id: string) => ({ sellerId: `seller-${id}` }) as never }, config: { ...CHAT_DEFAULTS, messagesPerSecond: 1000 }, clock, log: silentLogger, maxRooms: 2 });
  const rooms = [];
  for (let i = 0; i < 5; i++) rooms.push((await chat.openRoom('bob', `a${i}`)).room);
  for (const r of rooms) t.match(await chat.send('bob', r.id, `first-${r.id}`, 'one'), { ok: true, seq: 1 });
  await chat.block(rooms[0].members.find((u) => u !== 'bob')!, rooms[0].id);
  for (const r of rooms.slice(1)) await chat.send('bob', r.id, `second-${r.id}`, 'two');
  t.match(await chat.send('bob', rooms[0].id, 'after', 'three'), { ok: false, code: 'BLOCKED' }, 'the block read again');
  t.match(await chat.send('bob', rooms[1].id, 'third', 'three'), { ok: true, seq: 3 }, 'the next seq read again');
  t.ok(chat.unreadBacklog <= 2 * 2 * 3, 'only the bound is held');
});

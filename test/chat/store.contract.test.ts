// The ChatStore contract over every adapter: memory, SQLite (writer thread), SQLite inline, MariaDB.
import t from 'tap';
import { ChatConflictError } from '../../storage/chat/ports.ts';
import { chatSubjects, msg, roomOf } from './helpers.ts';

for (const subject of chatSubjects()) {
  t.test(subject.name, async (t) => {
    const store = await subject.open(t);
    if (store === null) return;

    await t.test('one room per pair, whoever opens it', async (t) => {
      const first = await store.openRoom(roomOf('r1', 'bob', 'sam'));
      t.equal(first.created, true);
      const again = await store.openRoom(roomOf('r1b', 'sam', 'bob'));
      t.equal(again.created, false);
      t.equal(again.room.id, 'r1');
      t.same(again.room.members, ['bob', 'sam']);
      t.same(await store.room('r1'), first.room);
      t.equal(await store.room('nope'), null);
      t.equal(await store.roomsOpenedBy('bob'), 1);
      t.equal(await store.roomsOpenedBy('sam'), 0);
    });

    await t.test('a batch is stored whole; a repeated (from, rid) or (room, seq) stores nothing', async (t) => {
      await store.openRoom(roomOf('r2', 'ann', 'sam'));
      await store.append([msg('r2', 1, 'ann'), msg('r2', 2, 'sam'), msg('r1', 1, 'bob')]);
      t.same(await store.lastSeqs(['r2', 'r1', 'r9']), new Map([['r2', 2], ['r1', 1], ['r9', 0]]));
      await t.rejects(store.append([msg('r2', 3, 'ann'), msg('r2', 4, 'ann', 'ann-r2-1')]), ChatConflictError, 'same sender and rid');
      await t.rejects(store.append([msg('r2', 2, 'ann', 'fresh')]), ChatConflictError, 'same room and seq');
      t.same(await store.lastSeqs(['r2']), new Map([['r2', 2]]), 'nothing of the refused batches');
      const found = await store.byRids([{ from: 'ann', rid: 'ann-r2-1' }, { from: 'sam', rid: 'ann-r2-1' }]);
      t.same(found, [msg('r2', 1, 'ann')], 'the rid belongs to its sender');
    });

    await t.test('history by cursor', async (t) => {
      await store.openRoom(roomOf('r3', 'cat', 'sam'));
      const all = Array.from({ length: 10 }, (_, i) => msg('r3', i + 1, i % 2 === 0 ? 'cat' : 'sam'));
      await store.append(all.slice(0, 4));
      await store.append(all.slice(4));
      t.same(await store.history('r3', { limit: 3 }), all.slice(7), 'the latest page, in order');
      t.same(await store.history('r3', { before: 8, limit: 3 }), all.slice(4, 7));
      t.same(await store.history('r3', { after: 2, limit: 3 }), all.slice(2, 5));
      t.same(await store.history('r3', { after: 2, before: 5, limit: 10 }), all.slice(2, 4));
      t.same(await store.history('r3', { after: 10, limit: 3 }), []);
      t.same(await store.message('r3', 5), all[4]);
      t.equal(await store.message('r3', 11), null);
    });

    await t.test('text is stored as given', async (t) => {
      await store.openRoom(roomOf('r4', 'dan', 'sam'));
      const odd = { ...msg('r4', 1, 'dan'), text: "'; DROP TABLE chat_messages; -- <script>😀\n\t한국어" };
      const about = { ...msg('r4', 2, 'sam'), auction: 'a-77' };
      await store.append([odd, about]);
      t.same(await store.message('r4', 1), odd);
      t.same(await store.history('r4', { after: 1, limit: 5 }), [about], 'a message may name its auction');
    });

    await t.test('read positions move forward only; rooms list with last message and unread', async (t) => {
      t.equal(await store.setRead('r3', 'cat', 4), 4);
      t.equal(await store.setRead('r3', 'cat', 2), 4, 'never back');
      t.same(await store.reads('r3'), new Map([['cat', 4], ['sam', 0]]));
      const rooms = await store.roomsOf('sam', 10);
      t.same(rooms.map((r) => r.room.id), ['r3', 'r2', 'r1', 'r4'].filter((id) => rooms.some((r) => r.room.id === id)).sort((a, b) => {
        const at = (id: string) => rooms.find((r) => r.room.id === id)!.last?.at ?? 0;
        return at(b) - at(a);
      }), 'latest activity first');
      const r3 = (await store.roomsOf('cat', 10)).find((r) => r.room.id === 'r3')!;
      t.match(r3, { other: 'sam', readSeq: 4, unread: 6, blocking: false, last: { seq: 10 } });
      t.equal((await store.roomsOf('sam', 10)).find((r) => r.room.id === 'r3')!.unread, 10);
      t.same(await store.roomsOf('nobody', 10), []);
      t.equal((await store.roomsOf('sam', 2)).length, 2, 'limited');
    });

    await t.test('blocks and reports', async (t) => {
      t.equal(await store.blocks('sam', 'cat'), false);
      await store.block('sam', 'cat', 5000);
      await store.block('sam', 'cat', 5001);
      t.equal(await store.blocks('sam', 'cat'), true);
      t.equal(await store.blocks('cat', 'sam'), false, 'one way');
      t.equal((await store.roomsOf('sam', 10)).find((r) => r.room.id === 'r3')!.blocking, true);
      await store.unblock('sam', 'cat');
      t.equal(await store.blocks('sam', 'cat'), false);
      const id = await store.report({ id: 'rep1', room: 'r3', seq: 2, by: 'cat', reason: 'spam', at: 6000 });
      t.equal(id, 'rep1');
      t.equal(await store.report({ id: 'rep2', room: 'r3', seq: 2, by: 'cat', reason: 'again', at: 6001 }), 'rep1', 'the first report stays');
      t.match(await store.reports(10), [{ id: 'rep1', room: 'r3', seq: 2, by: 'cat', reason: 'spam' }]);
    });
  });
}

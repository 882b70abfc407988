// Chat's HTTP routes on a real server: open or find a room, my rooms with last message and unread,
// history by cursor, block and unblock, report; non-members get 404 and bad requests 400.
import t from 'tap';
import { api, boot, openAuction } from '../gateway/harness.ts';

const b = await boot({ CHAT_MESSAGES_PER_SECOND: '1000', CHAT_PAGE_SIZE: '20' });
t.teardown(() => b.stop());
const auction = await openAuction(b, 'sam');
const [bob, sam, eve] = await Promise.all(['bob', 'sam', 'eve'].map((u) => b.token(u)));

t.test('rooms, history, block, report', async (t) => {
  const opened = await api(b.http, 'POST', '/api/v1/chat/rooms', { token: bob, body: { auctionId: auction } });
  t.equal(opened.status, 201);
  t.match(opened.body, { members: ['bob', 'sam'], auctionId: auction, created: true });
  const id = opened.body.id as string;
  const again = await api(b.http, 'POST', '/api/v1/chat/rooms', { token: bob, body: { auctionId: auction } });
  t.equal(again.status, 200);
  t.equal(again.body.id, id, 'one room per pair');
  t.match(await api(b.http, 'POST', '/api/v1/chat/rooms', { token: sam, body: { auctionId: auction } }), { status: 400, body: { code: 'CHAT_OWN_AUCTION' } });
  t.match(await api(b.http, 'POST', '/api/v1/chat/rooms', { token: bob, body: { auctionId: 'nope' } }), { status: 404, body: { code: 'NOT_FOUND' } });
  t.match(await api(b.http, 'POST', '/api/v1/chat/rooms', { token: bob, body: { auctionId: auction, extra: 1 } }), { status: 400, body: { code: 'VALIDATION_FAILED' } });
  t.match(await api(b.http, 'POST', '/api/v1/chat/rooms', { body: { auctionId: auction } }), { status: 401 });

  for (let i = 1; i <= 30; i++) t.match(await b.server.chat.send(i % 3 === 0 ? 'bob' : 'sam', id, `h${i}`, `message ${i}`), { ok: true, seq: i });
  const page = (q: string, token = bob) => api(b.http, 'GET', `/api/v1/chat/rooms/${id}/messages${q}`, { token });
  const seqs = (r: { body: { items: { seq: number }[] } }) => r.body.items.map((m) => m.seq);
  t.same(seqs(await page('')), Array.from({ length: 20 }, (_, i) => i + 11), 'the latest page');
  t.same(seqs(await page('?before=11&limit=5')), [6, 7, 8, 9, 10]);
  t.same(seqs(await page('?after=27')), [28, 29, 30]);
  t.match((await page('?after=0&limit=1')).body.items, [{ seq: 1, id: `${id}.1`, from: 'sam', text: 'message 1' }]);
  t.match(await page('?limit=21'), { status: 400, body: { code: 'VALIDATION_FAILED' } }, 'past the page size');
  t.match(await page('?before=x'), { status: 400 });
  t.match(await page('', eve), { status: 404, body: { code: 'NOT_FOUND' } }, 'not a member');

  await b.server.chat.read('bob', id, 25);
  t.match((await api(b.http, 'GET', '/api/v1/chat/rooms', { token: bob })).body.items, [{ id, other: 'sam', unread: 5, readSeq: 25, last: { seq: 30 }, blocking: false }]);
  t.match((await api(b.http, 'GET', '/api/v1/chat/rooms', { token: sam })).body.items, [{ id, other: 'bob', unread: 30 }]);
  t.same((await api(b.http, 'GET', '/api/v1/chat/rooms', { token: eve })).body.items, []);
  t.match((await api(b.http, 'GET', '/api/v1/inbox', { token: sam })).body.items, [{ id: `chat:${id}:sam`, kind: 'chat', auctionId: auction }], 'one inbox item for 20 messages, no socket following');

  t.equal((await api(b.http, 'POST', `/api/v1/chat/rooms/${id}/block`, { token: sam })).status, 204);
  t.match(await b.server.chat.send('bob', id, 'blocked', 'hello?'), { ok: false, code: 'BLOCKED' });
  t.match((await api(b.http, 'GET', '/api/v1/chat/rooms', { token: sam })).body.items, [{ blocking: true }]);
  t.equal((await api(b.http, 'DELETE', `/api/v1/chat/rooms/${id}/block`, { token: sam })).status, 204);
  t.match(await b.server.chat.send('bob', id, 'unblocked', 'hello!'), { ok: true, seq: 31 });
  t.match(await api(b.http, 'POST', `/api/v1/chat/rooms/${id}/block`, { token: eve }), { status: 404 });

  const rep = await api(b.http, 'POST', `/api/v1/chat/rooms/${id}/reports`, { token: bob, body: { seq: 2, reason: 'spam' } });
  t.equal(rep.status, 201);
  t.same((await api(b.http, 'POST', `/api/v1/chat/rooms/${id}/reports`, { token: bob, body: { seq: 2, reason: 'again' } })).body, rep.body, 'the first report stays');
  t.match(await api(b.http, 'POST', `/api/v1/chat/rooms/${id}/reports`, { token: bob, body: { seq: 99, reason: 'x' } }), { status: 404 });
  t.match(await api(b.http, 'POST', `/api/v1/chat/rooms/${id}/reports`, { token: eve, body: { seq: 2, reason: 'x' } }), { status: 404 });
  t.match(await api(b.http, 'POST', `/api/v1/chat/rooms/${id}/reports`, { token: bob, body: { seq: 'two', reason: 'x' } }), { status: 400 });

  // Admins read the reports, each with the message it names; nobody else may.
  const admin = await b.token('admin-1', { role: 'admin' });
  const read = await api(b.http, 'GET', '/api/v1/admin/chat/reports?limit=10', { token: admin });
  t.equal(read.status, 200);
  t.match(read.body.items, [{ id: rep.body.id, room: id, seq: 2, by: 'bob', reason: 'spam', message: { room: id, seq: 2 } }], 'one report, the first');
  t.equal(read.body.items.length, 1);
  t.match(await api(b.http, 'GET', '/api/v1/admin/chat/reports', { token: sam }), { status: 403, body: { code: 'FORBIDDEN' } }, 'a member is not an admin');
  t.match(await api(b.http, 'GET', '/api/v1/admin/chat/reports?limit=0', { token: admin }), { status: 400, body: { code: 'VALIDATION_FAILED' } });
  t.match(await api(b.http, 'GET', '/api/v1/admin/chat/reports'), { status: 401 });
});

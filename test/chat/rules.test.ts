// Chat's pure rules: text, membership, the pair's spelling, the rate bucket.
import t from 'tap';
import { fullBucket, isMember, otherMember, pageLimit, pairOf, take, textProblem } from '../../engine/chat/rules.ts';
import type { Room } from '../../engine/chat/model.ts';

t.test('text: 1 to max code points, no control characters but newline and tab', async (t) => {
  for (const ok of ['a', '안녕하세요', 'line\nnext', 'tab\there', '😀'.repeat(10), '<b>not html</b>', 'x'.repeat(1000)]) {
    t.equal(textProblem(ok, 1000), null, JSON.stringify(ok.slice(0, 20)));
  }
  t.equal(textProblem('😀'.repeat(1000), 1000), null, 'counted in code points, not UTF-16 units');
  for (const bad of ['', '   ', 'x'.repeat(1001), '😀'.repeat(1001), 'bell\u0007', 'nul\u0000', 'del\u007f', 'c1\u0085', 'cr\r', 'lone\ud800', 42, null, undefined, ['a']]) {
    t.not(textProblem(bad, 1000), null, JSON.stringify(bad));
  }
});

t.test('membership and the pair', async (t) => {
  const room: Room = { id: 'r1', members: pairOf('u2', 'u1'), auctionId: 'a1', openedBy: 'u2', createdAt: 0 };
  t.same(room.members, ['u1', 'u2']);
  t.same(pairOf('u1', 'u2'), pairOf('u2', 'u1'));
  t.ok(isMember(room, 'u1'));
  t.ok(isMember(room, 'u2'));
  t.notOk(isMember(room, 'u3'));
  t.equal(otherMember(room, 'u1'), 'u2');
  t.equal(otherMember(room, 'u2'), 'u1');
});

t.test('page limits and the bucket', async (t) => {
  t.equal(pageLimit(undefined, 50), 50);
  t.equal(pageLimit(0, 50), 1);
  t.equal(pageLimit(500, 50), 50);
  t.equal(pageLimit(7.9, 50), 7);
  const b = fullBucket(2, 0);
  t.ok(take(b, 2, 0));
  t.ok(take(b, 2, 0));
  t.notOk(take(b, 2, 0), 'a burst of one second');
  t.notOk(take(b, 2, 400));
  t.ok(take(b, 2, 500), 'refilled at the rate');
});

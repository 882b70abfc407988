// Masked names for watchers: enough to tell bidders apart, never enough to identify one.
import t from 'tap';
import { maskName } from '../../engine/index.ts';

t.test('null stays null (no leader, no winner)', async (t) => {
  t.equal(maskName(null), null);
});

t.test('short names are masked almost entirely', async (t) => {
  t.equal(maskName(''), '*');
  t.equal(maskName('a'), '*');
  t.equal(maskName('ab'), 'a*');
});

t.test('longer names keep the first and last character and at most three stars', async (t) => {
  t.equal(maskName('abc'), 'a*c');
  t.equal(maskName('abcd'), 'a**d');
  t.equal(maskName('abcde'), 'a***e');
  t.equal(maskName('abcdefghij'), 'a***j');
  t.equal(maskName('alice@example.com'), 'a***m');
});

t.test('masks by characters, not UTF-16 units', async (t) => {
  t.equal(maskName('홍길동'), '홍*동');
  t.equal(maskName('김철'), '김*');
  t.equal(maskName('😀😁😂'), '😀*😂');
  t.equal(maskName('😀x'), '😀*');
});

t.test('the length of a long name is not disclosed', async (t) => {
  t.equal(maskName('a' + 'x'.repeat(10) + 'z'), maskName('a' + 'x'.repeat(50) + 'z'));
});

t.test('a masked name never equals the name it masks', async (t) => {
  for (const n of ['a', 'ab', 'abc', 'bob', 'alice', '홍길동', 'x'.repeat(64)]) t.not(maskName(n), n, n);
});

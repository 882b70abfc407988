// The cache key of a product name: examples, then properties over arbitrary Unicode.
import t from 'tap';
import fc from 'fast-check';
import { MAX_NAME_KEY_LENGTH, normaliseProductName as norm } from '../../engine/pricing/index.ts';

t.test('the same product typed differently gives one key', async (t) => {
  t.equal(norm('Apple  iPad-Air (5세대)'), 'apple ipad air 5세대');
  t.equal(norm('  apple ipad air 5세대 '), 'apple ipad air 5세대');
  t.equal(norm('ＡＰＰＬＥ　ｉＰａｄ'), 'apple ipad', 'full-width Latin and the ideographic space fold');
  t.equal(norm('아이폰15 Pro!!'), '아이폰15 pro');
  t.equal(norm('갤럭시 S24/울트라_512GB'), '갤럭시 s24 울트라 512gb', 'slashes and underscores separate words');
  t.equal(norm('\u1100\u1161\u11a8 bag'), '각 bag', 'decomposed Hangul jamo compose into a syllable');
  t.equal(norm('Café'), norm('Cafe\u0301'), 'composed and decomposed accents agree');
  t.equal(norm('!!! ~~~ ...'), '', 'punctuation alone leaves nothing');
});

t.test('the key is at most MAX_NAME_KEY_LENGTH code points', async (t) => {
  const long = '가'.repeat(500);
  t.equal([...norm(long)].length, MAX_NAME_KEY_LENGTH);
});

t.test('properties', async (t) => {
  // Any code point (lone surrogates included), mixed with the characters that make folding hard:
  // case pairs that change length, compatibility forms, combining marks, conjoining jamo, wide forms.
  const tricky = fc.constantFrom('İ', 'ẞ', 'ß', 'ǅ', '\u2126', '\u212a', '㈱', 'ﬁ', '\u0301', '\u1100', '\u1161', '\u11a8', 'Ａ', '\u3000', ' ', '-', '_', '가', 'a');
  const anyChar = fc.oneof(fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)), tricky);
  const anyText = fc.string({ unit: anyChar, maxLength: 300 });
  fc.assert(fc.property(anyText, (s) => norm(norm(s)) === norm(s)), { numRuns: 500 });
  t.pass('normalising twice changes nothing');

  fc.assert(fc.property(anyText, (s) => {
    const k = norm(s);
    return k === k.trim() && !/\s\s/.test(k) && !/[\t\n\r]/.test(k) && [...k].length <= MAX_NAME_KEY_LENGTH;
  }), { numRuns: 500 });
  t.pass('no outer, doubled or non-space white space; bounded length');

  const word = fc.stringMatching(/^[A-Za-z0-9가-힣]{1,8}$/);
  const words = fc.array(word, { minLength: 1, maxLength: 6 });
  const sep = fc.constantFrom(' ', '  ', '-', ' / ', '_', ', ', '·', '\t');
  fc.assert(fc.property(words, fc.array(sep, { minLength: 6, maxLength: 6 }), (ws, seps) => {
    const spaced = ws.join(' ');
    const punctuated = ws.map((w, i) => w + (i < ws.length - 1 ? seps[i] : '')).join('');
    return norm(punctuated.toUpperCase()) === norm(spaced.toLowerCase());
  }), { numRuns: 300 });
  t.pass('case and separators between Korean and Latin words do not change the key');
});

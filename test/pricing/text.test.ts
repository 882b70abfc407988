// Markup to plain text, and scrubbing secrets out of failure messages.
import t from 'tap';
import { decodeEntities, plainText, scrub } from '../../storage/pricing/text.ts';

t.test('entities', async (t) => {
  t.equal(decodeEntities('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&#39; &#44053; &#xAC15; &nbsp;'), 'a & b <c> "d" \'e\' 강 강  ');
  t.equal(decodeEntities('&copy; &unknown; & &amp'), '&copy; &unknown; & &amp', 'unknown names and bare ampersands stay');
  t.equal(decodeEntities('&#0;&#xD800;&#x110000;'), '\ufffd\ufffd\ufffd', 'impossible code points become U+FFFD');
  t.equal(decodeEntities('&amp;lt;'), '&lt;', 'decoded once, not twice');
});

t.test('plain text of a search title', async (t) => {
  t.equal(plainText('<b>아이폰</b> 15   <B>Pro</B>\n케이스'), '아이폰 15 Pro 케이스');
  t.equal(plainText('&lt;b&gt;text&lt;/b&gt;'), '<b>text</b>', 'escaped tags are text, not markup');
});

t.test('scrub', async (t) => {
  t.equal(scrub('id=abcd1234 secret=zyxw9876', ['abcd1234', 'zyxw9876']), 'id=[redacted] secret=[redacted]');
  t.equal(scrub('Incorrect API key provided: sk-abc1****wxyz.', []), 'Incorrect API key provided: [redacted].');
  t.equal(scrub('short x', ['x', undefined]), 'short x', 'secrets under four characters are not hunted (they would shred the text)');
  t.equal(scrub('a'.repeat(500), [], 10), `${'a'.repeat(10)}…`);
});

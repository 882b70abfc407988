// The nesting bound of request bodies and socket frames (issue 12, defect 3): what counts as deep, that
// the check itself never overflows, that the Idempotency-Key fingerprint cannot throw on anything the
// parser takes, and that the code it answers is documented.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { ERRORS } from '../../engine/index.ts';
import { deeperThan, MAX_DEPTH } from '../../http/depth.ts';
import { KeyFingerprints } from '../../http/idempotency.ts';
import { deepArray, OVERFLOWING } from '../helpers/deep.ts';

/** Objects nested `depth` deep: {"a":{"a":...}}. */
function deepObject(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) v = { a: v };
  return v;
}

t.test('depth counts arrays and objects; scalars and bytes add none', async (t) => {
  for (const scalar of [null, 0, 'x'.repeat(1000), true, undefined]) t.equal(deeperThan(scalar, 0), false, `${String(scalar).slice(0, 5)} is 0 deep`);
  t.equal(deeperThan({}, 0), true, '{} is 1 deep');
  t.equal(deeperThan({}, 1), false);
  t.equal(deeperThan([1, 'a', null, { b: 2 }], 2), false, 'a scalar beside an object adds nothing');
  t.equal(deeperThan([1, 'a', null, { b: 2 }], 1), true);
  t.equal(deeperThan({ bytes: new Uint8Array(100_000) }, 1), false, 'bytes are a leaf');
  for (const build of [deepArray, deepObject]) {
    t.equal(deeperThan(build(MAX_DEPTH), MAX_DEPTH), false, `${build.name}: at the bound`);
    t.equal(deeperThan(build(MAX_DEPTH + 1), MAX_DEPTH), true, `${build.name}: past it`);
    t.equal(deeperThan([1, [2, build(MAX_DEPTH)]], MAX_DEPTH), true, `${build.name}: past it, inside a wide value`);
  }
  t.equal(deeperThan(deepArray(OVERFLOWING), MAX_DEPTH), true, 'a value deep enough to overflow JSON.stringify');
  t.equal(deeperThan(deepArray(OVERFLOWING), OVERFLOWING), false, 'walked to the bottom without overflowing the stack');
});

t.test('the Idempotency-Key fingerprint takes any body at the bound', async (t) => {
  const f = new KeyFingerprints();
  // The parser takes a body MAX_DEPTH deep: a member holding MAX_DEPTH - 1 more levels.
  const body = { amount: deepArray(MAX_DEPTH - 1), max: deepObject(MAX_DEPTH - 1) };
  t.equal(deeperThan(body, MAX_DEPTH), false);
  t.doesNotThrow(() => f.claim('u', 'k', 'POST', '/p', body));
  t.doesNotThrow(() => f.claim('u', 'k', 'POST', '/p', body), 'the same request again');
  t.throws(() => f.claim('u', 'k', 'POST', '/p', { amount: 1 }), { code: 'IDEMPOTENCY_KEY_REUSED' }, 'another one');
});

// The codes moved from the README to docs/errors.md (a table row per code, then notes).
t.test('NESTING_TOO_DEEP is in the catalogue and documented in docs/errors.md', async (t) => {
  t.match(ERRORS.NESTING_TOO_DEEP, { status: 400, socket: 'error' });
  const errors = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  t.match(errors, /\| `NESTING_TOO_DEEP` \| 400 \|/, 'with its status');
  t.match(errors, new RegExp(`\\b${MAX_DEPTH} deep\\b`), 'and the bound');
});

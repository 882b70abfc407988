// Frame decoding and validation (no server): every bad input maps to one catalogue code, never a throw.
import t from 'tap';
import { Packr } from 'msgpackr';
import { Broadcast, decodeFrame, encodeFrame } from '../../gateway/codec.ts';
import { ERRORS } from '../../engine/index.ts';
import { MAX_DEPTH } from '../../http/depth.ts';
import { deepArray, deepJson, OVERFLOWING } from '../helpers/deep.ts';

const packr = new Packr({ useRecords: false });
const text = (s: string) => new TextEncoder().encode(s);

t.test('JSON and MessagePack decode to the same message', async (t) => {
  const msg = { t: 'bid', rid: 'r1', auction: 'a1', amount: 12_000, max: 15_000 };
  const j = decodeFrame(text(JSON.stringify(msg)), false);
  const m = decodeFrame(packr.pack(msg), true);
  t.same(j, { ok: true, msg });
  t.same(m, { ok: true, msg });
});

t.test('undecodable bytes are BAD_FRAME', async (t) => {
  t.match(decodeFrame(text('{"t":'), false), { ok: false, code: 'BAD_FRAME' });
  t.match(decodeFrame(new Uint8Array([0x92, 0x01]), true), { ok: false, code: 'BAD_FRAME' }, 'truncated MessagePack');
  t.match(decodeFrame(new Uint8Array([0x01, 0x02]), true), { ok: false, code: 'BAD_FRAME' }, 'two values in one frame');
  t.match(decodeFrame(new Uint8Array([0xff, 0xfe]), false), { ok: false, code: 'BAD_FRAME' }, 'text that is not UTF-8');
  t.match(decodeFrame(text('[1,2]'), false), { ok: false, code: 'BAD_FRAME' }, 'not an object');
  t.match(decodeFrame(text('{"t":5}'), false), { ok: false, code: 'BAD_FRAME' }, 't not a string');
});

t.test('unknown types and wrong fields', async (t) => {
  t.match(decodeFrame(text('{"t":"hack","rid":"x"}'), false), { ok: false, code: 'UNKNOWN_TYPE', rid: 'x' }, 'rid echoed');
  t.match(decodeFrame(text('{"t":"__proto__"}'), false), { ok: false, code: 'UNKNOWN_TYPE' });
  t.match(decodeFrame(text('{"t":"bid","rid":"r","auction":7,"amount":1}'), false), { ok: false, code: 'VALIDATION_FAILED', rid: 'r' });
  t.match(decodeFrame(text('{"t":"bid","rid":"r","auction":"a"}'), false), { ok: false, code: 'VALIDATION_FAILED' }, 'amount missing');
  t.match(decodeFrame(text(`{"t":"bid","rid":"${'x'.repeat(65)}","auction":"a","amount":1}`), false), { ok: false, code: 'VALIDATION_FAILED' }, 'rid too long');
  t.match(decodeFrame(text('{"t":"sub","auctions":[]}'), false), { ok: false, code: 'VALIDATION_FAILED' }, 'empty sub');
  t.match(decodeFrame(text('{"t":"sub","auctions":["a"],"since":{"a":1.5}}'), false), { ok: false, code: 'VALIDATION_FAILED' }, 'fractional since');
  t.match(decodeFrame(packr.pack({ t: 'sub', auctions: ['a'], since: { a: 2n ** 63n } }), true), { ok: false, code: 'VALIDATION_FAILED' }, 'bigint since');
});

t.test('a rid is counted in code points: 40 emoji are echoed in error frames, in JSON and MessagePack', async (t) => {
  const r = '\u{1F600}'.repeat(40); // 40 code points, 80 UTF-16 units
  const frames = [{ t: 'hack', rid: r }, { t: 'bid', rid: r, auction: 7, amount: 1 }, { t: 5, rid: r }];
  for (const f of frames) {
    t.match(decodeFrame(text(JSON.stringify(f)), false), { ok: false, rid: r }, `JSON ${JSON.stringify(f.t)}`);
    t.match(decodeFrame(packr.pack(f), true), { ok: false, rid: r }, `MessagePack ${JSON.stringify(f.t)}`);
  }
  const at = (n: number) => ({ t: 'bid', rid: '\u{1F600}'.repeat(n), auction: 'a', amount: 1 });
  t.match(decodeFrame(packr.pack(at(64)), true), { ok: true }, '64 emoji are a valid rid');
  const over = decodeFrame(packr.pack(at(65)), true);
  t.match(over, { ok: false, code: 'VALIDATION_FAILED' }, '65 are not');
  t.notOk('rid' in over, 'and are not echoed');
});

t.test('amounts are left to the engine (SPEC §1 answers INVALID_AMOUNT in the ack)', async (t) => {
  const r = decodeFrame(text('{"t":"bid","rid":"r","auction":"a","amount":"12000"}'), false);
  t.ok(r.ok, 'a string amount passes the schema');
});

t.test('frames nested past MAX_DEPTH are NESTING_TOO_DEEP, in either encoding, however deep (issue 12)', async (t) => {
  const bid = (amount: string) => `{"t":"bid","rid":"r","auction":"a","amount":${amount}}`;
  t.match(decodeFrame(text(bid(deepJson(MAX_DEPTH - 1))), false), { ok: true }, `${MAX_DEPTH} deep: decoded (the engine judges the amount)`);
  t.match(decodeFrame(text(bid(deepJson(MAX_DEPTH))), false), { ok: false, code: 'NESTING_TOO_DEEP' }, `${MAX_DEPTH + 1} deep: refused`);
  t.match(decodeFrame(text(bid(deepJson(OVERFLOWING))), false), { ok: false, code: 'NESTING_TOO_DEEP' }, 'JSON text far deeper');
  t.match(decodeFrame(text(deepJson(OVERFLOWING)), false), { ok: false, code: 'NESTING_TOO_DEEP' }, 'a bare deep array');
  t.match(decodeFrame(packr.pack({ t: 'bid', rid: 'r', auction: 'a', amount: deepArray(MAX_DEPTH) }), true), { ok: false, code: 'NESTING_TOO_DEEP' },
    'MessagePack past the bound');
  // Built by hand: packr itself would overflow writing it. 0x91 is a one-element array, 0x90 an empty one.
  const overflowing = Buffer.alloc(OVERFLOWING, 0x91);
  overflowing[OVERFLOWING - 1] = 0x90;
  t.match(decodeFrame(overflowing, true), { ok: false, code: 'NESTING_TOO_DEEP' }, 'MessagePack deep enough to overflow the reader');
  t.same(decodeFrame(packr.pack({ t: 'buy', rid: 'r', auction: 'a' }), true), { ok: true, msg: { t: 'buy', rid: 'r', auction: 'a' } }, 'and the reader works on');
});

t.test('a __proto__ key never pollutes prototypes', async (t) => {
  decodeFrame(text('{"t":"sub","auctions":["a"],"__proto__":{"polluted":1}}'), false);
  decodeFrame(packr.pack(JSON.parse('{"t":"sub","auctions":["a"],"__proto__":{"polluted":1}}')), true);
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});

t.test('every code decoding can produce is in the catalogue with socket meaning error', async (t) => {
  for (const code of ['BAD_FRAME', 'UNKNOWN_TYPE', 'VALIDATION_FAILED', 'NESTING_TOO_DEEP'] as const) t.equal(ERRORS[code].socket, 'error', code);
});

t.test('a broadcast is encoded once per encoding', async (t) => {
  const b = new Broadcast({ t: 'px', auction: 'a', seq: 3, price: 1, bidCount: 1, leader: 'a*', minNext: 2, endsAt: 9 });
  t.equal(b.get('json'), b.get('json'), 'same string');
  t.equal(b.get('msgpack'), b.get('msgpack'), 'same buffer');
  t.same(JSON.parse(b.get('json') as string), b.frame);
  t.ok(Buffer.isBuffer(encodeFrame(b.frame, 'msgpack')));
});

// The error catalogue, and proof that every code the engine itself produces is reachable.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { domainOf, ERROR_CODES, ERRORS, FRAGMENTS, isErrorCode, mergeFragments, OkjError, type ErrorCode } from '../../engine/index.ts';
import {
  ALICE, BOB, applySync, bid, buy, cancel, close, createSync, edit, must, open, pendingAuction, SELLER, spec,
} from '../engine/fixtures.ts';

/** The codes SPEC §1's rules and the registry produce (the rest belong to storage, load and the protocol). */
const ENGINE_CODES: ErrorCode[] = [
  'INVALID_RID', 'AUCTION_NOT_FOUND', 'AUCTION_NOT_STARTED', 'AUCTION_CLOSED', 'SELF_BID', 'INVALID_AMOUNT',
  'BID_TOO_LOW', 'BUY_NOW_UNAVAILABLE', 'NOT_SELLER', 'CANCEL_NOT_ALLOWED', 'INVALID_TRANSITION',
  'AUCTION_NOT_ENDED', 'INVALID_AUCTION', 'AUCTION_EXISTS',
];

t.test('every catalogue entry has a status, a socket meaning and a message', async (t) => {
  t.ok(ERROR_CODES.length > 0);
  for (const code of ERROR_CODES) {
    const e: { status: number; socket: string; message: string; retryable?: boolean } = ERRORS[code];
    t.ok(Number.isInteger(e.status) && e.status >= 400 && e.status <= 599, `${code}: status ${e.status} is an HTTP error`);
    t.ok(['ack', 'error', 'close'].includes(e.socket), `${code}: socket ${e.socket}`);
    t.ok(typeof e.message === 'string' && e.message.length > 0, `${code}: has a message`);
    if (e.retryable !== undefined) t.type(e.retryable, 'boolean', `${code}: retryable is a boolean`);
  }
});

t.test('codes are their own keys, upper snake case, and unique', async (t) => {
  t.strictSame(ERROR_CODES, Object.keys(ERRORS));
  t.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
  for (const code of ERROR_CODES) t.match(code, /^[A-Z][A-Z_]*[A-Z]$/, code);
});

t.test('isErrorCode', async (t) => {
  for (const code of ERROR_CODES) t.equal(isErrorCode(code), true, code);
  for (const v of ['nope', 'bid_too_low', '', 'toString', 'hasOwnProperty', '__proto__', 42, null, undefined, {}]) {
    t.equal(isErrorCode(v), false, String(v));
  }
});

t.test('OkjError carries the code, its status and its message', async (t) => {
  const e = new OkjError('BID_TOO_LOW');
  t.ok(e instanceof Error);
  t.equal(e.name, 'OkjError');
  t.equal(e.code, 'BID_TOO_LOW');
  t.equal(e.status, 409);
  t.equal(e.message, ERRORS.BID_TOO_LOW.message);
  t.equal(e.details, undefined);
  const f = new OkjError('NOT_FOUND', 'no such product', { id: 'p1' });
  t.equal(f.message, 'no such product');
  t.equal(f.status, 404);
  t.strictSame(f.details, { id: 'p1' });
});

t.test('every code the engine produces is a rule rejection answered in the ack', async (t) => {
  for (const code of ENGINE_CODES) {
    t.ok(isErrorCode(code), `${code} is in the catalogue`);
    t.equal(ERRORS[code].socket, 'ack', `${code} is answered in the ack`);
  }
});

t.test('every engine code is reachable, and each rejection carries its catalogue message', async (t) => {
  const seen = new Map<ErrorCode, string>();
  const note = (out: ReturnType<typeof applySync>) => {
    if (!out.reply.ok) seen.set(out.reply.code, out.reply.message);
  };
  const w = pendingAuction({ buyNowPrice: 100_000 });
  const { registry: r, clock } = w;

  note(applySync(r, { ...bid(ALICE, 10_000), rid: '' }));                 // INVALID_RID
  note(applySync(r, bid(ALICE, 10_000, undefined, { auction: 'nope' })));  // AUCTION_NOT_FOUND
  note(applySync(r, bid(ALICE, 10_000)));                                  // AUCTION_NOT_STARTED (PENDING)
  note(createSync(r, spec()));                                            // AUCTION_EXISTS
  note(createSync(r, spec({ id: 'bad', startPrice: 0 })));                // INVALID_AUCTION
  note(applySync(r, edit(spec(), BOB)));                                   // NOT_SELLER
  must(r, open());
  note(applySync(r, open()));                                              // INVALID_TRANSITION
  clock.set(w.spec.startsAt);
  note(applySync(r, bid(SELLER, 10_000)));                                 // SELF_BID
  note(applySync(r, bid(ALICE, 1.5)));                                     // INVALID_AMOUNT
  note(applySync(r, bid(ALICE, 9_999)));                                   // BID_TOO_LOW
  must(r, bid(ALICE, 10_000, 200_000));
  must(r, bid(BOB, 99_000, 150_000));                                      // price passes buy-now by proxy
  note(applySync(r, buy(BOB)));                                            // BUY_NOW_UNAVAILABLE
  note(applySync(r, cancel()));                                            // CANCEL_NOT_ALLOWED
  note(applySync(r, close()));                                             // AUCTION_NOT_ENDED
  clock.set(w.spec.endsAt);
  note(applySync(r, bid(BOB, 500_000)));                                   // AUCTION_CLOSED

  t.strictSame([...seen.keys()].sort(), [...ENGINE_CODES].sort(), 'exactly the engine codes were produced');
  for (const [code, message] of seen) t.equal(message, ERRORS[code].message, `${code} message`);
});

t.test('each domain declares its own codes, and a code declared twice is refused', async (t) => {
  const all = Object.values(FRAGMENTS).flatMap((f) => Object.keys(f));
  t.equal(new Set(all).size, all.length, 'no code in two fragments');
  t.same([...all].sort(), [...ERROR_CODES].sort(), 'the registry is exactly the fragments');
  t.throws(() => mergeFragments({ a: { SAME: ERRORS.INTERNAL }, b: { SAME: ERRORS.INTERNAL } }), /SAME is declared by both a and b/);
  t.equal(domainOf('BID_TOO_LOW'), 'auction');
  t.equal(domainOf('SESSION_REVOKED'), 'accounts');
});

t.test('docs/errors.md documents every code with its HTTP status and socket meaning', async (t) => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map<string, { status: number; socket: string }>();
  for (const m of doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (ack|error|close) \|/gm)) rows.set(m[1], { status: Number(m[2]), socket: m[3] });
  for (const code of ERROR_CODES) {
    t.same(rows.get(code), { status: ERRORS[code].status, socket: ERRORS[code].socket }, `${code} documented as the registry says`);
  }
  t.same([...rows.keys()].filter((c) => !isErrorCode(c)), [], 'no retired or unknown code documented');
});

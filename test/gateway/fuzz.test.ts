// Fuzz the socket boundary with fast-check: random bytes, truncated MessagePack, wrong field types,
// huge numbers, unknown types, oversized frames. Every frame gets an `error` (or a rejecting ack) or a
// documented close; the server stays up and the auction's seq never moves.
import t from 'tap';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { isAmount } from '../../engine/index.ts';
import { CLOSE } from '../../gateway/protocol.ts';
import { MAX_DEPTH } from '../../http/depth.ts';
import { deepArray } from '../helpers/deep.ts';
import { api, boot, Client, openAuction, type Frame } from './harness.ts';

const LIMIT = 2048;
const b = await boot({ WS_MAX_PAYLOAD_BYTES: String(LIMIT), WS_COMMANDS_PER_SECOND: '100000' });
t.teardown(() => b.stop());
const auction = await openAuction(b, 'seller');
const token = await b.token('fuzzer');
const packr = new Packr({ useRecords: false });
const seqOf = async () => (await api(b.http, 'GET', `/api/v1/auctions/${auction}`)).body.seq as number;

type Wire = { data: Buffer | string; binary: boolean };

const json = (v: unknown): Wire => ({ data: JSON.stringify(v) ?? 'null', binary: false });
const mp = (v: unknown): Wire => ({ data: packr.pack(v), binary: true });
const either = (v: unknown) => fc.constantFrom(json, mp).map((enc) => enc(v));

// Values that are never a valid amount (so no generated bid can be accepted).
const badAmount = fc.oneof(
  fc.string({ maxLength: 20 }), fc.double().filter((d) => !isAmount(d)), fc.constantFrom(0, -1, 1e12 + 1, 2 ** 53, 1e308, Number.MAX_VALUE),
  fc.integer({ max: 0 }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer()),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });

const frames = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((u): Wire => ({ data: Buffer.from(u), binary: true })),
  fc.string({ maxLength: 300 }).map((s): Wire => ({ data: s, binary: false })),
  // truncated MessagePack of a valid bid
  fc.tuple(fc.integer({ min: 1, max: 40 })).map(([cut]): Wire => {
    const full = packr.pack({ t: 'bid', rid: 'fz', auction, amount: 50_000 });
    return { data: full.subarray(0, Math.max(0, full.length - cut)), binary: true };
  }),
  // wrong field types / bad amounts on the real auction
  fc.record({ rid: fc.string({ minLength: 1, maxLength: 64 }), amount: badAmount, max: fc.option(anyJson, { nil: undefined }) })
    .chain((f) => either({ t: 'bid', auction, ...f })),
  fc.record({ rid: anyJson, auction: anyJson, amount: anyJson }).chain((f) => either({ t: 'bid', ...f })),
  fc.record({ t: fc.constantFrom('sub', 'unsub', 'auth', 'buy'), auctions: anyJson, token: anyJson, since: anyJson, rid: fc.integer() })
    .chain((f) => either(f)),
  // huge numbers, including 64-bit integers that decode as BigInt
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }).map((n): Wire => {
    const head = packr.pack({ t: 'bid', rid: 'big', auction });
    const body = Buffer.alloc(9);
    body[0] = 0xcf;
    body.writeBigUInt64BE(n, 1);
    // rebuild the map with a 4th key: amount -> uint64
    const map = Buffer.concat([Buffer.from([0x84]), head.subarray(1), packr.pack('amount'), body]);
    return { data: map, binary: true };
  }),
  // unknown types
  fc.string({ maxLength: 30 }).filter((s) => !['auth', 'sub', 'unsub', 'bid', 'buy'].includes(s)).chain((s) => either({ t: s, rid: 'u' })),
  // arrays nested past the bound, in a bid's amount or as the whole frame (issue 12)
  fc.integer({ min: MAX_DEPTH + 1, max: 600 }).chain((d) => fc.oneof(either({ t: 'bid', rid: 'deep', auction, amount: deepArray(d) }), either(deepArray(d)))),
  // oversized frames, in the band uWS hands over and beyond it
  fc.integer({ min: LIMIT + 1, max: LIMIT * 3 }).map((n): Wire => ({ data: Buffer.alloc(n, 0x61), binary: true })),
);

const ANSWERS = new Set([
  'BAD_FRAME', 'UNKNOWN_TYPE', 'VALIDATION_FAILED', 'NESTING_TOO_DEEP', 'INVALID_AMOUNT', 'INVALID_RID', 'AUCTION_NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED',
]);

t.test('malformed frames never crash the server or touch an auction', async (t) => {
  const before = await seqOf();
  let client = await Client.open(b.ws, { token });
  let closes = 0;
  let answers = 0;
  await fc.assert(
    fc.asyncProperty(frames, async (w) => {
      if (client.ws.readyState !== client.ws.OPEN) client = await Client.open(b.ws, { token });
      client.inbox.length = 0;
      client.sendRaw(w.data, w.binary);
      const size = typeof w.data === 'string' ? Buffer.byteLength(w.data) : w.data.length;
      if (size > LIMIT) {
        // Over the limit: closed with 1009 (after a PAYLOAD_TOO_LARGE error), or cut (1006) past twice the limit.
        const closed = await client.closed;
        closes++;
        const expected = size > LIMIT * 2 ? 1006 : CLOSE.PAYLOAD_TOO_LARGE;
        if (closed.code !== expected) throw new Error(`closed with ${closed.code} for a ${size}-byte frame`);
        if (size <= LIMIT * 2 && !client.log.some((l) => l.frame.t === 'error' && l.frame.code === 'PAYLOAD_TOO_LARGE')) {
          throw new Error('no PAYLOAD_TOO_LARGE error before the close');
        }
        return;
      }
      const f = await client.take((x: Frame) => ['error', 'ack', 'snap', 'authed', 'unsubbed'].includes(x.t), 2000);
      answers++;
      if (f.t === 'error' || (f.t === 'ack' && f.ok === false)) {
        if (!ANSWERS.has(f.code)) throw new Error(`unexpected code ${f.code}`);
      } else if (f.t === 'ack') throw new Error(`a fuzzed command was accepted: ${JSON.stringify(f)}`);
    }),
    { numRuns: 200, seed: 42, endOnFailure: true },
  );
  await client.close();
  t.ok(answers > 0 && closes > 0, `frames were answered (${answers}) and oversized ones closed (${closes})`);
  t.equal(await seqOf(), before, 'the auction seq is unchanged');
  const fresh = await Client.open(b.ws, { token });
  t.teardown(() => fresh.close());
  fresh.send({ t: 'sub', auctions: [auction] });
  t.match(await fresh.type('snap'), { auction, seq: before }, 'a new connection still works');
  t.match(await fresh.command({ t: 'bid', rid: 'after-fuzz', auction, amount: 10_000 }), { ok: true }, 'and can bid');
});

t.test('a frame nested past the bound gets a NESTING_TOO_DEEP error in its encoding, and the socket works on (issue 12)', async (t) => {
  const client = await Client.open(b.ws, { token });
  t.teardown(() => client.close());
  for (const w of [json({ t: 'bid', rid: 'deep-j', auction, amount: deepArray(600) }), mp({ t: 'bid', rid: 'deep-m', auction, amount: deepArray(900) })]) {
    client.sendRaw(w.data, w.binary);
    t.match(await client.type('error'), { code: 'NESTING_TOO_DEEP' }, w.binary ? 'MessagePack' : 'JSON');
    t.equal(client.log.at(-1)?.binary, w.binary, 'answered in the encoding it came in');
  }
  client.send({ t: 'sub', auctions: [auction] });
  t.match(await client.type('snap'), { auction }, 'the socket still works');
});

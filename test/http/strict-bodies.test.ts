// Issue 12, defects 1 to 3, over real HTTP on SQLite and MariaDB, each as it was reported:
// 1. a PATCH (or create) whose softClose carries a member nested 30,000 deep answered 503 and poisoned
//    the journal (the outbox stopped for everyone until a restart);
// 2. any extra member (in softClose or beside it) was stored with the spec, on create and edit;
// 3. the same depth with an Idempotency-Key answered 500 (the key's fingerprint overflowed the stack).
// Now a body is parsed to exactly its documented members, and nests at most MAX_DEPTH deep.
import t from 'tap';
import { auctionIdFor } from '../../http/auction/routes.ts';
import { MAX_DEPTH } from '../../http/depth.ts';
import { backends } from '../accounts/helpers.ts';
import { api, HOUR, openAuction, rid, type Res } from '../gateway/harness.ts';
import { deepJson } from '../helpers/deep.ts';

const REPORTED_DEPTH = 30_000;
const SOFT_CLOSE = { windowMs: 0, extendMs: 0, maxExtensions: 0 };
const problem = (status: number, code: string) => ({ status, type: /^application\/problem\+json/, body: { status, code } });
/** A JSON body with `deep` (JSON text) spliced in where the marker string stands. */
const splice = (body: unknown, deep: string): string => JSON.stringify(body).replace('"@deep@"', deep);

for (const backend of backends) {
  t.test(backend.name, async (t) => {
    const s = await backend.start(t);
    if (s === null) return;
    const seller = await s.token('seller');
    const bidder = await s.token('bidder');
    const admin = await s.token('operator', { role: 'admin' });
    const now = Date.now();
    const terms = { productId: 'p1', startPrice: 10_000, bidUnit: 1_000, startsAt: now, endsAt: now + HOUR };
    const created = await api(s.http, 'POST', '/api/v1/auctions', { token: seller, key: rid('c'), body: terms });
    t.equal(created.status, 201);
    const pending = created.body.id as string;
    const other = await openAuction(s, 'seller');
    const events = (id: string) => s.stores.journal.read(id);
    const outboxEnd = async (): Promise<number> => (await api(s.http, 'GET', '/api/v1/admin/outbox?after=0&limit=1000', { token: admin })).body.next;
    const raw = (method: string, path: string, body: string, key?: string): Promise<Res> =>
      api(s.http, method, path, { token: method === 'POST' && path.endsWith('/bids') ? bidder : seller, key, raw: body, headers: { 'content-type': 'application/json' } });

    await t.test('defect 1: a softClose member nested 30,000 deep is refused, and the journal is not poisoned', async (t) => {
      const before = await outboxEnd();
      const deep = splice({ softClose: { ...SOFT_CLOSE, x: '@deep@' } }, deepJson(REPORTED_DEPTH));
      t.match(await raw('PATCH', `/api/v1/auctions/${pending}`, deep), problem(400, 'NESTING_TOO_DEEP'), 'PATCH: 400, not 503');
      const key = rid('deep-create');
      const createDeep = splice({ ...terms, softClose: { ...SOFT_CLOSE, x: '@deep@' } }, deepJson(REPORTED_DEPTH));
      t.match(await raw('POST', '/api/v1/auctions', createDeep, key), problem(400, 'NESTING_TOO_DEEP'), 'create: 400');
      t.same((await events(pending)).map((e) => e.type), ['created'], 'the auction unchanged');
      t.same(await events(auctionIdFor('seller', key)), [], 'nothing created');

      // Other traffic carries on, and the outbox reads it at once: no range was left in flight.
      const bid = await api(s.http, 'POST', `/api/v1/auctions/${other}/bids`, { token: bidder, key: rid('b'), body: { amount: 10_000 } });
      t.match(bid, { status: 200, body: { ok: true } });
      const page = (await api(s.http, 'GET', `/api/v1/admin/outbox?after=${before}&limit=1000`, { token: admin })).body;
      t.match(page.items.at(-1), { auctionId: other, seq: bid.body.seq, type: 'bid.accepted' }, 'the outbox has the next bid');
    });

    await t.test('defect 2: extra members are refused on create and edit, and nothing of them is stored', async (t) => {
      const anything = { anything: { kept: true } };
      const edits: [string, unknown][] = [
        ['in softClose', { softClose: { ...SOFT_CLOSE, ...anything } }],
        ['beside the terms', { startPrice: 12_000, ...anything }],
        ['an id or seller the path and token decide', { sellerId: 'mallory' }],
        ['softClose of the wrong type', { softClose: [0, 0, 0] }],
        ['a number as text', { startPrice: '12000' }],
      ];
      for (const [what, body] of edits) {
        const r = await api(s.http, 'PATCH', `/api/v1/auctions/${pending}`, { token: seller, body });
        t.match(r, problem(400, 'VALIDATION_FAILED'), `PATCH, ${what}`);
      }
      for (const [what, body] of [
        ['in softClose', { ...terms, softClose: { ...SOFT_CLOSE, ...anything } }],
        ['beside the terms', { ...terms, ...anything }],
        ['60 KB of it', { ...terms, softClose: { ...SOFT_CLOSE, pad: 'x'.repeat(60_000) } }],
      ] as const) {
        const key = rid('extra');
        t.match(await api(s.http, 'POST', '/api/v1/auctions', { token: seller, key, body }), problem(400, 'VALIDATION_FAILED'), `create, ${what}`);
        t.same(await events(auctionIdFor('seller', key)), [], `create, ${what}: nothing stored`);
      }
      t.same((await events(pending)).map((e) => e.type), ['created'], 'no edit was applied');

      const ok = await api(s.http, 'PATCH', `/api/v1/auctions/${pending}`, { token: seller, body: { softClose: { ...SOFT_CLOSE, maxExtensions: null } } });
      t.match(ok, { status: 200, body: { ok: true } }, 'the documented members are still taken');
      const [, edited] = await events(pending);
      t.strictSame(edited.spec?.softClose, { ...SOFT_CLOSE, maxExtensions: null }, 'and stored as given, nothing more');
      t.same(Object.keys(edited.spec ?? {}).sort(), Object.keys({ ...terms, id: 0, sellerId: 0, buyNowPrice: 0, reservePrice: 0, softClose: 0 }).sort());
    });

    await t.test('every other body the API takes is parsed to its documented members', async (t) => {
      const extra = { unknownMember: 1 };
      const cases: [string, string, string | undefined, unknown][] = [
        ['POST', `/api/v1/auctions/${other}/bids`, bidder, { amount: 11_000, ...extra }],
        ['POST', `/api/v1/auctions/${other}/buy-now`, bidder, extra],
        ['POST', `/api/v1/auctions/${pending}/open`, seller, extra],
        ['POST', `/api/v1/auctions/${pending}/cancel`, seller, extra],
        ['POST', '/api/v1/products', seller, { name: 'lamp', ...extra }],
        ['PUT', '/api/v1/categories/lamps', admin, { name: 'Lamps', ...extra }],
        ['PUT', '/api/v1/tags/lamp', admin, extra],
        ['PUT', `/api/v1/wishes/${other}`, bidder, extra],
        ['POST', '/api/v1/auth/logout', seller, extra],
        ['POST', '/api/v1/auth/login', undefined, { email: 'a@example.com', password: 'x', ...extra }],
      ];
      for (const [method, path, token, body] of cases) {
        t.match(await api(s.http, method, path, { token, key: rid('x'), body }), problem(400, 'VALIDATION_FAILED'), `${method} ${path}`);
      }
      t.same((await events(other)).map((e) => e.type), ['created', 'opened', 'bid'], 'no bid or buy-now was applied');
      t.same((await events(pending)).map((e) => e.type), ['created', 'edited'], 'the pending auction neither opened nor canceled');
      t.same((await api(s.http, 'GET', '/api/v1/me/products', { token: seller })).body.items, [], 'no product');
      t.same((await api(s.http, 'GET', '/api/v1/categories')).body.items, [], 'no category');
      t.same((await api(s.http, 'GET', '/api/v1/tags')).body.items, [], 'no tag');
      t.same((await api(s.http, 'GET', '/api/v1/wishes', { token: bidder })).body.items, [], 'no wish');
      t.equal((await api(s.http, 'GET', '/api/v1/me/products', { token: seller })).status, 200, 'the session still stands');
      t.equal((await api(s.http, 'POST', `/api/v1/auctions/${pending}/open`, { token: seller, body: {} })).status, 200, 'an empty object is no body');
    });

    await t.test('defect 3: deep bodies with an Idempotency-Key are 400, never 500; the key stays free', async (t) => {
      const key = rid('deep-key');
      const deepCreate = splice({ ...terms, softClose: { ...SOFT_CLOSE, x: '@deep@' } }, deepJson(REPORTED_DEPTH));
      t.match(await raw('POST', '/api/v1/auctions', deepCreate, key), problem(400, 'NESTING_TOO_DEEP'), 'create');
      const bidKey = rid('deep-bid');
      const bids = `/api/v1/auctions/${other}/bids`;
      t.match(await raw('POST', bids, splice({ amount: '@deep@' }, deepJson(REPORTED_DEPTH)), bidKey), problem(400, 'NESTING_TOO_DEEP'), 'bid');
      t.match(await raw('POST', bids, splice({ amount: 1, x: '@deep@' }, deepJson(REPORTED_DEPTH)), bidKey), problem(400, 'NESTING_TOO_DEEP'), 'bid, beside the amount');

      // At the bound the parser takes the body, and the fingerprint serializes it without trouble.
      t.match(await raw('POST', bids, splice({ amount: '@deep@' }, deepJson(MAX_DEPTH - 1)), rid('bound')), problem(400, 'INVALID_AMOUNT'), `${MAX_DEPTH} deep: judged`);
      t.match(await raw('POST', bids, splice({ amount: '@deep@' }, deepJson(MAX_DEPTH)), rid('bound')), problem(400, 'NESTING_TOO_DEEP'), `${MAX_DEPTH + 1} deep: refused`);

      const good = await api(s.http, 'POST', bids, { token: bidder, key: bidKey, body: { amount: 12_000 } });
      t.match(good, { status: 200, body: { ok: true } }, 'the key of a refused body is not taken');
      t.match(await api(s.http, 'POST', '/api/v1/auctions', { token: seller, key, body: terms }), { status: 201 }, 'nor the create key');
    });
  });
}

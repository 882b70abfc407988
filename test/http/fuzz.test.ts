// Fuzz the JSON bodies of every write route of a running server (issue 12): bodies nested far past the
// bound, huge arrays, extra members and documented members of the wrong type. The routes and their
// documented members come from the server's own /openapi.json, so a new route is fuzzed as soon as it
// exists (the server refuses to start with a route the document lacks). Every answer is a 4xx problem
// document, never a 5xx; nothing is stored; and the outbox keeps reading other users' bids meanwhile.
import t from 'tap';
import fc from 'fast-check';
import { isErrorCode } from '../../engine/index.ts';
import { MAX_DEPTH } from '../../http/depth.ts';
import { api, boot, HOUR, openAuction, rid, type Res } from '../gateway/harness.ts';
import { deepJson } from '../helpers/deep.ts';

const b = await boot();
t.teardown(() => b.stop());

// One identity that may do everything (admin routes; seller of the auction, owner of the product), so
// that a request is refused for its body, not turned away before it is read.
const admin = await b.token('fuzz-admin', { role: 'admin' });
const bidder = await b.token('fuzz-bidder');
const now = Date.now();
const pending = await api(b.http, 'POST', '/api/v1/auctions', {
  token: admin, key: rid('pending'), body: { productId: 'p-fuzz', startPrice: 10_000, buyNowPrice: 50_000, startsAt: now, endsAt: now + HOUR },
});
const auction = pending.body.id as string;
const product = (await api(b.http, 'POST', '/api/v1/products', { token: admin, body: { name: 'fuzzed lamp' } })).body;
const control = await openAuction(b, 'control-seller');

/** Path parameters, by path: targets that exist and are the fuzzer's own. */
function fill(path: string): string {
  const value = (name: string): string => {
    if (path.startsWith('/api/v1/auctions/')) return auction;
    if (path.startsWith('/api/v1/products/')) return product.id;
    if (path.startsWith('/api/v1/accounts/')) return 'me';
    if (path.startsWith('/api/v1/wishes/')) return control;
    if (path.startsWith('/api/v1/categories/')) return 'fuzz-cat';
    return `fuzz-${name}`;
  };
  return path.replace(/\{(\w+)\}/g, (_, name: string) => value(name));
}

// ---- the routes, from the document --------------------------------------------------------------

type Json = Record<string, unknown>;
const doc = (await api(b.http, 'GET', '/openapi.json')).body as Json;
const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
const resolve = (s: Json): Json => (typeof s.$ref === 'string' ? schemas[s.$ref.split('/').at(-1) as string] : s);

interface Route { method: string; path: string; members: string[] }
const routes: Route[] = [];
for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
  for (const [method, op] of Object.entries(ops)) {
    if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
    const schema = (op.requestBody as { content?: Record<string, { schema: Json }> } | undefined)?.content?.['application/json']?.schema;
    const members = schema === undefined ? [] : Object.keys((resolve(schema).properties as Json | undefined) ?? {});
    routes.push({ method: method.toUpperCase(), path, members });
  }
}

// ---- the bodies ---------------------------------------------------------------------------------

/** No documented member starts with this: a member so named is unknown to every route. */
const UNKNOWN = 'x-';
const unknownMember = fc.string({ minLength: 1, maxLength: 12 }).map((s) => UNKNOWN + s);
const deep = fc.integer({ min: MAX_DEPTH + 1, max: 30_000 }).map(deepJson);
const hugeArray = fc.integer({ min: 1_000, max: 20_000 }).map((n) => `[${'0,'.repeat(n - 1)}0]`);
/** Of the wrong type for every documented member (amounts, typed by the engine, answer INVALID_AMOUNT). */
const wrongValue = fc.oneof(fc.boolean(), fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }), unknownMember.map((k) => ({ [k]: 1 })));
const notAnObject = fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));

interface Body { kind: string; text: string }

/** A counterexample as fast-check reports it: its kind and size, not 60 KB of brackets. */
const shown = (b: Body): Body => Object.assign(b, { [fc.toStringMethod]: () => `${b.kind}, ${b.text.length} bytes: ${b.text.slice(0, 60)}...` });

function bodies(members: string[]): fc.Arbitrary<Body> {
  const name = members.length > 0 ? fc.oneof(fc.constantFrom(...members), unknownMember) : unknownMember;
  const known = members.length > 0 ? fc.constantFrom(...members) : unknownMember;
  const at = (k: string, text: string) => `{${JSON.stringify(k)}:${text}}`;
  return fc.oneof(
    fc.tuple(name, deep).map(([k, d]) => ({ kind: 'a deep member', text: at(k, d) })),
    deep.map((d) => ({ kind: 'a deep body', text: d })),
    fc.tuple(name, hugeArray).map(([k, a]) => ({ kind: 'a huge array member', text: at(k, a) })),
    hugeArray.map((a) => ({ kind: 'a huge array body', text: a })),
    fc.tuple(fc.dictionary(known, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), unknownMember, fc.jsonValue({ maxDepth: 2 }))
      .map(([given, k, v]) => ({ kind: 'an extra member', text: JSON.stringify({ ...given, [k]: v }) })),
    fc.tuple(known, wrongValue).map(([k, v]) => ({ kind: 'a member of the wrong type', text: JSON.stringify({ [k]: v }) })),
    notAnObject.map((v) => ({ kind: 'not an object', text: JSON.stringify(v) })),
  ).map(shown);
}

// ---- other traffic ------------------------------------------------------------------------------

let position = (await api(b.http, 'GET', '/api/v1/admin/outbox?after=0&limit=1000', { token: admin })).body.next as number;
const start = position;
let price = 10_000;
/** A bid on another auction, and the outbox reads it at once. */
async function otherTraffic(): Promise<void> {
  const bid = await api(b.http, 'POST', `/api/v1/auctions/${control}/bids`, { token: bidder, key: rid('control'), body: { amount: price } });
  if (bid.status !== 200) throw new Error(`the control bid was refused: ${bid.status} ${JSON.stringify(bid.body)}`);
  price += 1_000;
  const page = (await api(b.http, 'GET', `/api/v1/admin/outbox?after=${position}&limit=1000`, { token: admin })).body;
  if (!(page.next > position) || !page.items.some((i: { auctionId: string; seq: number }) => i.auctionId === control && i.seq === bid.body.seq)) {
    throw new Error(`the outbox did not advance past ${position} to the control bid: ${JSON.stringify(page).slice(0, 300)}`);
  }
  position = page.next;
}

const isProblem = (r: Res): boolean =>
  r.status >= 400 && r.status < 500 && /^application\/problem\+json/.test(r.type) && r.body?.status === r.status && isErrorCode(r.body?.code);

t.test('the write routes come from the document', async (t) => {
  const names = routes.map((r) => `${r.method} ${r.path}`);
  for (const expected of ['POST /api/v1/auctions', 'PATCH /api/v1/auctions/{id}', 'POST /api/v1/auctions/{id}/bids', 'POST /api/v1/products', 'PUT /api/v1/categories/{id}', 'POST /api/v1/auth/signup']) {
    t.ok(names.includes(expected), expected);
  }
  t.ok(routes.every((r) => r.members.every((m) => !m.startsWith(UNKNOWN))), `no documented member starts with ${UNKNOWN}`);
  t.ok(routes.some((r) => r.members.includes('softClose')), 'members are read from the request schemas');
});

t.test('every write route answers bad bodies with a 4xx problem, stores nothing, and the outbox carries on', async (t) => {
  const counts = new Map<string, number>();
  for (const [i, route] of routes.entries()) {
    const url = fill(route.path);
    await fc.assert(
      fc.asyncProperty(bodies(route.members), async (body) => {
        const r = await api(b.http, route.method, url, { token: admin, key: rid('fuzz'), raw: body.text, headers: { 'content-type': 'application/json' } });
        if (!isProblem(r)) throw new Error(`${route.method} ${url} with ${body.kind}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        counts.set(body.kind, (counts.get(body.kind) ?? 0) + 1);
      }),
      { numRuns: 8, seed: 12 + i, endOnFailure: true },
    );
    t.pass(`${route.method} ${route.path}`);
    if (i % 4 === 3) await otherTraffic();
  }
  await otherTraffic();
  t.ok(counts.size >= 6, `every kind of body was tried: ${JSON.stringify(Object.fromEntries(counts))}`);

  const events = (await api(b.http, 'GET', `/api/v1/admin/outbox?after=${start}&limit=1000`, { token: admin })).body.items as { auctionId: string; type: string }[];
  t.ok(events.length > 0 && events.every((e) => e.auctionId === control && e.type === 'bid.accepted'), 'the journal holds the other traffic alone');
  t.match((await api(b.http, 'GET', `/api/v1/auctions/${auction}`)).body, { seq: 1, status: 'PENDING', price: 10_000, buyNowPrice: 50_000 }, 'the auction unchanged');
  // The page adds the product's market price (computed, not stored with the product): the rest is the product.
  const { marketPrice: _price, ...shownProduct } = (await api(b.http, 'GET', `/api/v1/products/${product.id}`)).body;
  t.same(shownProduct, product, 'the product unchanged');
  t.same((await api(b.http, 'GET', '/api/v1/categories')).body.items, [], 'no category');
  t.same((await api(b.http, 'GET', '/api/v1/tags')).body.items, [], 'no tag');
  t.same((await api(b.http, 'GET', '/api/v1/wishes', { token: admin })).body.items, [], 'no wish');
});

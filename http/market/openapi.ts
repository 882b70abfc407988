// The marketplace routes (http/market/) in the OpenAPI document, written out compactly: path
// parameters come from the path, request bodies from the zod schemas that parse them, and answers are
// described at the level of their members' documentation in docs/marketplace.md.
import { CategoryBody, ProductBody, ProductPatch } from './schemas.ts';
import { fromZod } from '../openapi-zod.ts';
import { problem, type ApiFragment, type Json } from '../openapi-kit.ts';

/** A query parameter: a string by default, or typed. */
type Query = string | { name: string; schema: Json; description: string };

interface Op {
  summary: string;
  description?: string;
  auth?: boolean;
  body?: Json;
  ok?: number;
  query?: Query[];
  /** The answer's schema, when described more closely than an object. */
  answer?: Json;
  /** The answer's media type when it is not JSON (image bytes). */
  media?: string;
  /** Problem answers beyond 400 and 404 (and 401/403 with auth), by status. */
  problems?: Record<number, string>;
}

const obj = { type: 'object' };

function operation(path: string, o: Op): Json {
  const params: Json[] = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  for (const q of o.query ?? []) {
    params.push(typeof q === 'string' ? { name: q, in: 'query', required: false, schema: { type: 'string' } } : { ...q, in: 'query', required: false });
  }
  const ok = o.ok ?? 200;
  const responses: Json = {
    [ok]: ok === 204 ? { description: 'done' } : { description: 'OK', content: { [o.media ?? 'application/json']: { schema: o.media ? { type: 'string', format: 'binary' } : (o.answer ?? obj) } } },
    400: problem('invalid request'),
    404: problem('not found'),
  };
  if (o.auth) Object.assign(responses, { 401: problem('no valid access token'), 403: problem('not allowed') });
  for (const [status, description] of Object.entries(o.problems ?? {})) responses[status] = problem(description);
  return {
    summary: o.summary, ...(o.description ? { description: o.description } : {}), tags: ['market'],
    ...(o.auth ? { security: [{ bearer: [] }] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(o.body ? { requestBody: { required: true, content: { 'application/json': { schema: o.body } } } } : {}),
    responses,
  };
}

const ROUTES: [string, string, Op][] = [
  ['get', '/api/v1/auctions', { summary: 'auction list: filters, sort and an opaque cursor', query: ['status', 'category', 'tag', 'q', 'minPrice', 'maxPrice', 'seller', 'sort', 'limit', 'cursor'] }],
  ['get', '/api/v1/auctions/overview', { summary: 'recommended auctions beside the general list' }],
  ['get', '/api/v1/auctions/{id}/bids', {
    summary: 'bid history, oldest first, a slice of the journal per page, bidders masked',
    description: 'The bids among the `limit` journal events after seq `after`, so a page may hold fewer than `limit`; '
      + '`next` is the `after` of the next page, null when nothing is left.',
    query: [
      { name: 'after', schema: { type: 'integer', minimum: 0, default: 0 }, description: 'the seq to read after: `next` of the previous page' },
      { name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, description: 'journal events to read' },
    ],
    answer: {
      type: 'object', required: ['items', 'next'],
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object', required: ['seq', 'at', 'bidder', 'price', 'leader', 'buyNow'],
            properties: {
              seq: { type: 'integer' }, at: { type: 'integer', description: 'epoch ms' }, bidder: { type: 'string', description: 'masked' },
              price: { type: 'integer' }, leader: { type: ['string', 'null'], description: 'masked' }, buyNow: { type: 'boolean' },
            },
          },
        },
        next: { type: ['integer', 'null'] },
      },
    },
  }],
  ['patch', '/api/v1/auctions/{id}', { summary: 'edit a PENDING auction (seller)', auth: true, body: { $ref: '#/components/schemas/AuctionEdit' } }],
  ['post', '/api/v1/auctions/{id}/cancel', { summary: 'cancel (the seller while no bid stands, an admin always)', auth: true }],
  ['get', '/api/v1/me/auctions', { summary: 'my auctions as seller or bidder', auth: true, query: ['role'] }],
  ['post', '/api/v1/products', {
    summary: 'a product (JSON, or multipart/form-data with these members as text fields and files `images`)', auth: true, ok: 201,
    body: fromZod(ProductBody),
    problems: {
      413: 'PAYLOAD_TOO_LARGE (a file past UPLOAD_MAX_BYTES) or TOO_MANY_FILES (past UPLOAD_MAX_FILES)',
      415: 'IMAGE_INVALID: a file whose first bytes are not a JPEG, PNG, WebP or GIF image',
      429: 'TOO_MANY_UPLOADS: UPLOAD_MAX_IN_FLIGHT_PER_USER uploads of this user in progress; see Retry-After',
      503: 'UPLOADS_BUSY: UPLOAD_MAX_IN_FLIGHT uploads in progress; see Retry-After',
    },
  }],
  ['get', '/api/v1/products/{id}', { summary: 'a product' }],
  ['get', '/api/v1/products', { summary: 'products of a seller', query: ['seller'] }],
  ['get', '/api/v1/me/products', { summary: 'my products', auth: true }],
  ['patch', '/api/v1/products/{id}', { summary: 'edit a product (owner or admin)', auth: true, body: fromZod(ProductPatch) }],
  ['delete', '/api/v1/products/{id}', { summary: 'soft-delete a product (owner or admin)', auth: true, ok: 204 }],
  ['get', '/api/v1/images/p/{product}/{file}', { summary: 'image bytes (images on local disk)', media: 'image/*' }],
  ['get', '/api/v1/categories', { summary: 'the category tree' }],
  ['put', '/api/v1/categories/{id}', { summary: 'create or rename a category (admin)', auth: true, body: fromZod(CategoryBody) }],
  ['delete', '/api/v1/categories/{id}', { summary: 'delete a category (admin)', auth: true, ok: 204 }],
  ['get', '/api/v1/tags', { summary: 'tags' }],
  ['put', '/api/v1/tags/{name}', { summary: 'create a tag (admin)', auth: true }],
  ['delete', '/api/v1/tags/{name}', { summary: 'delete a tag (admin)', auth: true, ok: 204 }],
  ['put', '/api/v1/wishes/{auction}', { summary: 'wish (favorite) an auction', auth: true }],
  ['delete', '/api/v1/wishes/{auction}', { summary: 'remove a wish', auth: true, ok: 204 }],
  ['get', '/api/v1/wishes', { summary: 'my wishes', auth: true }],
  ['get', '/api/v1/inbox', { summary: 'my inbox', auth: true }],
  ['post', '/api/v1/inbox/{id}/read', { summary: 'mark an inbox item read', auth: true }],
  ['delete', '/api/v1/inbox/{id}', { summary: 'delete an inbox item', auth: true, ok: 204 }],
  ['get', '/api/v1/admin/outbox', { summary: 'the outbox: journal events after a position, in order, with the next position (admin)', auth: true, query: ['after'] }],
];

/** Path items of the marketplace routes, to merge into the document's paths. */
export function marketApi(): ApiFragment {
  const paths: Record<string, Record<string, Json>> = {};
  for (const [method, path, op] of ROUTES) (paths[path] ??= {})[method] = operation(path, op);
  return { paths, schemas: {} };
}

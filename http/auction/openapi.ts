// The auction routes (http/auction/routes.ts) in the OpenAPI document: request bodies from the zod
// schemas that parse them, answers written out.
import { AuctionCreateBody, AuctionEditBody, BidBody } from './schemas.ts';
import { fromZod } from '../openapi-zod.ts';
import {
  bearer, body, idempotency, idParam, json, millis, P400, P401, P403, P404, P409, P413, P503, problem, ref, won, type ApiFragment, type Json,
} from '../openapi-kit.ts';

const auctionId = idParam('the auction id');

const command = (summary: string, req: Json | null, keyRequired: boolean) => ({
  summary, security: bearer, tags: ['auctions'],
  parameters: [auctionId, idempotency(keyRequired)],
  ...(req === null ? {} : { requestBody: body(req) }),
  responses: { 200: json(ref('Accepted'), 'accepted, durable'), 400: P400, 401: P401, 403: P403, 404: P404, 409: P409, 413: P413, 422: problem('IDEMPOTENCY_KEY_REUSED'), 503: P503 },
});

export function auctionApi(): ApiFragment {
  return {
    schemas: {
      AuctionCreate: fromZod(AuctionCreateBody),
      AuctionEdit: fromZod(AuctionEditBody),
      BidRequest: fromZod(BidBody),
      Accepted: {
        type: 'object', required: ['ok', 'rid', 'seq', 'price', 'leading', 'endsAt'],
        properties: { ok: { const: true }, rid: { type: 'string' }, seq: { type: 'integer' }, price: won, leading: { type: 'boolean' }, endsAt: millis, id: { type: 'string' } },
      },
      AuctionView: {
        type: 'object',
        required: ['auction', 'seq', 'status', 'price', 'bidCount', 'leader', 'minNext', 'endsAt', 'buyNowPrice', 'reserveMet'],
        properties: {
          auction: { type: 'string' }, seq: { type: 'integer' }, status: { type: 'string', enum: ['PENDING', 'OPEN', 'SOLD', 'UNSOLD', 'CANCELED'] },
          price: won, bidCount: { type: 'integer' }, leader: { type: ['string', 'null'], description: 'masked' }, minNext: won, endsAt: millis,
          buyNowPrice: { type: ['integer', 'null'] }, reserveMet: { type: 'boolean' },
        },
      },
    },
    paths: {
      '/api/v1/auctions': {
        post: {
          summary: 'create an auction (the caller is the seller)', security: bearer, tags: ['auctions'], parameters: [idempotency(true)],
          requestBody: body(ref('AuctionCreate')),
          responses: { 201: json(ref('Accepted'), 'created; Location names it'), 400: P400, 401: P401, 409: P409, 413: P413, 422: problem('IDEMPOTENCY_KEY_REUSED'), 503: P503 },
        },
      },
      '/api/v1/auctions/{id}': {
        get: { summary: 'an auction\'s public view', tags: ['auctions'], parameters: [auctionId], responses: { 200: json(ref('AuctionView')), 404: P404, 503: P503 } },
      },
      '/api/v1/auctions/{id}/open': { post: command('open a PENDING auction (seller or operator)', null, false) },
      '/api/v1/auctions/{id}/bids': { post: command('bid, answered by the same actor as the socket', ref('BidRequest'), true) },
      '/api/v1/auctions/{id}/buy-now': { post: command('buy at the buy-now price', null, true) },
    },
  };
}

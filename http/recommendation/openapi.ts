// The recommendation routes (http/recommendation/routes.ts) in the OpenAPI document.
import { json, P400, P401, P404, P503, ref, type ApiFragment } from '../openapi-kit.ts';
import { MAX_LIMIT } from './schemas.ts';

const limit = {
  name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 20 },
  description: 'items to list',
};
const optionalBearer = [{}, { bearer: [] }];

export function recommendationApi(): ApiFragment {
  return {
    schemas: {
      RecommendationReason: {
        oneOf: [
          { type: 'object', required: ['kind', 'tag'], properties: { kind: { const: 'tag' }, tag: { type: 'string' } }, description: 'the tag of the auction that weighs most in the caller\'s group' },
          { type: 'object', required: ['kind', 'auction'], properties: { kind: { const: 'cobid' }, auction: { type: 'string' } }, description: 'bidders on `auction` also bid on this one' },
          { type: 'object', required: ['kind'], properties: { kind: { const: 'popular' } }, description: 'decayed popularity (wishes and bids)' },
        ],
      },
      RecommendationList: {
        type: 'object', required: ['items'],
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object', required: ['auctionId', 'score', 'reason'],
              properties: { auctionId: { type: 'string' }, score: { type: 'number' }, reason: ref('RecommendationReason') },
            },
          },
        },
      },
    },
    paths: {
      '/api/v1/recommendations': {
        get: {
          summary: 'open auctions for the caller: by their group\'s decayed tag scores, then popularity (anonymous: popularity)',
          description: 'Leaves out the caller\'s own auctions and those they lead. The token is optional; one that is given must be valid.',
          tags: ['recommendation'], security: optionalBearer, parameters: [limit],
          responses: { 200: json(ref('RecommendationList')), 400: P400, 401: P401, 503: P503 },
        },
      },
      '/api/v1/auctions/{id}/similar': {
        get: {
          summary: 'open auctions that bidders on this one also bid on, by bidders in common (cosine)',
          tags: ['recommendation'], security: optionalBearer,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 } }, limit],
          responses: { 200: json(ref('RecommendationList')), 400: P400, 401: P401, 404: P404, 503: P503 },
        },
      },
    },
  };
}

// The price prediction route (http/pricing/routes.ts) in the OpenAPI document.
import { json, P400, P404, P503, ref, type ApiFragment } from '../openapi-kit.ts';

const won = { type: 'integer', minimum: 1 };
const band = { type: 'object', required: ['low', 'typical', 'high'], properties: { low: won, typical: won, high: won } };
const outlook = { type: 'object', required: ['low', 'high'], properties: { low: won, high: won } };
const summary = {
  type: ['object', 'null'], required: ['count', 'dropped', 'min', 'max', 'median', 'low', 'high'],
  properties: { count: { type: 'integer' }, dropped: { type: 'integer' }, min: won, max: won, median: won, low: won, high: won },
  description: 'prices after outliers were trimmed; low and high are the quartiles',
};

export function pricingApi(): ApiFragment {
  return {
    schemas: {
      MarketPrice: {
        type: 'object', required: ['source', 'today', 'threeMonths', 'confidence', 'basis', 'rejected', 'at'],
        properties: {
          source: { type: 'string', enum: ['naver+llm', 'naver', 'platform'], description: 'what the answer rests on' },
          today: { oneOf: [band, { type: 'null' }], description: 'the used-goods range today; null with nothing to go on' },
          threeMonths: { oneOf: [outlook, { type: 'null' }], description: 'the range three months on' },
          confidence: { type: 'number', minimum: 0, maximum: 1 },
          basis: { type: 'object', required: ['newGoods', 'sales'], properties: { newGoods: summary, sales: summary } },
          rejected: { type: ['string', 'null'], enum: ['no-reference', 'inconsistent', 'above-new', 'too-low', 'far-from-sales', null], description: "why a model's answer was judged nonsense, when it was" },
          at: { type: 'integer', description: 'epoch ms' },
        },
      },
    },
    paths: {
      '/api/v1/products/{id}/market-price': {
        get: {
          summary: "a product's market price: today's used range and a three-month outlook, with its source and confidence",
          tags: ['pricing'],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 } }],
          responses: { 200: json(ref('MarketPrice')), 400: P400, 404: P404, 503: P503 },
        },
      },
    },
  };
}

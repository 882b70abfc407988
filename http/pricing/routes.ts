// GET /products/{id}/market-price: the product's market price (stored while fresh, else computed now:
// the providers' time-outs bound the wait, and every provider failure falls back, so never a 500).
import { Router } from '@koa/router';
import { OkjError } from '../../engine/index.ts';
import type { PricingApi } from '../../engine/pricing/api.ts';

export interface PricingHttpDeps {
  pricing: Pick<PricingApi, 'marketPrice'>;
}

export function pricingRoutes(d: PricingHttpDeps): Router {
  const router = new Router();
  router.get('/products/:id/market-price', async (ctx) => {
    if (Object.keys(ctx.query).length > 0) throw new OkjError('VALIDATION_FAILED', 'this route takes no query parameters');
    const id = ctx.params.id;
    if (id.length > 64) throw new OkjError('NOT_FOUND', 'no such product');
    ctx.body = await d.pricing.marketPrice(id);
  });
  return router;
}

// Products: create (JSON, or multipart with images), read, list, edit, soft delete; and the image bytes
// when the app serves them. An upload is received whole into temporary files (each file refused at its
// first bytes when they are not an image; size and count limits) before the service stores anything.
// Uploads in progress are capped per user and per process.
import { Router } from '@koa/router';
import { OkjError } from '../../engine/index.ts';
import { requireUser } from '../auth.ts';
import { noBody, parseBody, readBody } from '../body.ts';
import { ProductBody, ProductPatch } from './schemas.ts';
import { identity, me, pageLimit, queryString } from './common.ts';
import type { MarketHttpDeps } from './deps.ts';
import { isMultipart, readMultipart } from './multipart.ts';
import { UploadSlots } from './upload-slots.ts';

export function productRoutes(d: MarketHttpDeps): Router {
  const router = new Router();
  const auth = requireUser(d.auth);
  const slots = new UploadSlots(d.upload.maxInFlight, d.upload.maxInFlightPerUser);
  const { market } = d;

  router.post('/products', auth, async (ctx) => {
    let product;
    if (!isMultipart(ctx)) {
      product = await market.createProduct(identity(ctx), await readBody(ctx, ProductBody, d.bodyLimitBytes), []);
    } else {
      // Before a byte of the body is read: past a cap the upload is refused as it stands.
      const release = slots.take(me(ctx));
      try {
        const upload = await readMultipart(ctx, d.upload);
        try {
          product = await market.createProduct(identity(ctx), parseBody(ProductBody, upload.fields), upload.files);
        } finally {
          await upload.dispose();
        }
      } finally {
        release();
      }
    }
    ctx.status = 201;
    ctx.set('Location', `/api/v1/products/${product.id}`);
    ctx.body = product;
  });

  router.get('/products/:id', async (ctx) => {
    ctx.body = await market.product(ctx.params.id);
  });

  router.get('/products', async (ctx) => {
    const seller = queryString(ctx, 'seller');
    if (seller === undefined) throw new OkjError('VALIDATION_FAILED', 'seller is required');
    ctx.body = { items: await market.productsOf(seller, pageLimit(ctx)) };
  });

  router.get('/me/products', auth, async (ctx) => {
    ctx.body = { items: await market.productsOf(me(ctx), pageLimit(ctx)) };
  });

  router.patch('/products/:id', auth, async (ctx) => {
    const body = await readBody(ctx, ProductPatch, d.bodyLimitBytes);
    ctx.body = await market.updateProduct(identity(ctx), ctx.params.id, body);
  });

  router.delete('/products/:id', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    await market.deleteProduct(identity(ctx), ctx.params.id);
    ctx.status = 204;
  });

  if (d.serveImages) {
    router.get('/images/p/:product/:file', async (ctx) => {
      const found = await market.image(`p/${ctx.params.product}/${ctx.params.file}`);
      ctx.type = found.type;
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.body = found.bytes;
    });
  }

  return router;
}

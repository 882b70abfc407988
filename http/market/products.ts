// Products: create (JSON, or multipart with images), read, list, edit, soft delete; and the image bytes
// when the app serves them. An upload is received whole into temporary files (each file refused at its
// first bytes when they are not an image; size and count limits) before anything is stored, then each
// image is streamed from its file to the image store; if storing the product fails, its images are
// deleted again. Uploads in progress are capped per user and per process.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Context } from 'koa';
import { Router } from '@koa/router';
import { OkjError } from '../../engine/index.ts';
import { EXT_TYPES, imageKey } from '../../engine/market/images.ts';
import type { Product, ProductImage } from '../../storage/market/ports.ts';
import { requireUser } from '../auth.ts';
import { noBody, parseBody, readBody } from '../body.ts';
import { ProductBody, ProductPatch } from './schemas.ts';
import { identity, me, pageLimit, queryString, textField } from './common.ts';
import type { MarketHttpDeps } from './deps.ts';
import { isMultipart, readMultipart, type UploadedFile } from './multipart.ts';
import { UploadSlots } from './upload-slots.ts';

export function publicProduct(p: Product) {
  const { deletedAt: _deleted, ...rest } = p;
  return { ...rest, thumbnail: p.images.find((i) => i.thumbnail)?.url ?? null };
}

export function productRoutes(d: MarketHttpDeps): Router {
  const router = new Router();
  const auth = requireUser(d.auth);
  const slots = new UploadSlots(d.upload.maxInFlight, d.upload.maxInFlightPerUser);

  async function categoryOk(id: string | undefined): Promise<string | null> {
    if (id === undefined) return null;
    if (!(await d.catalogue.categories()).some((c) => c.id === id)) throw new OkjError('VALIDATION_FAILED', `no category ${id}`);
    return id;
  }

  /** The product, if it exists, is not deleted, and the caller may change it. */
  async function owned(ctx: Context, id: string): Promise<Product> {
    const p = await d.catalogue.product(id);
    if (p === null || p.deletedAt !== null) throw new OkjError('NOT_FOUND', 'no such product');
    if (p.sellerId !== me(ctx) && identity(ctx).role !== 'admin') throw new OkjError('FORBIDDEN', 'this product belongs to another seller');
    return p;
  }

  /** Store every (already checked) file from its temporary file; none stays stored when one fails. */
  async function storeImages(product: string, files: UploadedFile[], thumbnail: number): Promise<ProductImage[]> {
    if (files.length > 0 && (thumbnail < 0 || thumbnail >= files.length)) throw new OkjError('VALIDATION_FAILED', 'thumbnail must be the index of an uploaded image');
    const images: ProductImage[] = [];
    try {
      for (const [n, f] of files.entries()) {
        const key = imageKey(product, n, f.ext);
        const type = EXT_TYPES[f.ext];
        const body = createReadStream(f.path);
        try {
          await d.images.put(key, body, f.bytes, type);
        } finally {
          body.destroy(); // a store that failed early may not have read it to its end
        }
        images.push({ key, url: d.images.url(key), type, bytes: f.bytes, thumbnail: n === thumbnail });
      }
    } catch (err) {
      await Promise.allSettled(images.map((i) => d.images.delete(i.key)));
      throw err;
    }
    return images;
  }

  router.post('/products', auth, async (ctx) => {
    if (!isMultipart(ctx)) return createProduct(ctx, await readBody(ctx, ProductBody, d.bodyLimitBytes), []);
    // Before a byte of the body is read: past a cap the upload is refused as it stands.
    const release = slots.take(me(ctx));
    try {
      const upload = await readMultipart(ctx, d.upload);
      try {
        await createProduct(ctx, parseBody(ProductBody, upload.fields), upload.files);
      } finally {
        await upload.dispose();
      }
    } finally {
      release();
    }
  });

  async function createProduct(ctx: Context, body: Record<string, unknown>, files: UploadedFile[]): Promise<void> {
    const name = textField(body, 'name', 200, true) as string;
    const description = textField(body, 'description', 10_000) ?? '';
    const categoryId = await categoryOk(textField(body, 'categoryId', 64));
    const thumbnail = body.thumbnail === undefined ? 0 : Number(body.thumbnail);
    if (!Number.isSafeInteger(thumbnail)) throw new OkjError('VALIDATION_FAILED', 'thumbnail must be an image index');
    const id = randomUUID();
    const images = await storeImages(id, files, thumbnail);
    const now = d.clock.now();
    const product: Product = { id, sellerId: me(ctx), name, description, categoryId, images, createdAt: now, updatedAt: now, deletedAt: null };
    try {
      await d.catalogue.putProduct(product);
    } catch (err) {
      await Promise.allSettled(images.map((i) => d.images.delete(i.key)));
      throw err;
    }
    ctx.status = 201;
    ctx.set('Location', `/api/v1/products/${id}`);
    ctx.body = publicProduct(product);
  }

  router.get('/products/:id', async (ctx) => {
    const p = await d.catalogue.product(ctx.params.id);
    if (p === null || p.deletedAt !== null) throw new OkjError('NOT_FOUND', 'no such product');
    ctx.body = publicProduct(p);
  });

  router.get('/products', async (ctx) => {
    const seller = queryString(ctx, 'seller');
    if (seller === undefined) throw new OkjError('VALIDATION_FAILED', 'seller is required');
    ctx.body = { items: (await d.catalogue.productsOf(seller, pageLimit(ctx))).map(publicProduct) };
  });

  router.get('/me/products', auth, async (ctx) => {
    ctx.body = { items: (await d.catalogue.productsOf(me(ctx), pageLimit(ctx))).map(publicProduct) };
  });

  router.patch('/products/:id', auth, async (ctx) => {
    const p = await owned(ctx, ctx.params.id);
    const body = await readBody(ctx, ProductPatch, d.bodyLimitBytes);
    const next: Product = { ...p, updatedAt: d.clock.now() };
    if (body.name !== undefined) next.name = textField(body, 'name', 200, true) as string;
    if (body.description !== undefined) next.description = textField(body, 'description', 10_000) ?? '';
    if (body.categoryId !== undefined) next.categoryId = await categoryOk(textField(body, 'categoryId', 64));
    if (body.thumbnail !== undefined) {
      const n = body.thumbnail;
      if (!Number.isSafeInteger(n) || (n as number) < 0 || (n as number) >= p.images.length) throw new OkjError('VALIDATION_FAILED', 'thumbnail must be an image index');
      next.images = p.images.map((img, i) => ({ ...img, thumbnail: i === n }));
    }
    await d.catalogue.putProduct(next);
    ctx.body = publicProduct(next);
  });

  router.delete('/products/:id', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    const p = await owned(ctx, ctx.params.id);
    await d.catalogue.putProduct({ ...p, deletedAt: d.clock.now() });
    ctx.status = 204;
  });

  if (d.serveImages) {
    router.get('/images/p/:product/:file', async (ctx) => {
      const found = await d.images.get(`p/${ctx.params.product}/${ctx.params.file}`);
      if (found === null) throw new OkjError('NOT_FOUND', 'no such image');
      ctx.type = found.type;
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = found.bytes;
    });
  }

  return router;
}

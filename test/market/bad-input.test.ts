// Bad input is refused with a problem document and stores nothing: an image that is not an image, a
// 50 MB upload, too many files, an auction ending before it starts, a negative price, another user's
// product.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { api, boot, rid } from '../gateway/harness.ts';
import { PNG, postForm } from './fixtures.ts';
import { newSeller } from './users.ts';

const b = await boot({ UPLOAD_MAX_BYTES: String(1024 * 1024), UPLOAD_MAX_FILES: '3' });
t.teardown(() => b.stop());
const imagesDir = path.join(b.config.dataDir, 'images');
const storedImages = async (): Promise<string[]> => readdir(imagesDir, { recursive: true }).catch(() => []);

const problem = (status: number, code: string) => ({ status, type: /application\/problem\+json/, body: { status, code } });

t.test('uploads', async (t) => {
  const seller = await newSeller(b);
  const mine = async () => (await api(b.http, 'GET', '/api/v1/me/products', { token: seller.token })).body.items;

  const text = await postForm(b.http, '/api/v1/products', seller.token, { name: 'x' },
    [{ name: 'ok.png', bytes: PNG, type: 'image/png' }, { name: 'fake.png', bytes: Buffer.from('GIF88a not really an image'), type: 'image/png' }]);
  t.match(text, problem(415, 'IMAGE_INVALID'), 'a file that is not an image');
  t.match(text.body.detail, /fake\.png/);

  const huge = await postForm(b.http, '/api/v1/products', seller.token, { name: 'x' }, [{ name: 'big.png', bytes: Buffer.concat([PNG, Buffer.alloc(50 * 1024 * 1024)]) }]);
  t.match(huge, problem(413, 'PAYLOAD_TOO_LARGE'), 'a 50 MB upload');

  const many = await postForm(b.http, '/api/v1/products', seller.token, { name: 'x' }, [1, 2, 3, 4].map((i) => ({ name: `${i}.png`, bytes: PNG })));
  t.match(many, problem(413, 'TOO_MANY_FILES'));

  const noName = await postForm(b.http, '/api/v1/products', seller.token, {}, [{ name: 'a.png', bytes: PNG }]);
  t.match(noName, problem(400, 'VALIDATION_FAILED'));

  t.same(await mine(), [], 'no product stored');
  t.same(await storedImages(), [], 'no image stored');

  const ok = await postForm(b.http, '/api/v1/products', seller.token, { name: 'fine' }, [{ name: 'a.png', bytes: PNG }]);
  t.equal(ok.status, 201, 'the server still takes a good upload after all that');
});

t.test('auctions', async (t) => {
  const seller = await newSeller(b);
  const other = await newSeller(b, 'other');
  const product = await postForm(b.http, '/api/v1/products', seller.token, { name: 'mine' }, []);
  t.equal(product.status, 201);
  const now = Date.now();
  const good = { productId: product.body.id, startPrice: 10_000, startsAt: now, endsAt: now + 3_600_000 };
  const create = (token: string, body: Record<string, unknown>) => api(b.http, 'POST', '/api/v1/auctions', { token, key: rid('c'), body });

  t.match(await create(seller.token, { ...good, endsAt: now - 1_000 }), problem(400, 'INVALID_AUCTION'), 'ends before it starts');
  const over = await create(seller.token, { ...good, startsAt: now - 7_200_000, endsAt: now - 1_000 });
  t.match(over, problem(400, 'INVALID_AUCTION'), 'an end already past (it could never open)');
  t.match(over.body.detail, /endsAt must be in the future/);
  t.match(await create(seller.token, { ...good, startPrice: -5_000 }), problem(400, 'INVALID_AUCTION'), 'a negative price');
  t.match(await create(seller.token, { ...good, buyNowPrice: -1 }), problem(400, 'INVALID_AUCTION'), 'a negative buy-now price');
  t.match(await create(other.token, good), problem(403, 'FORBIDDEN'), "another user's product");
  t.match(await create(seller.token, { ...good, tags: ['no-such-tag'] }), problem(400, 'VALIDATION_FAILED'), 'an unknown tag');

  const deleted = await postForm(b.http, '/api/v1/products', seller.token, { name: 'gone' }, []);
  t.equal((await api(b.http, 'DELETE', `/api/v1/products/${deleted.body.id}`, { token: other.token })).status, 403, "not other's to delete");
  t.equal((await api(b.http, 'DELETE', `/api/v1/products/${deleted.body.id}`, { token: seller.token })).status, 204);
  t.match(await create(seller.token, { ...good, productId: deleted.body.id }), problem(404, 'NOT_FOUND'), 'a deleted product');

  for (const u of [seller, other]) {
    const all = await api(b.http, 'GET', '/api/v1/me/auctions?role=seller', { token: u.token });
    t.same(all.body.items, [], `no auction stored for ${u.id}`);
  }
  const taken = await create(seller.token, good);
  t.equal(taken.status, 201, 'a good one is taken');
  const edit = (body: Record<string, unknown>) => api(b.http, 'PATCH', `/api/v1/auctions/${taken.body.id}`, { token: seller.token, body });
  t.match(await edit({ startsAt: now - 7_200_000, endsAt: now - 1_000 }), problem(400, 'INVALID_AUCTION'), 'nor edited to an end already past');
  t.match((await api(b.http, 'GET', `/api/v1/auctions/${taken.body.id}`)).body, { seq: 1, endsAt: good.endsAt }, 'the auction unchanged');
  const late = await create(seller.token, { ...good, startsAt: now - 30 * 86_400_000 });
  t.equal(late.status, 201, 'a start long past is fine while the end is ahead');
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${late.body.id}/open`, { token: seller.token })).body, { ok: true, status: 'OPEN' }, 'and it opens');
});

t.test('catalogue administration needs an admin', async (t) => {
  const user = await newSeller(b);
  t.match(await api(b.http, 'PUT', '/api/v1/categories/books', { token: user.token, body: { name: 'Books' } }), problem(403, 'FORBIDDEN'));
  t.match(await api(b.http, 'PUT', '/api/v1/tags/rare', { token: user.token }), problem(403, 'FORBIDDEN'));
  t.match(await api(b.http, 'PUT', '/api/v1/tags/rare'), problem(401, 'UNAUTHENTICATED'));
  t.same((await api(b.http, 'GET', '/api/v1/categories')).body.items, []);
});

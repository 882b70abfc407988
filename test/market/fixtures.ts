// Marketplace test data: tiny real images (their magic bytes are what the server checks), a multipart
// upload through fetch, and small admin setup.
import { api, type Booted, type Res } from '../gateway/harness.ts';
import type { TestUser } from './users.ts';

/** A 1x1 PNG. */
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0d6f1a90000000049454e44ae426082', 'hex');
/** The first bytes of a JPEG (SOI + APP0 JFIF): enough for the type check. */
export const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64, 0x11), Buffer.from('ffd9', 'hex')]);

export interface Upload {
  name: string;
  bytes: Buffer;
  type?: string;
}

/** POST a multipart form: fields, and files under `images`. */
export async function postForm(base: string, path: string, token: string, fields: Record<string, string>, files: Upload[]): Promise<Res> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('images', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  const r = await fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await r.text();
  const type = r.headers.get('content-type') ?? '';
  return { status: r.status, type, body: text !== '' && type.includes('json') ? JSON.parse(text) : text };
}

/** A category and a tag, made by an admin. */
export async function taxonomy(b: Booted, admin: TestUser, category: string, tag: string): Promise<void> {
  const c = await api(b.http, 'PUT', `/api/v1/categories/${category}`, { token: admin.token, body: { name: category } });
  if (c.status !== 200) throw new Error(`category: ${c.status} ${JSON.stringify(c.body)}`);
  const t = await api(b.http, 'PUT', `/api/v1/tags/${encodeURIComponent(tag)}`, { token: admin.token });
  if (t.status !== 200) throw new Error(`tag: ${t.status} ${JSON.stringify(t.body)}`);
}

/** Poll `f` until it returns a value (not undefined) or `ms` pass. */
export async function eventually<T>(f: () => Promise<T | undefined>, ms = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

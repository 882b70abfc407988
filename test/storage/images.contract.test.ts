// The ImageStore contract over every adapter: memory, local disk, and S3 (@aws-sdk/client-s3) against
// the fauxqs emulator on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DiskImages } from '../../storage/images/disk.ts';
import { MemoryImages } from '../../storage/images/memory.ts';
import { S3Images } from '../../storage/images/s3.ts';
import type { ImageStore } from '../../storage/market/ports.ts';
import { FAKE_CREDENTIALS, fauxqs, REGION } from '../helpers/fauxqs.ts';
import type { Subject } from '../helpers/stores.ts';

const subjects: Subject<ImageStore>[] = [
  { name: 'memory', open: async () => new MemoryImages('/img') },
  {
    name: 'disk',
    async open(t) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'okj-images-'));
      t.teardown(() => rmSync(dir, { recursive: true, force: true }));
      return new DiskImages(dir, '/img');
    },
  },
  {
    name: 's3',
    async open(t) {
      const server = await fauxqs(t);
      server.createBucket('okj-images');
      const s3 = new S3Images({ bucket: 'okj-images', cdnBaseUrl: 'https://cdn.example.test/', region: REGION, endpoint: server.address, credentials: FAKE_CREDENTIALS });
      t.teardown(() => s3.close());
      return s3;
    },
  },
];

for (const subject of subjects) {
  t.test(subject.name, async (t) => {
    const store = await subject.open(t);
    if (store === null) return;
    const key = 'p/0b5c1f7e-1111-4a4a-9999-abcdefabcdef/0.png';
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    t.equal(await store.get(key), null, 'absent before');
    await store.put(key, bytes, 'image/png');
    const got = await store.get(key);
    t.same(got?.bytes, bytes, 'the bytes come back whole');
    t.equal(got?.type, 'image/png');
    t.match(store.url(key), new RegExp(`/${key.replace(/\./g, '\\.')}$`), 'the URL ends with the key');
    if (subject.name === 's3') t.equal(store.url(key), `https://cdn.example.test/${key}`, 'served by the CDN');
    await store.put(key, Buffer.from([0xff, 0xd8, 0xff]), 'image/png');
    t.same((await store.get(key))?.bytes, Buffer.from([0xff, 0xd8, 0xff]), 'a put replaces');
    await store.delete(key);
    t.equal(await store.get(key), null, 'gone after delete');
    await store.delete(key);
    t.pass('deleting an absent key is fine');
  });
}

t.test('disk: a key cannot climb out of the directory', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'okj-images-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const disk = new DiskImages(path.join(dir, 'images'), '/img');
  t.equal(await disk.get('../secret'), null);
  t.equal(await disk.get('p/../../x/0.png'), null);
  await t.rejects(disk.put('p/x/../../../0.png', Buffer.from('x'), 'image/png'));
});

// The ImageStore contract over every adapter: memory, local disk, and S3 (@aws-sdk/client-s3) against
// the fauxqs emulator on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { DiskImages } from '../../storage/market/images/disk.ts';
import { MemoryImages } from '../../storage/market/images/memory.ts';
import type { ImageStore } from '../../storage/market/ports.ts';
import { fauxqsImages } from '../helpers/fauxqs.ts';
import type { Subject } from '../helpers/stores.ts';

/** `bytes` as a stream of `chunk`-byte pieces, as a temporary file would be read. */
const stream = (bytes: Buffer, chunk = 64 * 1024): Readable =>
  Readable.from((function* () {
    for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
  })());
const put = (store: ImageStore, key: string, bytes: Buffer, type: string) => store.put(key, stream(bytes), bytes.length, type);

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
  { name: 's3', open: (t) => fauxqsImages(t, 'https://cdn.example.test/') },
];

for (const subject of subjects) {
  t.test(subject.name, async (t) => {
    const store = await subject.open(t);
    if (store === null) return;
    const key = 'p/0b5c1f7e-1111-4a4a-9999-abcdefabcdef/0.png';
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    t.equal(await store.get(key), null, 'absent before');
    await put(store, key, bytes, 'image/png');
    const got = await store.get(key);
    t.same(got?.bytes, bytes, 'the bytes come back whole');
    t.equal(got?.type, 'image/png');
    t.match(store.url(key), new RegExp(`/${key.replace(/\./g, '\\.')}$`), 'the URL ends with the key');
    if (subject.name === 's3') t.equal(store.url(key), `https://cdn.example.test/${key}`, 'served by the CDN');
    await put(store, key, Buffer.from([0xff, 0xd8, 0xff]), 'image/png');
    t.same((await store.get(key))?.bytes, Buffer.from([0xff, 0xd8, 0xff]), 'a put replaces');
    await store.delete(key);
    t.equal(await store.get(key), null, 'gone after delete');
    await store.delete(key);
    t.pass('deleting an absent key is fine');

    // A large image arrives intact, byte for byte, from a stream of many pieces.
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(3 * 1024 * 1024 + 5)]);
    await put(store, key, big, 'image/jpeg');
    const back = await store.get(key);
    t.ok(back?.bytes.equals(big), `${big.length} bytes streamed in come back the same`);

    // A body that is not the length announced fails the put and stores nothing.
    const other = 'p/0b5c1f7e-1111-4a4a-9999-abcdefabcdef/1.png';
    await t.rejects(store.put(other, stream(bytes), bytes.length + 1, 'image/png'), 'a short body');
    await t.rejects(store.put(other, stream(bytes), bytes.length - 1, 'image/png'), 'a long body');
    t.equal(await store.get(other), null, 'nothing stored');
    const failing = new Readable({ read() { this.destroy(new Error('the disk went away')); } });
    await t.rejects(store.put(other, failing, 10, 'image/png'), 'a body that fails');
    t.equal(await store.get(other), null, 'nothing stored');
    await store.delete(key);
  });
}

t.test('disk: a key cannot climb out of the directory', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'okj-images-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const disk = new DiskImages(path.join(dir, 'images'), '/img');
  t.equal(await disk.get('../secret'), null);
  t.equal(await disk.get('p/../../x/0.png'), null);
  await t.rejects(put(disk, 'p/x/../../../0.png', Buffer.from('x'), 'image/png'));
});

// Uploads are streamed, through the public port: a file that is not an image is refused at its first
// bytes and a file past UPLOAD_MAX_BYTES as soon as it crosses it (the client has sent a sliver of a
// 100 MB body and gets its problem document), a refusal leaves the connections behind the public port
// fit for the next request, uploads in flight are capped per user (429) and per
// process (503) with Retry-After and given back when an upload ends or its client goes away, and
// accepted images reach every image store byte for byte, their temporary files gone.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import t, { type Test } from 'tap';
import { DiskImages } from '../../storage/market/images/disk.ts';
import { MemoryImages } from '../../storage/market/images/memory.ts';
import type { ImageStore } from '../../storage/market/ports.ts';
import { boot, type Booted } from '../gateway/harness.ts';
import { fauxqsImages } from '../helpers/fauxqs.ts';
import { eventually, PNG, postForm } from './fixtures.ts';
import { multipartBody, sendUpload, type UploadResult } from './stream-upload.ts';

const MB = 1024 * 1024;
const GIF = Buffer.from('GIF89a');

/** The response, or a failure naming what never came (an upload read to its end never answers here). */
function within(p: Promise<UploadResult>, ms: number, what: string): Promise<UploadResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const spooled = (b: Booted) => async (): Promise<string[]> => readdir(path.join(b.config.dataDir, 'tmp', 'uploads')).catch(() => []);
const stored = (b: Booted) => async (): Promise<string[]> => readdir(path.join(b.config.dataDir, 'images'), { recursive: true }).catch(() => []);
const problem = (status: number, code: string) => ({ status, headers: { 'content-type': /application\/problem\+json/ }, body: { status, code } });

t.test('refused at the first bytes, not after the whole body', async (t) => {
  const b = await boot(); // UPLOAD_MAX_BYTES 10 MiB, UPLOAD_MAX_FILES 10
  t.teardown(() => b.stop());
  const token = await b.token('seller-1');
  const url = `${b.http}/api/v1/products`;

  // 100 MB announced, ten files of 10 MB that are not images; the client sends 64 KB and waits.
  const junk = multipartBody({ name: 'junk' }, Array.from({ length: 10 }, (_, i) => ({ name: `${i}.bin`, head: Buffer.from('MZ not an image'), size: 10_000_000 })));
  t.ok(junk.length >= 100_000_000);
  const notImage = await within(sendUpload(url, token, junk, { stopAfter: 64 * 1024 }).response, 10_000, 'a non-image upload of which 64 KB were sent');
  t.match(notImage, problem(415, 'IMAGE_INVALID'), 'refused as not an image');
  t.match(notImage.body.detail, /0\.bin/);
  t.ok(notImage.sentAtResponse < 128 * 1024, `answered after ${notImage.sentAtResponse} of ${junk.length} bytes`);

  // An image that grows past UPLOAD_MAX_BYTES is refused once it crosses it.
  const big = multipartBody({ name: 'big' }, [{ name: 'big.png', head: PNG, size: 60 * MB }]);
  const tooBig = await within(sendUpload(url, token, big, { stopAfter: 10 * MB + 256 * 1024 }).response, 10_000, 'an image past the limit');
  t.match(tooBig, problem(413, 'PAYLOAD_TOO_LARGE'), 'refused as too large');
  t.ok(tooBig.sentAtResponse < 11 * MB, `answered after ${tooBig.sentAtResponse} of ${big.length} bytes`);

  // The second file is the bad one: the first, already spooled, is dropped with it.
  const second = multipartBody({ name: 'x' }, [{ name: 'ok.png', head: PNG, size: 200 * 1024 }, { name: 'bad.gif', head: Buffer.from('GIF88a'), size: 10_000_000 }]);
  const bad = await within(sendUpload(url, token, second, { stopAfter: 400 * 1024 }).response, 10_000, 'a second file that is not an image');
  t.match(bad, problem(415, 'IMAGE_INVALID'));
  t.match(bad.body.detail, /bad\.gif/);

  // Small refused uploads, each read whole by the server before its answer: what the API had not
  // read of one must not hold up the next request on the connection behind the public port.
  const small = () => multipartBody({ name: 'small' }, [{ name: 's.bin', head: Buffer.from('nope'), size: 256 * 1024 }]);
  for (const n of [1, 2, 3]) t.match(await within(sendUpload(url, token, small()).response, 10_000, `small refused upload ${n}`), problem(415, 'IMAGE_INVALID'), `small refused upload ${n}`);

  // A refused upload whose client sends it all anyway: answered, the rest read and dropped.
  const careless = sendUpload(url, token, junk, { finish: true });
  t.match(await careless.response, problem(415, 'IMAGE_INVALID'));
  await careless.finished;
  t.equal(careless.sent(), junk.length, 'the client could send its whole body');

  await eventually(async () => ((await spooled(b)()).length === 0 ? true : undefined), 5_000, 'temporary files removed');
  t.same(await stored(b)(), [], 'no image stored');
  t.same((await postForm(b.http, '/api/v1/products', token, { name: 'fine' }, [{ name: 'a.png', bytes: PNG }])).status, 201, 'and the next upload is taken');
});

t.test('uploads in flight are capped per user (429) and per process (503), and given back', async (t) => {
  const b = await boot({ UPLOAD_MAX_IN_FLIGHT: '3', UPLOAD_MAX_IN_FLIGHT_PER_USER: '2' });
  t.teardown(() => b.stop());
  const url = `${b.http}/api/v1/products`;
  const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((u) => b.token(u)));
  const image = () => multipartBody({ name: 'photo' }, [{ name: 'a.png', head: PNG, size: MB }]);
  /** Uploads being received, seen by their temporary directories. */
  const inFlight = async (n: number): Promise<boolean> => eventually(async () => ((await spooled(b)()).length === n ? true : undefined), 5_000).then(() => true, () => false);

  // Alice's two uploads stall halfway: both are being received.
  const a1 = sendUpload(url, alice, image(), { stopAfter: 256 * 1024 });
  const a2 = sendUpload(url, alice, image(), { stopAfter: 256 * 1024 });
  t.ok(await inFlight(2), 'both are being received');
  const third = await within(sendUpload(url, alice, image()).response, 10_000, "alice's third upload");
  t.match(third, problem(429, 'TOO_MANY_UPLOADS'), 'a third from the same user');
  t.equal(third.headers['retry-after'], '1');

  const b1 = sendUpload(url, bob, image(), { stopAfter: 256 * 1024 });
  t.ok(await inFlight(3), 'three are being received');
  const busy = await within(sendUpload(url, carol, image()).response, 10_000, "carol's upload");
  t.match(busy, problem(503, 'UPLOADS_BUSY'), 'past the process cap, whoever asks');
  t.equal(busy.headers['retry-after'], '1');

  // A client that goes away gives its slot back; so does an upload that ends.
  a1.abort();
  t.ok(await inFlight(2), "alice's first one is given up");
  t.equal((await within(sendUpload(url, carol, image()).response, 10_000, "carol's retry")).status, 201, 'carol gets the freed slot');
  a2.resume();
  b1.resume();
  t.same([(await a2.response).status, (await b1.response).status], [201, 201], 'the stalled uploads complete');
  t.equal((await sendUpload(url, alice, image()).response).status, 201, 'alice may upload again');
  t.ok(await inFlight(0), 'none left');
});

/** The image stores an upload can go to, as the server would be given them. */
const stores: { name: string; open(t: Test): Promise<ImageStore | undefined> }[] = [
  { name: 'disk', open: async () => undefined }, // the default: DATA_DIR/images
  { name: 'memory', open: async () => new MemoryImages() },
  { name: 's3', open: (t) => fauxqsImages(t, 'https://cdn.example.test') },
];

for (const s of stores) {
  t.test(`accepted images reach the ${s.name} store byte for byte`, async (t) => {
    const images = await s.open(t);
    const b = await boot({}, images === undefined ? {} : { market: { images } });
    t.teardown(() => b.stop());
    const store = b.server.market.images;
    t.equal(store instanceof DiskImages, s.name === 'disk');
    const files = [
      { name: 'big.png', bytes: Buffer.concat([PNG, randomBytes(3 * MB + 7)]) },
      { name: 'small.gif', bytes: Buffer.concat([GIF, randomBytes(100)]) },
      { name: 'tiny.jpg', bytes: Buffer.from([0xff, 0xd8, 0xff]) },
    ];
    const r = await postForm(b.http, '/api/v1/products', await b.token('seller'), { name: 'photos', thumbnail: '1' }, files);
    t.equal(r.status, 201, 'the product is stored');
    t.match(r.body.images, [{ type: 'image/png', bytes: files[0].bytes.length }, { type: 'image/gif', thumbnail: true }, { type: 'image/jpeg', bytes: 3 }]);
    for (const [i, img] of (r.body.images as { key: string }[]).entries()) {
      const got = await store.get(img.key);
      t.ok(got?.bytes.equals(files[i].bytes), `${files[i].name}: ${files[i].bytes.length} bytes intact`);
    }
    t.same(await spooled(b)(), [], 'no temporary file left');
  });
}

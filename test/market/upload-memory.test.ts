// Upload memory, against a real server process (`npm start`'s entry as a child, its RSS read from
// /proc): N concurrent 100 MB uploads of files that are not images, each sent whole by its client, then
// N concurrent uploads of large real images, must leave the server's RSS within a bound of where it
// started, at the peak and after. Before streaming, the parts were held whole until the upload ended
// (three such uploads took RSS up by some 260 MB, and it stayed there).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { signAccessToken, tokenKeys } from '../../app/accounts/tokens.ts';
import { killServerProcess, startServerProcess } from '../helpers/server-process.ts';
import { eventually, PNG } from './fixtures.ts';
import { multipartBody, sendUpload } from './stream-upload.ts';

const SECRET = 'upload-memory-secret-that-is-long-enough!';
const keys = tokenKeys({ secret: SECRET, issuer: 'okjangpan', audience: 'okjangpan-api' });
const MB = 1024 * 1024;
const N = 4;
/** How far above its start the server's RSS may go, at the peak and after. */
const PEAK_BOUND = 64 * MB;
const AFTER_BOUND = 48 * MB;

const rss = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
const mb = (n: number): string => `${(n / MB).toFixed(0)} MB`;

/** Run `phase`, sampling the child's RSS every 20 ms; the peak seen. */
async function peakDuring(pid: number, phase: () => Promise<unknown>): Promise<number> {
  let peak = rss(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rss(pid))), 20);
  try {
    await phase();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rss(pid));
}

t.test(`${N} concurrent 100 MB non-image uploads, then ${N} of large images, leave RSS near its start`, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-upload-memory-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const server = await startServerProcess(dir, SECRET, { UPLOAD_MAX_IN_FLIGHT: String(N) });
  t.teardown(() => killServerProcess(server, 'SIGKILL'));
  const { url } = server;
  const pid = server.proc.pid as number;
  const products = `${url}/api/v1/products`;
  const users = await Promise.all(Array.from({ length: N }, (_, i) => signAccessToken(keys, `uploader-${i}`)));

  // Warm up every path once, so the baseline holds the code and the pools they need.
  const warm = await sendUpload(products, users[0], multipartBody({ name: 'warm' }, [{ name: 'a.png', head: PNG, size: MB }])).response;
  t.equal(warm.status, 201, 'an image upload');
  const refused = await sendUpload(products, users[0], multipartBody({ name: 'warm' }, [{ name: 'a.bin', head: Buffer.from('nope'), size: MB }])).response;
  t.equal(refused.status, 415, 'a refused one');
  const start0 = rss(pid);

  // Each: ten files of ~10 MB (under UPLOAD_MAX_BYTES, 10 MiB) that are not images, 100 MB in all.
  const junk = () => multipartBody({ name: 'junk' }, Array.from({ length: 10 }, (_, i) => ({ name: `${i}.bin`, head: Buffer.from('not an image'), size: 10_000_000 })));
  let answers: { status: number; code?: string }[] = [];
  const began = Date.now();
  const peak1 = await peakDuring(pid, async () => {
    const handles = users.map((u) => sendUpload(products, u, junk(), { finish: true }));
    answers = (await Promise.all(handles.map((h) => h.response))).map((r) => ({ status: r.status, code: r.body?.code }));
    await Promise.all(handles.map((h) => h.finished));
  });
  const took1 = Date.now() - began;
  t.same(answers, users.map(() => ({ status: 415, code: 'IMAGE_INVALID' })), 'every one refused as not an image');
  const after1 = rss(pid);
  t.comment(`non-image: start ${mb(start0)}, peak ${mb(peak1)} (+${mb(peak1 - start0)}), after ${mb(after1)} (+${mb(after1 - start0)}); ${N} x 100 MB sent in ${took1} ms`);

  // Each: three real (PNG-headed) images of 8 MiB, accepted and stored.
  const images = () => multipartBody({ name: 'photos' }, Array.from({ length: 3 }, (_, i) => ({ name: `${i}.png`, head: PNG, size: 8 * MB, fill: i })));
  let stored: number[] = [];
  const peak2 = await peakDuring(pid, async () => {
    stored = (await Promise.all(users.map((u) => sendUpload(products, u, images()).response))).map((r) => r.status);
  });
  t.same(stored, users.map(() => 201), 'every image upload stored');
  const after2 = rss(pid);
  t.comment(`images: start ${mb(start0)}, peak ${mb(peak2)} (+${mb(peak2 - start0)}), after ${mb(after2)} (+${mb(after2 - start0)})`);

  t.ok(peak1 - start0 < PEAK_BOUND, `non-image peak within ${mb(PEAK_BOUND)} of the start (+${mb(peak1 - start0)})`);
  t.ok(peak2 - start0 < PEAK_BOUND, `image peak within ${mb(PEAK_BOUND)} of the start (+${mb(peak2 - start0)})`);
  // Memory given back: RSS settles within the bound once the uploads are done.
  const settled = await eventually(async () => (rss(pid) - start0 < AFTER_BOUND ? rss(pid) : undefined), 5_000, `RSS back within ${mb(AFTER_BOUND)} of the start`).catch(() => rss(pid));
  t.ok(settled - start0 < AFTER_BOUND, `after: within ${mb(AFTER_BOUND)} of the start (+${mb(settled - start0)})`);
});

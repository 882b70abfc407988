// multipart/form-data uploads through busboy, streamed: each file's first bytes are sniffed as they
// arrive (one that is not an image is refused there, its rest never read) and an image goes on to a
// temporary file, so no file is ever held in memory. The limits hold while reading: bytes per file,
// number of files, fields. At the first problem parsing stops and the problem is thrown at once, without
// reading the rest of the body: the public port's bridge (http/bridge.ts) sends the answer and drops
// whatever the client still sends. Nothing has been stored at that point.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Context } from 'koa';
import { OkjError } from '../../engine/index.ts';
import type { ImageExt } from '../../engine/market/images.ts';
import { ImageSniffer } from './sniff.ts';

export interface UploadedFile {
  field: string;
  filename: string;
  /** The type its first bytes show. */
  ext: ImageExt;
  /** The temporary file holding its bytes, until the upload is disposed of. */
  path: string;
  bytes: number;
}

export interface Multipart {
  fields: Record<string, string>;
  files: UploadedFile[];
  /** Delete the temporary files: once the files are stored, or given up. */
  dispose(): Promise<void>;
}

export interface UploadOptions {
  maxBytes: number;
  maxFiles: number;
  /** Uploads received at once, in all and per user (./upload-slots.ts). */
  maxInFlight: number;
  maxInFlightPerUser: number;
  /** Where uploads are spooled while they are received (DATA_DIR/tmp/uploads). */
  tmpDir: string;
}

export const isMultipart = (ctx: Context): boolean => /^multipart\/form-data\s*;/i.test(ctx.get('content-type'));

export async function readMultipart(ctx: Context, o: UploadOptions): Promise<Multipart> {
  const declared = Number(ctx.get('content-length') || 0);
  // Past every file at its limit plus room for fields, the upload cannot be valid.
  if (declared > o.maxFiles * o.maxBytes + 1024 * 1024) throw new OkjError('PAYLOAD_TOO_LARGE', `an upload is limited to ${o.maxFiles} files of ${o.maxBytes} bytes`);
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: ctx.req.headers, limits: { fileSize: o.maxBytes, files: o.maxFiles, fields: 50, fieldSize: 16 * 1024, parts: 100 } });
  } catch {
    throw new OkjError('VALIDATION_FAILED', 'the body must be multipart/form-data with a boundary');
  }
  await mkdir(o.tmpDir, { recursive: true });
  const dir = await mkdtemp(path.join(o.tmpDir, 'up-'));
  const fields: Record<string, string> = Object.create(null);
  const files: UploadedFile[] = [];
  const writes: Promise<void>[] = [];
  // The first problem ends the upload; later ones (the teardown's own errors) are dropped.
  let fail!: (e: OkjError) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {}); // handled by the race below; a late one has nobody to tell

  bb.on('field', (name, value, info) => {
    if (info.valueTruncated) fail(new OkjError('VALIDATION_FAILED', `field ${name} is too long`));
    fields[name] = value;
  });
  bb.on('file', (field, stream, info) => {
    const n = writes.length;
    const filename = info.filename ?? '';
    const sniffer = new ImageSniffer(filename || field);
    const file = path.join(dir, String(n));
    stream.on('limit', () => fail(new OkjError('PAYLOAD_TOO_LARGE', `each image is limited to ${o.maxBytes} bytes`)));
    writes.push(pipeline(stream, sniffer, createWriteStream(file)).then(
      () => void (files[n] = { field, filename, ext: sniffer.ext as ImageExt, path: file, bytes: sniffer.bytes }),
      (err: unknown) => fail(err instanceof OkjError ? err : new OkjError('VALIDATION_FAILED', 'the upload could not be read')),
    ));
  });
  bb.on('filesLimit', () => fail(new OkjError('TOO_MANY_FILES', `at most ${o.maxFiles} images per upload`)));
  bb.on('partsLimit', () => fail(new OkjError('VALIDATION_FAILED', 'too many parts')));
  bb.on('fieldsLimit', () => fail(new OkjError('VALIDATION_FAILED', 'too many fields')));
  bb.on('error', () => fail(new OkjError('VALIDATION_FAILED', 'the multipart body is malformed')));
  const parsed = new Promise<void>((resolve) => bb.on('close', resolve));
  // A client gone mid-upload: end it here too, so its temporary files and its slot are given back.
  const req = ctx.req;
  const cut = () => {
    if (!req.complete) fail(new OkjError('VALIDATION_FAILED', 'the upload ended before its body did'));
  };
  req.once('close', cut);
  req.pipe(bb);
  try {
    await Promise.race([parsed.then(() => Promise.all(writes)), failed]);
  } catch (err) {
    // Whatever the bridge sent already is dropped: Node does not drain a request its handler began to
    // read, and the connection could not carry the next request until it is.
    req.unpipe(bb);
    req.resume();
    bb.destroy();
    await Promise.allSettled(writes);
    await rm(dir, { recursive: true, force: true });
    throw err;
  } finally {
    req.off('close', cut);
  }
  return { fields, files, dispose: () => rm(dir, { recursive: true, force: true }) };
}

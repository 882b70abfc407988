// The one length check of the image stores: a put's body must carry exactly the bytes it announced, so
// a short or overlong stream fails the put instead of storing another image.
import { PassThrough, pipeline, Transform, Writable, type Readable } from 'node:stream';
import { pipeline as pipe } from 'node:stream/promises';

/** Passes `length` bytes through; fails as soon as more arrive, or at the end if fewer did. */
export function exactly(length: number, key: string): Transform {
  let seen = 0;
  const wrong = () => new Error(`image ${key}: the body is not the ${length} bytes announced`);
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > length) cb(wrong());
      else cb(null, chunk);
    },
    flush(cb) {
      cb(seen === length ? null : wrong());
    },
  });
}

/**
 * `body` through exactly(), for a consumer that must never see a stream error (the S3 SDK re-emits
 * one where nothing listens: an uncaught exception): a failure goes to `onError`, and the stream
 * returned just stops.
 */
export function checked(body: Readable, length: number, key: string, onError: (err: Error) => void): Readable {
  const out = new PassThrough();
  pipeline(body, exactly(length, key), (err) => {
    if (!err) return;
    onError(err);
    out.destroy();
  }).pipe(out);
  return out;
}

/** `body`, checked, whole in memory (the memory store only). */
export async function collect(body: Readable, length: number, key: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk);
      cb();
    },
  });
  await pipe(body, exactly(length, key), sink);
  return Buffer.concat(parts, length);
}

// multipart/form-data uploads through busboy, held in memory (images are small and few), with the
// limits enforced while reading: bytes per file, number of files, field sizes. On any problem the rest
// of the body is read and dropped before answering, so the client gets the problem document instead of
// a reset connection; nothing has been stored at that point.
import busboy from 'busboy';
import type { Context } from 'koa';
import { OkjError } from '../../engine/index.ts';

export interface UploadedFile {
  field: string;
  filename: string;
  bytes: Buffer;
}

export interface Multipart {
  fields: Record<string, string>;
  files: UploadedFile[];
}

export interface UploadLimits {
  maxBytes: number;
  maxFiles: number;
}

export const isMultipart = (ctx: Context): boolean => /^multipart\/form-data\s*;/i.test(ctx.get('content-type'));

export async function readMultipart(ctx: Context, limits: UploadLimits): Promise<Multipart> {
  const declared = Number(ctx.get('content-length') || 0);
  // Past every file at its limit plus room for fields, the upload cannot be valid.
  const ceiling = limits.maxFiles * limits.maxBytes + 1024 * 1024;
  if (declared > ceiling) {
    await drain(ctx);
    throw new OkjError('PAYLOAD_TOO_LARGE', `an upload is limited to ${limits.maxFiles} files of ${limits.maxBytes} bytes`);
  }
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: ctx.req.headers, limits: { fileSize: limits.maxBytes, files: limits.maxFiles, fields: 50, fieldSize: 16 * 1024, parts: 100 } });
  } catch {
    throw new OkjError('VALIDATION_FAILED', 'the body must be multipart/form-data with a boundary');
  }
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  let problem: OkjError | null = null;
  const fail = (e: OkjError) => {
    problem ??= e;
  };
  const done = new Promise<void>((resolve) => {
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new OkjError('VALIDATION_FAILED', `field ${name} is too long`));
      fields[name] = value;
    });
    bb.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        if (problem === null) chunks.push(c);
      });
      stream.on('limit', () => fail(new OkjError('PAYLOAD_TOO_LARGE', `each image is limited to ${limits.maxBytes} bytes`)));
      stream.on('end', () => {
        if (problem === null) files.push({ field, filename: info.filename ?? '', bytes: Buffer.concat(chunks) });
      });
    });
    bb.on('filesLimit', () => fail(new OkjError('TOO_MANY_FILES', `at most ${limits.maxFiles} images per upload`)));
    bb.on('partsLimit', () => fail(new OkjError('VALIDATION_FAILED', 'too many parts')));
    bb.on('fieldsLimit', () => fail(new OkjError('VALIDATION_FAILED', 'too many fields')));
    bb.on('error', () => {
      fail(new OkjError('VALIDATION_FAILED', 'the multipart body is malformed'));
      resolve();
    });
    bb.on('close', () => resolve());
  });
  ctx.req.pipe(bb);
  await done;
  if (problem !== null) {
    ctx.req.unpipe(bb);
    await drain(ctx);
    throw problem;
  }
  return { fields, files };
}

/** Read the rest of the request and drop it. */
function drain(ctx: Context): Promise<void> {
  const req = ctx.req;
  if (req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.resume();
  });
}

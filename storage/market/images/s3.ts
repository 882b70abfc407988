// Images in S3 (@aws-sdk/client-s3), served by a CDN in front of the bucket: the app never serves them.
// Every call goes through send(), the one place to count or time S3 requests.
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { ImageStore } from '../ports.ts';
import { checked } from './exact.ts';

export interface S3ImagesOptions {
  bucket: string;
  /** Public base URL of the CDN (or the bucket) that serves the keys. */
  cdnBaseUrl: string;
  region: string;
  /** A custom endpoint (an S3-compatible service, or a test double); path-style addressing then. */
  endpoint?: string;
  credentials?: S3ClientConfig['credentials'];
}

export class S3Images implements ImageStore {
  private readonly client: S3Client;

  constructor(private readonly o: S3ImagesOptions) {
    this.client = new S3Client({
      region: o.region,
      ...(o.endpoint !== undefined ? { endpoint: o.endpoint, forcePathStyle: true } : {}),
      ...(o.credentials !== undefined ? { credentials: o.credentials } : {}),
    });
  }

  private send<T = unknown>(cmd: PutObjectCommand | GetObjectCommand | DeleteObjectCommand, abortSignal?: AbortSignal): Promise<T> {
    return this.client.send(cmd as never, { abortSignal }) as Promise<T>;
  }

  /**
   * One PutObject streaming the body: its length is known, so nothing is buffered. A body that fails
   * (or is not `length` bytes) aborts the request, which would otherwise wait for bytes that never come.
   */
  async put(key: string, body: Readable, length: number, type: string): Promise<void> {
    const abort = new AbortController();
    let failed: Error | null = null;
    const source = checked(body, length, key, (err) => {
      failed = err;
      abort.abort(err);
    });
    try {
      await this.send(new PutObjectCommand({
        Bucket: this.o.bucket, Key: key, Body: source, ContentLength: length, ContentType: type,
        CacheControl: 'public, max-age=31536000, immutable', // keys are never reused for other bytes
      }), abort.signal);
    } catch (err) {
      throw failed ?? err;
    } finally {
      source.destroy();
    }
  }

  url(key: string): string {
    return `${this.o.cdnBaseUrl.replace(/\/+$/, '')}/${key}`;
  }

  async get(key: string): Promise<{ bytes: Buffer; type: string } | null> {
    try {
      const out = await this.send<{ Body?: { transformToByteArray(): Promise<Uint8Array> }; ContentType?: string }>(
        new GetObjectCommand({ Bucket: this.o.bucket, Key: key }));
      if (out.Body === undefined) return null;
      return { bytes: Buffer.from(await out.Body.transformToByteArray()), type: out.ContentType ?? 'application/octet-stream' };
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.send(new DeleteObjectCommand({ Bucket: this.o.bucket, Key: key }));
  }

  close(): void {
    this.client.destroy();
  }
}

// The fauxqs emulator (SQS, S3), in-process on a loopback port of its own, stopped at t's teardown.
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { S3Images } from '../../storage/market/images/s3.ts';

export interface ServiceTeardown {
  teardown(fn: () => unknown): void;
}

/** Dummy credentials: fauxqs accepts any, and the SDK must not look for real ones. */
export const FAKE_CREDENTIALS = { accessKeyId: 'test-key-id', secretAccessKey: 'test-secret-key' };
export const REGION = 'us-east-1';

export async function fauxqs(t: ServiceTeardown): Promise<FauxqsServer> {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  t.teardown(() => server.stop());
  return server;
}

/** An S3 image store on a fauxqs bucket of its own, served under `cdnBaseUrl`; closed at t's teardown. */
export async function fauxqsImages(t: ServiceTeardown, cdnBaseUrl: string): Promise<S3Images> {
  const server = await fauxqs(t);
  server.createBucket('okj-images');
  const s3 = new S3Images({ bucket: 'okj-images', cdnBaseUrl, region: REGION, endpoint: server.address, credentials: FAKE_CREDENTIALS });
  t.teardown(() => s3.close());
  return s3;
}

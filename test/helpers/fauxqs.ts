// The fauxqs emulator (SQS, S3), in-process on a loopback port of its own, stopped at t's teardown.
import { startFauxqs, type FauxqsServer } from 'fauxqs';

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

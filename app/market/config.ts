// The marketplace section of the configuration: the close pipeline, images, orders, the outbox relay,
// uploads (docs/marketplace.md).
import { z } from 'zod';
import { HTTP_URL, int, type EnvOf } from '../config-env.ts';

export const marketEnv = {
  CLOSE_SCHEDULER: z.enum(['embedded', 'eventbridge']).default('embedded'),
  // Not z.url(): emulators hand out queue URLs such as http://sqs.us-east-1.127.0.0.1:4566/... that WHATWG URL refuses.
  SQS_CLOSE_QUEUE_URL: z.string().regex(HTTP_URL, 'must be an http(s) queue URL').optional(),
  SQS_CLOSE_QUEUE_ARN: z.string().regex(/^arn:aws[\w-]*:sqs:/, 'must be an SQS queue ARN').optional(),
  SCHEDULER_ROLE_ARN: z.string().regex(/^arn:aws[\w-]*:iam::/, 'must be an IAM role ARN').optional(),
  SCHEDULER_GROUP: z.string().min(1).default('default'),
  S3_BUCKET: z.string().min(3).optional(),
  CDN_BASE_URL: z.url().optional(),
  OUTBOX_SQS_QUEUE_URL: z.string().regex(HTTP_URL, 'must be an http(s) queue URL').optional(),
  ORDER_PAYMENT_HOURS: int(72, 1, 24 * 60),
  UPLOAD_MAX_BYTES: int(10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  UPLOAD_MAX_FILES: int(10, 1, 50),
  UPLOAD_MAX_IN_FLIGHT: int(16, 1, 10_000),
  UPLOAD_MAX_IN_FLIGHT_PER_USER: int(2, 1, 10_000),
};

/** The marketplace: close pipeline, images, orders, outbox (docs/marketplace.md). */
export interface MarketConfig {
  closeScheduler: 'embedded' | 'eventbridge';
  aws: { region: string; endpoint: string | null };
  /** EventBridge Scheduler -> SQS -> close consumer; null on the embedded scheduler. */
  eventBridge: { queueUrl: string; queueArn: string; roleArn: string; group: string } | null;
  /** Images in S3 behind a CDN; null keeps them under DATA_DIR/images, served by the app. */
  s3: { bucket: string; cdnBaseUrl: string } | null;
  outboxQueueUrl: string | null;
  orderPaymentMs: number;
  /** Images per upload and their size; uploads being received at once, in all and per user. */
  upload: { maxBytes: number; maxFiles: number; maxInFlight: number; maxInFlightPerUser: number };
}

/** What this section reads of the shared variables. */
interface Shared {
  AWS_REGION: string;
  AWS_ENDPOINT_URL?: string;
}

export function marketConfig(e: EnvOf<typeof marketEnv> & Shared, problems: string[]): MarketConfig {
  let eventBridge: MarketConfig['eventBridge'] = null;
  if (e.CLOSE_SCHEDULER === 'eventbridge') {
    if (e.SQS_CLOSE_QUEUE_URL === undefined) problems.push('SQS_CLOSE_QUEUE_URL: required when CLOSE_SCHEDULER=eventbridge (the queue the schedules target)');
    if (e.SCHEDULER_ROLE_ARN === undefined) problems.push('SCHEDULER_ROLE_ARN: required when CLOSE_SCHEDULER=eventbridge (the role EventBridge Scheduler assumes to send to the queue)');
    const arn = e.SQS_CLOSE_QUEUE_ARN ?? (e.SQS_CLOSE_QUEUE_URL !== undefined ? queueArnOf(e.SQS_CLOSE_QUEUE_URL, e.AWS_REGION) : null);
    if (e.SQS_CLOSE_QUEUE_URL !== undefined && arn === null) problems.push('SQS_CLOSE_QUEUE_ARN: cannot be derived from SQS_CLOSE_QUEUE_URL; set it');
    if (e.SQS_CLOSE_QUEUE_URL !== undefined && e.SCHEDULER_ROLE_ARN !== undefined && arn !== null) {
      eventBridge = { queueUrl: e.SQS_CLOSE_QUEUE_URL, queueArn: arn, roleArn: e.SCHEDULER_ROLE_ARN, group: e.SCHEDULER_GROUP };
    }
  }
  if (e.UPLOAD_MAX_IN_FLIGHT_PER_USER > e.UPLOAD_MAX_IN_FLIGHT) {
    problems.push(`UPLOAD_MAX_IN_FLIGHT_PER_USER: must not exceed UPLOAD_MAX_IN_FLIGHT (${e.UPLOAD_MAX_IN_FLIGHT}); lower it or raise UPLOAD_MAX_IN_FLIGHT`);
  }
  if (e.S3_BUCKET !== undefined && e.CDN_BASE_URL === undefined) problems.push('CDN_BASE_URL: required with S3_BUCKET (the public URL images are served from)');
  return {
    closeScheduler: e.CLOSE_SCHEDULER,
    aws: { region: e.AWS_REGION, endpoint: e.AWS_ENDPOINT_URL ?? null },
    eventBridge,
    s3: e.S3_BUCKET !== undefined && e.CDN_BASE_URL !== undefined ? { bucket: e.S3_BUCKET, cdnBaseUrl: e.CDN_BASE_URL } : null,
    outboxQueueUrl: e.OUTBOX_SQS_QUEUE_URL ?? null,
    orderPaymentMs: e.ORDER_PAYMENT_HOURS * 3_600_000,
    upload: { maxBytes: e.UPLOAD_MAX_BYTES, maxFiles: e.UPLOAD_MAX_FILES, maxInFlight: e.UPLOAD_MAX_IN_FLIGHT, maxInFlightPerUser: e.UPLOAD_MAX_IN_FLIGHT_PER_USER },
  };
}

/** arn:aws:sqs:<region>:<account>:<name> from https://sqs.<region>.amazonaws.com/<account>/<name> (or an emulator's /<account>/<name>). */
export function queueArnOf(url: string, region: string): string | null {
  const m = /^https?:\/\/[^/]+\/(\d{12}|[\w-]+)\/([\w.-]+)\/?$/.exec(url);
  if (m === null) return null;
  const r = /sqs[.-]([a-z0-9-]+)\./.exec(url)?.[1] ?? region;
  return `arn:aws:sqs:${r}:${m[1]}:${m[2]}`;
}

// Configuration: read from the environment once at start, validated against one schema, every problem
// reported at once with the variable to fix, then frozen. Nothing else reads process.env.
import path from 'node:path';
import { z } from 'zod';

const HTTP_URL = /^https?:\/\/\S+$/;
/** An address, or a display name and an address in angle brackets; no line breaks (header injection). */
const MAILBOX = /^(?:[^<>\r\n"]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/** Every variable, its default and its meaning; the README's configuration table follows this. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(8080, 0, 65535),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_LOCK_TIMEOUT_MS: int(5000, 0, 600_000),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  REDIS_PREFIX: z.string().default('okj:'),
  CLOSE_SCHEDULER: z.enum(['embedded', 'eventbridge']).default('embedded'),
  // Not z.url(): emulators hand out queue URLs such as http://sqs.us-east-1.127.0.0.1:4566/... that WHATWG URL refuses.
  SQS_CLOSE_QUEUE_URL: z.string().regex(HTTP_URL, 'must be an http(s) queue URL').optional(),
  SQS_CLOSE_QUEUE_ARN: z.string().regex(/^arn:aws[\w-]*:sqs:/, 'must be an SQS queue ARN').optional(),
  SCHEDULER_ROLE_ARN: z.string().regex(/^arn:aws[\w-]*:iam::/, 'must be an IAM role ARN').optional(),
  SCHEDULER_GROUP: z.string().min(1).default('default'),
  AWS_REGION: z.string().min(1).default('ap-northeast-2'),
  AWS_ENDPOINT_URL: z.url().optional(),
  S3_BUCKET: z.string().min(3).optional(),
  CDN_BASE_URL: z.url().optional(),
  OUTBOX_SQS_QUEUE_URL: z.string().regex(HTTP_URL, 'must be an http(s) queue URL').optional(),
  ORDER_PAYMENT_HOURS: int(72, 1, 24 * 60),
  UPLOAD_MAX_BYTES: int(10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  UPLOAD_MAX_FILES: int(10, 1, 50),
  UPLOAD_MAX_IN_FLIGHT: int(16, 1, 10_000),
  UPLOAD_MAX_IN_FLIGHT_PER_USER: int(2, 1, 10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 key)').optional(),
  JWT_ISSUER: z.string().min(1).default('okjangpan'),
  JWT_AUDIENCE: z.string().min(1).default('okjangpan-api'),
  WS_MAX_PAYLOAD_BYTES: int(16 * 1024, 256, 16 * 1024 * 1024),
  WS_MAX_SUBSCRIPTIONS: int(100, 1, 100_000),
  WS_COMMANDS_PER_SECOND: int(50, 1, 1_000_000),
  WS_MAX_BACKPRESSURE_BYTES: int(1024 * 1024, 1024, 1024 * 1024 * 1024),
  WS_IDLE_TIMEOUT_SECONDS: int(120, 8, 960),
  WS_RESUME_FRAMES: int(64, 0, 100_000),
  WS_KEEP_ENDED_SECONDS: int(300, 0, 86_400),
  HTTP_BODY_LIMIT_BYTES: int(64 * 1024, 1024, 64 * 1024 * 1024),
  JOURNAL_MAX_PENDING: int(100_000, 1, 10_000_000),
  JOURNAL_LANES: z.coerce.number().int().min(1).max(64).optional(),
  SNAPSHOT_EVERY: int(256, 1, 1_000_000),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 30, 86_400),
  REFRESH_TOKEN_TTL_SECONDS: int(14 * 86_400, 300, 365 * 86_400),
  SESSION_MAX_AGE_SECONDS: int(30 * 86_400, 300, 365 * 86_400),
  LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: int(5, 1, 1000),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(100, 1, 100_000),
  LOGIN_MAX_FAILURES_PER_ADDRESS: int(50, 1, 100_000),
  LOGIN_FAILURE_WINDOW_SECONDS: int(900, 1, 86_400),
  RECENT_SIGN_IN_SECONDS: int(600, 1, 86_400),
  SIGNUP_MAX_PER_ADDRESS: int(20, 1, 1_000_000),
  SIGNUP_MAX_MAILS_PER_EMAIL: int(5, 1, 1000),
  VERIFY_MAX_FAILURES_PER_ADDRESS: int(20, 1, 1_000_000),
  SIGNUP_WINDOW_SECONDS: int(3600, 1, 7 * 86_400),
  MAIL_TRANSPORT: z.enum(['file', 'smtp']).default('file'),
  // Not z.url(): the message must never echo the value (it holds the SMTP password).
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s/?#]+\/?(?:\?\S*)?$/, 'must be smtp://[user:password@]host[:port] or smtps://... (TLS from the start)').optional(),
  MAIL_FROM: z.string().regex(MAILBOX, 'must be an address such as okjangpan@example.com, or a name and one: Okjangpan <no-reply@example.com>').default('okjangpan@localhost'),
  PUBLIC_BASE_URL: z.string().regex(/^https?:\/\/[^\s?#]+$/, 'must be an http(s) URL without query or fragment, such as https://okjangpan.example').optional(),
  TRUST_PROXY: int(0, 0, 10),
  METRICS_PUBLIC: z.enum(['0', '1'], { error: 'must be 0 (GET /metrics not on the public port) or 1 (served there to anyone)' }).default('0'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_REDIRECT_URI: z.url().optional(),
  GOOGLE_AUTHORIZATION_ENDPOINT: z.url().default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_TOKEN_ENDPOINT: z.url().default('https://oauth2.googleapis.com/token'),
  GOOGLE_JWKS_URI: z.url().default('https://www.googleapis.com/oauth2/v3/certs'),
  GOOGLE_ISSUER: z.string().min(1).default('https://accounts.google.com'),
});

type Env = z.infer<typeof schema>;

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  dataDir: string;
  /** mysql://... for MySQL/MariaDB, else a SQLite file path. */
  databaseUrl: string;
  /** How long a journal write waits for a lock before answering STORE_UNAVAILABLE. */
  databaseLockTimeoutMs: number;
  redisUrl: string | null;
  redisPrefix: string;
  market: MarketConfig;
  logLevel: Env['LOG_LEVEL'];
  jwt: { secret: string | null; issuer: string; audience: string };
  ws: {
    maxPayloadBytes: number;
    maxSubscriptions: number;
    commandsPerSecond: number;
    maxBackpressureBytes: number;
    idleTimeoutSeconds: number;
    /** Public frames kept per auction for `sub` with `since`; older gaps get a fresh snap. */
    resumeFrames: number;
    /** How long an ended auction's frames stay resumable. */
    keepEndedSeconds: number;
  };
  /** trustProxy: reverse proxies in front whose X-Forwarded-For is believed (0: the peer is the client). */
  http: { bodyLimitBytes: number; trustProxy: number };
  /**
   * Where GET /metrics is served: on the public port only when `public`; on a listener of its own at
   * `host`:`port` (for Prometheus on a private network) when `port` is set; nowhere otherwise.
   */
  metrics: { public: boolean; port: number | null; host: string };
  /** lanes: group committers in parallel (app/lanes.ts); null picks by store (SQLite 2, MySQL 4). */
  journal: { maxPending: number; snapshotEvery: number; lanes: number | null };
  accounts: {
    accessTtlSeconds: number;
    /** A refresh token's idle lifetime: each rotation issues a new one for this long. */
    refreshTtlSeconds: number;
    /** A session's absolute lifetime, however often it is refreshed. */
    sessionMaxAgeSeconds: number;
    login: { maxFailuresPerAccountAddress: number; maxFailuresPerAccount: number; maxFailuresPerAddress: number; windowSeconds: number };
    /** How recent a sign-in must be to set a first password or withdraw a Google-only account. */
    recentSignInSeconds: number;
    /**
     * Over one window: signups per client address; signup mails per email (registered or not alike:
     * past it a signup still answers 202 and mails nothing); failed verifications per client address.
     */
    signup: { maxPerAddress: number; maxMailsPerEmail: number; maxVerifyFailuresPerAddress: number; windowSeconds: number };
  };
  mail: MailConfig;
  /** Google sign-in; null (off) unless client id, secret and redirect URI are all set. */
  google: GoogleConfig | null;
}

/** Outgoing mail (verification links): written to files under `dir`, or sent through SMTP. */
export interface MailConfig {
  transport: 'file' | 'smtp';
  /** smtp(s)://user:password@host:port; null unless transport is smtp. Never logged. */
  smtpUrl: string | null;
  from: string;
  /** DATA_DIR/mail: one .eml file per message with the file transport. */
  dir: string;
  /** Where links in mails point (no trailing slash). */
  publicBaseUrl: string;
}

export type { GoogleConfig } from '../storage/accounts/google.ts';
import type { GoogleConfig } from '../storage/accounts/google.ts';

/** The marketplace: close pipeline, images, orders, outbox (README "Marketplace"). */
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

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message} (set the environment variable ${String(i.path[0])})`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.NODE_ENV === 'production' && e.JWT_SECRET === undefined) {
    problems.push('JWT_SECRET: required when NODE_ENV=production (a random key would log everyone out at each restart)');
  }
  if (e.DATABASE_URL !== undefined && /^[a-z]+:\/\//i.test(e.DATABASE_URL) && !/^(mysql|mariadb|sqlite):\/\//i.test(e.DATABASE_URL)) {
    problems.push('DATABASE_URL: use mysql://user:pass@host:port/db for MySQL or MariaDB, or a file path for SQLite');
  }
  // One commit sends a socket at most one frame per subscribed auction; the send buffer must hold a
  // couple of turns of that, or healthy readers would be treated as slow (gateway/hub.ts).
  if (e.WS_MAX_BACKPRESSURE_BYTES < e.WS_MAX_SUBSCRIPTIONS * 1024) {
    problems.push(`WS_MAX_BACKPRESSURE_BYTES: must be at least WS_MAX_SUBSCRIPTIONS x 1024 (${e.WS_MAX_SUBSCRIPTIONS * 1024}); raise it or lower WS_MAX_SUBSCRIPTIONS`);
  }
  if (e.REFRESH_TOKEN_TTL_SECONDS > e.SESSION_MAX_AGE_SECONDS) {
    problems.push('REFRESH_TOKEN_TTL_SECONDS: must not exceed SESSION_MAX_AGE_SECONDS');
  }
  const googleVars = { GOOGLE_CLIENT_ID: e.GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET: e.GOOGLE_CLIENT_SECRET, GOOGLE_REDIRECT_URI: e.GOOGLE_REDIRECT_URI };
  const missingGoogle = Object.entries(googleVars).filter(([, v]) => v === undefined).map(([k]) => k);
  if (missingGoogle.length > 0 && missingGoogle.length < 3) {
    problems.push(`${missingGoogle.join(', ')}: Google sign-in needs GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET and GOOGLE_REDIRECT_URI together (set the missing ones or unset all three)`);
  }
  if (e.MAIL_TRANSPORT === 'smtp' && e.SMTP_URL === undefined) {
    problems.push('SMTP_URL: required when MAIL_TRANSPORT=smtp (smtps://user:password@smtp.example.com:465, or smtp://... for STARTTLS on 587)');
  }
  if (e.SMTP_URL !== undefined && !parsesAsUrl(e.SMTP_URL)) {
    problems.push('SMTP_URL: not a valid URL (percent-encode any reserved character of the user name and password, such as @ : / ? #)');
  }
  if (e.MAIL_TRANSPORT === 'file' && e.SMTP_URL !== undefined) {
    problems.push('MAIL_TRANSPORT: SMTP_URL is set but MAIL_TRANSPORT is file (the default); set MAIL_TRANSPORT=smtp to send through it, or unset SMTP_URL');
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    problems.push('METRICS_PORT: must differ from PORT (the metrics listener is a port of its own, for Prometheus only)');
  }
  const market = marketConfig(e, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = path.resolve(e.DATA_DIR);
  return deepFreeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? path.join(dataDir, 'okjangpan.db'),
    databaseLockTimeoutMs: e.DATABASE_LOCK_TIMEOUT_MS,
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX,
    market,
    logLevel: e.LOG_LEVEL,
    jwt: { secret: e.JWT_SECRET ?? null, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE },
    ws: {
      maxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
      maxSubscriptions: e.WS_MAX_SUBSCRIPTIONS,
      commandsPerSecond: e.WS_COMMANDS_PER_SECOND,
      maxBackpressureBytes: e.WS_MAX_BACKPRESSURE_BYTES,
      idleTimeoutSeconds: e.WS_IDLE_TIMEOUT_SECONDS,
      resumeFrames: e.WS_RESUME_FRAMES,
      keepEndedSeconds: e.WS_KEEP_ENDED_SECONDS,
    },
    http: { bodyLimitBytes: e.HTTP_BODY_LIMIT_BYTES, trustProxy: e.TRUST_PROXY },
    metrics: { public: e.METRICS_PUBLIC === '1', port: e.METRICS_PORT ?? null, host: e.METRICS_HOST ?? e.HOST },
    journal: { maxPending: e.JOURNAL_MAX_PENDING, snapshotEvery: e.SNAPSHOT_EVERY, lanes: e.JOURNAL_LANES ?? null },
    accounts: {
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      sessionMaxAgeSeconds: e.SESSION_MAX_AGE_SECONDS,
      login: {
        maxFailuresPerAccountAddress: e.LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS,
        maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
        windowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      },
      recentSignInSeconds: e.RECENT_SIGN_IN_SECONDS,
      signup: {
        maxPerAddress: e.SIGNUP_MAX_PER_ADDRESS,
        maxMailsPerEmail: e.SIGNUP_MAX_MAILS_PER_EMAIL,
        maxVerifyFailuresPerAddress: e.VERIFY_MAX_FAILURES_PER_ADDRESS,
        windowSeconds: e.SIGNUP_WINDOW_SECONDS,
      },
    },
    mail: {
      transport: e.MAIL_TRANSPORT,
      smtpUrl: e.MAIL_TRANSPORT === 'smtp' ? e.SMTP_URL ?? null : null,
      from: e.MAIL_FROM,
      dir: path.join(dataDir, 'mail'),
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    },
    google: missingGoogle.length > 0 ? null : {
      clientId: e.GOOGLE_CLIENT_ID as string,
      clientSecret: e.GOOGLE_CLIENT_SECRET as string,
      redirectUri: e.GOOGLE_REDIRECT_URI as string,
      authorizationEndpoint: e.GOOGLE_AUTHORIZATION_ENDPOINT,
      tokenEndpoint: e.GOOGLE_TOKEN_ENDPOINT,
      jwksUri: e.GOOGLE_JWKS_URI,
      issuer: e.GOOGLE_ISSUER,
    },
  });
}

function marketConfig(e: Env, problems: string[]): MarketConfig {
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

function parsesAsUrl(s: string): boolean {
  try {
    return new URL(s).hostname !== '';
  } catch {
    return false;
  }
}

function deepFreeze<T extends object>(o: T): Readonly<T> {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

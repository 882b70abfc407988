// Configuration: read from the environment once at start, validated against one schema, every problem
// reported at once with the variable to fix, then frozen. Nothing else reads process.env.
// The variables shared by every part are here; each domain declares its own in app/<domain>/config.ts
// (its zod shape and how it reads them), merged below. A variable declared twice stops the server.
import path from 'node:path';
import { z } from 'zod';
import { accountsConfig, accountsEnv, type AccountsConfig } from './accounts/config.ts';
import { auctionConfig, auctionEnv, type AuctionConfig } from './auction/config.ts';
import { chatConfig, chatEnv, type ChatConfig } from './chat/config.ts';
import { int, type EnvShape } from './config-env.ts';
import { marketConfig, marketEnv, type MarketConfig } from './market/config.ts';
import { paymentsConfig, paymentsEnv, type PaymentsConfig } from './payments/config.ts';
import { settlementConfig, settlementEnv, type SettlementConfig } from './settlement/config.ts';
import { pricingConfig, pricingEnv, type PricingConfig } from './pricing/config.ts';
import { recommendationConfig, recommendationEnv, type RecommendationConfig } from './recommendation/config.ts';

export type { GoogleConfig, MailConfig } from './accounts/config.ts';
export type { MarketConfig } from './market/config.ts';
export type { PaymentsConfig } from './payments/config.ts';
export { queueArnOf } from './market/config.ts';

/** The variables every part shares: the process, the stores, the transports, observability. */
const kernelEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(8080, 0, 65535),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_LOCK_TIMEOUT_MS: int(5000, 0, 600_000),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  REDIS_PREFIX: z.string().default('okj:'),
  AWS_REGION: z.string().min(1).default('ap-northeast-2'),
  AWS_ENDPOINT_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WS_MAX_PAYLOAD_BYTES: int(16 * 1024, 256, 16 * 1024 * 1024),
  WS_MAX_SUBSCRIPTIONS: int(100, 1, 100_000),
  WS_COMMANDS_PER_SECOND: int(50, 1, 1_000_000),
  WS_MAX_BACKPRESSURE_BYTES: int(1024 * 1024, 1024, 1024 * 1024 * 1024),
  WS_IDLE_TIMEOUT_SECONDS: int(120, 8, 960),
  WS_RESUME_FRAMES: int(64, 0, 100_000),
  WS_KEEP_ENDED_SECONDS: int(300, 0, 86_400),
  HTTP_BODY_LIMIT_BYTES: int(64 * 1024, 1024, 64 * 1024 * 1024),
  PUBLIC_BASE_URL: z.string().regex(/^https?:\/\/[^\s?#]+$/, 'must be an http(s) URL without query or fragment, such as https://okjangpan.example').optional(),
  TRUST_PROXY: int(0, 0, 10),
  METRICS_PUBLIC: z.enum(['0', '1'], { error: 'must be 0 (GET /metrics not on the public port) or 1 (served there to anyone)' }).default('0'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
};

/** Every section's variables by section; docs/configuration.md lists them (test/architecture/config-docs.test.ts holds it to them). */
export const SECTIONS: Readonly<Record<string, EnvShape>> = {
  kernel: kernelEnv, auction: auctionEnv, accounts: accountsEnv, market: marketEnv, payments: paymentsEnv, settlement: settlementEnv,
  chat: chatEnv, recommendation: recommendationEnv, pricing: pricingEnv,
};

/** One schema of every section's variables; a variable in two sections is a programming error. */
function mergedShape(sections: Readonly<Record<string, EnvShape>>): EnvShape {
  const out: EnvShape = {};
  const owner = new Map<string, string>();
  for (const [name, shape] of Object.entries(sections)) {
    for (const [v, s] of Object.entries(shape)) {
      const had = owner.get(v);
      if (had !== undefined) throw new Error(`configuration: ${v} is declared by both the ${had} and the ${name} sections`);
      owner.set(v, name);
      out[v] = s;
    }
  }
  return out;
}

const schema = z.object({
  ...kernelEnv, ...auctionEnv, ...accountsEnv, ...marketEnv, ...paymentsEnv, ...settlementEnv, ...chatEnv, ...recommendationEnv, ...pricingEnv,
});
// The typed schema above and the checked merge below hold the same variables.
mergedShape(SECTIONS);

type Env = z.infer<typeof schema>;

export interface Config extends AuctionConfig, AccountsConfig {
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
  payments: PaymentsConfig;
  settlement: SettlementConfig;
  chat: ChatConfig;
  recommendation: RecommendationConfig;
  pricing: PricingConfig;
  logLevel: Env['LOG_LEVEL'];
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
  if (e.DATABASE_URL !== undefined && /^[a-z]+:\/\//i.test(e.DATABASE_URL) && !/^(mysql|mariadb|sqlite):\/\//i.test(e.DATABASE_URL)) {
    problems.push('DATABASE_URL: use mysql://user:pass@host:port/db for MySQL or MariaDB, or a file path for SQLite');
  }
  // One commit sends a socket at most one frame per subscribed auction; the send buffer must hold a
  // couple of turns of that, or healthy readers would be treated as slow (gateway/hub.ts).
  if (e.WS_MAX_BACKPRESSURE_BYTES < e.WS_MAX_SUBSCRIPTIONS * 1024) {
    problems.push(`WS_MAX_BACKPRESSURE_BYTES: must be at least WS_MAX_SUBSCRIPTIONS x 1024 (${e.WS_MAX_SUBSCRIPTIONS * 1024}); raise it or lower WS_MAX_SUBSCRIPTIONS`);
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    problems.push('METRICS_PORT: must differ from PORT (the metrics listener is a port of its own, for Prometheus only)');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const auction = auctionConfig(e);
  const accounts = accountsConfig({ ...e, dataDir }, problems);
  const market = marketConfig(e, problems);
  const payments = paymentsConfig(e, problems);
  const settlement = settlementConfig(e, problems);
  const pricing = pricingConfig(e, problems);
  if (problems.length > 0) throw new ConfigError(problems);
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
    payments,
    settlement,
    chat: chatConfig(e),
    recommendation: recommendationConfig(e),
    pricing,
    logLevel: e.LOG_LEVEL,
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
    ...auction,
    ...accounts,
  });
}

function deepFreeze<T extends object>(o: T): Readonly<T> {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

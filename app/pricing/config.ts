// The price prediction section of the configuration (docs/pricing.md). Without Naver's keys or OpenAI's,
// the chain skips that provider and says so in `source`; nothing fails to start.
import { z } from 'zod';
import { HTTP_URL, int, type EnvOf } from '../config-env.ts';

export const pricingEnv = {
  NAVER_CLIENT_ID: z.string().optional(),
  NAVER_CLIENT_SECRET: z.string().optional(),
  NAVER_BASE_URL: z.string().regex(HTTP_URL, 'must be an http(s) URL').optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().regex(HTTP_URL, 'must be an http(s) URL').optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  PRICING_TIMEOUT_MS: int(8000, 100, 120_000),
  PRICING_CACHE_HOURS: int(24, 1, 24 * 30),
};

export interface PricingConfig {
  naver: { clientId: string | undefined; clientSecret: string | undefined; baseUrl: string | undefined };
  openai: { apiKey: string | undefined; baseURL: string | undefined; model: string };
  /** Each provider call, retries included. */
  timeoutMs: number;
  cacheMs: number;
}

export function pricingConfig(e: EnvOf<typeof pricingEnv>, problems: string[]): PricingConfig {
  if ((e.NAVER_CLIENT_ID === undefined) !== (e.NAVER_CLIENT_SECRET === undefined)) {
    problems.push('NAVER_CLIENT_ID and NAVER_CLIENT_SECRET: set both (Naver Shopping search) or neither');
  }
  return {
    naver: { clientId: e.NAVER_CLIENT_ID, clientSecret: e.NAVER_CLIENT_SECRET, baseUrl: e.NAVER_BASE_URL },
    openai: { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL, model: e.OPENAI_MODEL },
    timeoutMs: e.PRICING_TIMEOUT_MS,
    cacheMs: e.PRICING_CACHE_HOURS * 3_600_000,
  };
}

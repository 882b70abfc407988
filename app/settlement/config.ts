// The settlement section of the configuration (docs/settlement.md): when runs happen, how payouts are
// made, how long a run holds the payouts it sends.
import { z } from 'zod';
import { int, type EnvOf } from '../config-env.ts';
import { parseCron, type CronSchedule } from '../../engine/settlement/cron.ts';

export const settlementEnv = {
  SETTLEMENT_CRON: z.string().default('0 4 * * *'),
  SETTLEMENT_PAYOUTS: z.enum(['csv', 'toss', 'off']).default('csv'),
  SETTLEMENT_CLAIM_SECONDS: int(600, 1, 86_400),
  TOSS_PAYOUTS_SECRET_KEY: z.string().min(1).optional(),
  TOSS_SECURITY_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hexadecimal characters of the security key').optional(),
  TOSS_PAYOUTS_BASE_URL: z.url().default('https://api.tosspayments.com'),
};

export interface SettlementConfig {
  /** When the scheduled run starts, in Asia/Seoul; it runs the period that ended last. */
  cron: CronSchedule;
  /** `csv`: a bank-transfer file per run under DATA_DIR/settlement; `toss`: Toss payouts; `off`: no scheduled runs (admin runs still pay through the CSV file). */
  payouts: 'csv' | 'toss' | 'off';
  claimMs: number;
  /** Toss payouts' keys, with SETTLEMENT_PAYOUTS=toss. */
  toss: { secretKey: string; securityKey: string; baseUrl: string } | null;
}

export function settlementConfig(e: EnvOf<typeof settlementEnv>, problems: string[]): SettlementConfig {
  let cron: CronSchedule;
  try {
    cron = parseCron(e.SETTLEMENT_CRON);
  } catch (err) {
    problems.push(`SETTLEMENT_CRON: ${(err as Error).message} (five fields: minute hour day month weekday, in Asia/Seoul)`);
    cron = parseCron('0 4 * * *');
  }
  let toss: SettlementConfig['toss'] = null;
  if (e.SETTLEMENT_PAYOUTS === 'toss') {
    if (e.TOSS_PAYOUTS_SECRET_KEY === undefined) problems.push('TOSS_PAYOUTS_SECRET_KEY: required with SETTLEMENT_PAYOUTS=toss (the payouts secret key)');
    if (e.TOSS_SECURITY_KEY === undefined) problems.push('TOSS_SECURITY_KEY: required with SETTLEMENT_PAYOUTS=toss (the 64-hex security key that encrypts payout bodies and signs webhooks)');
    if (e.TOSS_PAYOUTS_SECRET_KEY !== undefined && e.TOSS_SECURITY_KEY !== undefined) {
      toss = { secretKey: e.TOSS_PAYOUTS_SECRET_KEY, securityKey: e.TOSS_SECURITY_KEY, baseUrl: e.TOSS_PAYOUTS_BASE_URL };
    }
  }
  return { cron, payouts: e.SETTLEMENT_PAYOUTS, claimMs: e.SETTLEMENT_CLAIM_SECONDS * 1000, toss };
}

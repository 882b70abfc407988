// The settlement section of the configuration (docs/settlement.md): when runs happen, how payouts are
// made, how long a run holds the payouts it sends.
import { z } from 'zod';
import { int, type EnvOf } from '../config-env.ts';
import { parseCron, type CronSchedule } from '../../engine/settlement/cron.ts';

export const settlementEnv = {
  SETTLEMENT_CRON: z.string().default('0 4 * * *'),
  SETTLEMENT_PAYOUTS: z.enum(['csv', 'off']).default('csv'),
  SETTLEMENT_CLAIM_SECONDS: int(600, 1, 86_400),
};

export interface SettlementConfig {
  /** When the scheduled run starts, in Asia/Seoul; it runs the period that ended last. */
  cron: CronSchedule;
  /** `csv`: a bank-transfer file per run under DATA_DIR/settlement; `off`: no scheduled runs (admin runs still pay through the CSV file). */
  payouts: 'csv' | 'off';
  claimMs: number;
}

export function settlementConfig(e: EnvOf<typeof settlementEnv>, problems: string[]): SettlementConfig {
  let cron: CronSchedule;
  try {
    cron = parseCron(e.SETTLEMENT_CRON);
  } catch (err) {
    problems.push(`SETTLEMENT_CRON: ${(err as Error).message} (five fields: minute hour day month weekday, in Asia/Seoul)`);
    cron = parseCron('0 4 * * *');
  }
  return { cron, payouts: e.SETTLEMENT_PAYOUTS, claimMs: e.SETTLEMENT_CLAIM_SECONDS * 1000 };
}

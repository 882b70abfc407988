// Settlement's wiring: its store (the SQL database's, from app/stores.ts; or memory), the payout gateway
// (the CSV bank file under DATA_DIR/settlement unless one is given), the service, metrics, and the
// scheduled run.
import path from 'node:path';
import type { Authenticator } from '../../engine/accounts/identity.ts';
import type { Clock } from '../../engine/kernel.ts';
import type { Logger } from '../../engine/logger.ts';
import type { SettlementHttpDeps } from '../../http/settlement/routes.ts';
import type { PaymentGateway } from '../../storage/payments/ports.ts';
import { MemorySettlementStore } from '../../storage/settlement/memory.ts';
import { CsvPayouts } from '../../storage/settlement/payouts/csv.ts';
import { DiskFiles } from '../../storage/settlement/payouts/files.ts';
import { TossPayouts } from '../../storage/settlement/payouts/toss.ts';
import { verifyWebhook } from '../../storage/settlement/payouts/toss-crypto.ts';
import type { PayoutGateway, SettlementStore } from '../../storage/settlement/ports.ts';
import type { Metrics } from '../metrics.ts';
import type { SettlementConfig } from './config.ts';
import { SettlementSchedule } from './schedule.ts';
import { SettlementService } from './service.ts';

export interface SettlementOptions {
  config: SettlementConfig;
  dataDir: string;
  clock: Clock;
  log: Logger;
  store?: SettlementStore;
  gateway?: PayoutGateway;
  /** Toss's transaction list for reconciliation (payments' gateway); absent, reconciliation answers 501. */
  payments?: Pick<PaymentGateway, 'transactions'> | null;
  metrics?: Metrics;
  /** Tests: called between opening settlements and sending their payouts. */
  afterOpen?: () => Promise<void>;
  /** Tells a seller their money is held for want of a payout account (the inbox); idempotent per (seller, period). */
  tell?: (sellerId: string, period: string, amount: number) => Promise<void>;
}

export class SettlementRuntime {
  readonly store: SettlementStore;
  readonly gateway: PayoutGateway;
  readonly service: SettlementService;
  private readonly schedule: SettlementSchedule | null;

  constructor(o: SettlementOptions) {
    this.store = o.store ?? new MemorySettlementStore();
    const toss = o.config.toss;
    this.gateway = o.gateway ?? (toss !== null
      ? new TossPayouts({ secretKey: toss.secretKey, securityKey: toss.securityKey, baseUrl: toss.baseUrl })
      : new CsvPayouts(new DiskFiles(path.join(o.dataDir, 'settlement'))));
    const m = o.metrics;
    this.service = new SettlementService({
      store: this.store, gateway: this.gateway, clock: o.clock, claimMs: o.config.claimMs, payments: o.payments ?? null,
      afterOpen: o.afterOpen,
      verifyWebhook: toss === null ? null : (body, time, signature) => verifyWebhook(toss.securityKey, body, time, signature),
      // Sellers read their holds at GET /sellers/{id}/settlement; the log tells the operator.
      onHeld: async (sellerId, period, amount) => {
        o.log.warn({ sellerId, period, amount }, 'settlement held: the seller has no payout account');
        await o.tell?.(sellerId, period, amount);
      },
      onMismatches: (n) => m?.reconciliationMismatches.inc(n),
      onRun: (r) => {
        if (m === undefined) return;
        for (const k of ['completed', 'requested', 'failed', 'unknown'] as const) m.settlementPayouts.labels(k).inc(r[k]);
        m.settlementHeld.inc(r.held);
      },
    });
    this.schedule = o.config.payouts === 'off' ? null : new SettlementSchedule(o.config.cron, o.clock, (p) => this.service.runPeriod(p), o.log);
  }

  start(): void {
    this.schedule?.start();
  }

  async stop(): Promise<void> {
    await this.schedule?.stop();
  }

  httpDeps(auth: Authenticator, bodyLimitBytes: number): SettlementHttpDeps {
    return { settlement: this.service, auth, bodyLimitBytes };
  }
}

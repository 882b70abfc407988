// The scheduled run: at each SETTLEMENT_CRON occurrence (Asia/Seoul), run the period that ended last.
// Nothing is lost while the process is down: a run takes every confirmed order no settlement holds yet
// from before its cutoff, so the next run pays what a missed one would have.
import type { Clock } from '../../engine/kernel.ts';
import type { Logger } from '../../engine/logger.ts';
import { nextOccurrence, type CronSchedule } from '../../engine/settlement/cron.ts';
import { lastEndedPeriod } from '../../engine/settlement/periods.ts';

/** setTimeout's longest wait; a later occurrence is waited for in steps. */
const MAX_WAIT = 2_147_483_647;

export class SettlementSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly cron: CronSchedule,
    private readonly clock: Clock,
    private readonly run: (period: string) => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.arm(nextOccurrence(this.cron, this.clock.now()));
  }

  private arm(at: number | null): void {
    if (this.stopped || at === null) return;
    const wait = Math.min(Math.max(0, at - this.clock.now()), MAX_WAIT);
    this.timer = setTimeout(() => {
      if (this.clock.now() < at) return this.arm(at);
      const period = lastEndedPeriod(this.clock.now());
      this.running = this.run(period).then(
        (report) => this.log.info({ period, report }, 'settlement run'),
        (err: Error) => this.log.error({ period, err: err.message }, 'settlement run failed; the next run pays what it left'),
      ).finally(() => {
        this.running = null;
        this.arm(nextOccurrence(this.cron, this.clock.now()));
      });
    }, wait);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.running;
  }
}

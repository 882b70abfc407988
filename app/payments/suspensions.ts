// Who may not bid (SPEC §5: NONPAYMENT_STRIKES_MAX strikes within 180 days), held in memory for the bid
// path's gate: loaded at start, refreshed from the store (another node may have suspended or lifted),
// and changed at once when this process suspends or lifts.
import type { BidGate } from '../../engine/auction/api.ts';
import type { ErrorCode } from '../../engine/errors.ts';
import type { UserId } from '../../engine/kernel.ts';
import type { Logger } from '../../engine/logger.ts';
import type { Strikes } from '../../storage/payments/ports.ts';

export class Suspensions implements BidGate {
  private users = new Set<UserId>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly store: Strikes, private readonly log: Logger) {}

  refusal(user: UserId): ErrorCode | null {
    return this.users.has(user) ? 'BIDDING_SUSPENDED' : null;
  }

  add(user: UserId): void {
    this.users.add(user);
  }

  remove(user: UserId): void {
    this.users.delete(user);
  }

  async refresh(): Promise<void> {
    this.users = new Set(await this.store.suspendedUsers());
  }

  start(everyMs: number): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => {
      this.refresh().catch((err) => this.log.warn({ err }, 'payments: reading suspensions failed; the last list stays'));
    }, everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}

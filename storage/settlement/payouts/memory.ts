// A PayoutGateway in memory for tests: remembers what it was sent; a test decides each outcome.
import type { Payout, Period } from '../../../engine/settlement/model.ts';
import type { PayoutGateway, PayoutOutcome } from '../ports.ts';

export class MemoryPayouts implements PayoutGateway {
  readonly name = 'memory';
  /** Every payout handed over, in order (the same id twice means it was sent twice). */
  readonly sent: Array<{ period: Period; payout: Payout }> = [];
  /** Decides each payout's outcome; completed by default. */
  outcome: (p: Payout) => PayoutOutcome = (p) => ({ kind: 'completed', reference: `memory-${p.id}` });

  async send(period: Period, payouts: readonly Payout[]): Promise<Map<string, PayoutOutcome>> {
    const out = new Map<string, PayoutOutcome>();
    for (const p of payouts) {
      this.sent.push({ period, payout: structuredClone(p) });
      out.set(p.id, this.outcome(p));
    }
    return out;
  }
}

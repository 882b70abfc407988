// A settlement run for a period. Exactly-once comes from the database, not from this process:
//   1. each seller's lines (confirmed orders no live settlement holds: before the cutoff on AUTO, before
//      now on IMMEDIATELY) become one settlement, its payout and payable -> in transit, in ONE write that
//      the unique (seller, period) row and each order's unique claim refuse for a second run;
//   2. the opening run sends those payouts (it holds their claim); a run that crashed leaves them PENDING
//      and, once the claim lapses, the next run claims them (one conditional update each) and sends them
//      again under the same id, which the gateway must not pay twice;
//   3. each outcome is written with its ledger posting (completed: in transit -> paid out; failed:
//      in transit -> payable, the orders released for a later run), a gateway's batch in one write.
import { randomUUID } from 'node:crypto';
import type { Clock, Won } from '../../engine/kernel.ts';
import type { RunReport } from '../../engine/settlement/api.ts';
import type { Payout, Period, SettlementLine } from '../../engine/settlement/model.ts';
import { cutoffOf } from '../../engine/settlement/periods.ts';
import { payoutCompleted, payoutFailed, payoutSent } from '../../engine/settlement/postings.ts';
import type { PayoutGateway, PayoutMove, PayoutOutcome, SettlementStore } from '../../storage/settlement/ports.ts';

export interface RunDeps {
  store: SettlementStore;
  gateway: PayoutGateway;
  clock: Clock;
  /** How long a run holds the payouts it sends before another run may send them again. */
  claimMs: number;
  /** Told once per (seller, period) held for want of a payout account. */
  onHeld?: (sellerId: string, period: Period, amount: Won) => Promise<void> | void;
  /** Between opening and sending (tests crash a run here). */
  afterOpen?: () => Promise<void>;
}

const CLAIM_BATCH = 1_000;

export async function runSettlement(d: RunDeps, period: Period): Promise<RunReport> {
  const report: RunReport = { period, opened: 0, amount: 0, held: 0, resent: 0, completed: 0, requested: 0, failed: 0, unknown: 0 };
  const now = d.clock.now();
  const cutoff = cutoffOf(period);

  // Payouts an earlier run left behind go first, with their own period.
  const lapsed = await d.store.claimPayouts(now, now + d.claimMs, CLAIM_BATCH);
  report.resent = lapsed.length;
  const byPeriod = new Map<Period, Payout[]>();
  for (const p of lapsed) byPeriod.set(p.period, [...(byPeriod.get(p.period) ?? []), p]);

  const opened: Payout[] = [];
  for (const u of await d.store.unsettled(now + 1)) { // confirmed up to and including now
    const settings = await d.store.seller(u.sellerId);
    const plan = settings?.plan ?? 'AUTO';
    const lines: SettlementLine[] = plan === 'AUTO' ? u.lines.filter((l) => l.confirmedAt < cutoff) : u.lines;
    if (lines.length === 0) continue;
    const amount = lines.reduce((s, l) => s + l.net, 0);
    if (amount <= 0) continue; // every line's fee took its whole price: nothing to pay
    if (settings?.payoutAccount == null) {
      report.held++;
      if (await d.store.hold(u.sellerId, period, amount, now)) await d.onHeld?.(u.sellerId, period, amount);
      continue;
    }
    const id = `st_${randomUUID()}`;
    const payout: Payout = { id, sellerId: u.sellerId, period, amount, account: settings.payoutAccount, status: 'PENDING', reference: null, failure: null, updatedAt: now };
    const ok = await d.store.open({
      settlement: { id, sellerId: u.sellerId, period, status: 'PENDING', amount, createdAt: now, updatedAt: now },
      lines, payout, sent: payoutSent({ payoutId: id, sellerId: u.sellerId, amount, at: now }), claimedUntil: now + d.claimMs,
    });
    if (!ok) continue; // another run has this (seller, period) or one of these orders
    opened.push(payout);
    report.opened++;
    report.amount += amount;
  }
  await d.afterOpen?.();
  if (opened.length > 0) byPeriod.set(period, [...(byPeriod.get(period) ?? []), ...opened]);

  for (const [p, payouts] of byPeriod) await send(d, p, payouts, report);
  return report;
}

async function send(d: RunDeps, period: Period, payouts: Payout[], report: RunReport): Promise<void> {
  const outcomes = await d.gateway.send(period, payouts);
  const at = d.clock.now();
  const moves: PayoutMove[] = [];
  for (const p of payouts) {
    const o: PayoutOutcome = outcomes.get(p.id) ?? { kind: 'unknown', reason: 'the gateway did not answer for it' };
    const e = { payoutId: p.id, sellerId: p.sellerId, amount: p.amount, at };
    if (o.kind === 'completed') {
      moves.push({ id: p.id, from: 'PENDING', to: 'COMPLETED', at, reference: o.reference, tx: payoutCompleted(e) });
      report.completed++;
    } else if (o.kind === 'requested') {
      moves.push({ id: p.id, from: 'PENDING', to: 'REQUESTED', at, reference: o.reference });
      report.requested++;
    } else if (o.kind === 'failed') {
      moves.push({ id: p.id, from: 'PENDING', to: 'FAILED', at, failure: o.reason.slice(0, 500), tx: payoutFailed(e) });
      report.failed++;
    } else {
      report.unknown++;
    }
  }
  if (moves.length > 0 && !(await d.store.movePayouts(moves))) {
    // Another run moved one of them meanwhile (its claim lapsed while this one waited on the gateway):
    // write each on its own so the rest still land.
    for (const m of moves) await d.store.movePayouts([m]);
  }
}

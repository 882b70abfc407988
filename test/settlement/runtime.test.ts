// The wiring: a reconciliation's mismatches and a run's payouts reach /metrics.
import t from 'tap';
import { ManualClock } from '../../engine/clock.ts';
import { silentLogger } from '../../engine/logger.ts';
import { parseCron } from '../../engine/settlement/cron.ts';
import { Metrics } from '../../app/metrics.ts';
import { SettlementRuntime } from '../../app/settlement/index.ts';
import { MemoryPayouts } from '../../storage/settlement/payouts/memory.ts';
import { ACCOUNT, ADMIN, DAY, DEC1 } from './world.ts';

t.test('mismatches and payouts are counted', async (t) => {
  const metrics = new Metrics({ defaultMetrics: false });
  const clock = new ManualClock(DEC1 + 3_600_000);
  const rt = new SettlementRuntime({
    config: { cron: parseCron('0 4 * * *'), payouts: 'off', claimMs: 1_000, toss: null }, dataDir: '/nonexistent', clock, log: silentLogger, metrics,
    gateway: new MemoryPayouts(),
    payments: { transactions: async () => ({ kind: 'ok', transactions: [], next: null }) },
  });
  await rt.service.setPayoutAccount({ userId: 's', role: 'user' }, 's', ACCOUNT);
  await rt.store.post(rt.service.captured({ orderId: 'o', sellerId: 's', amount: 10_000, at: clock.now() }));
  await rt.store.post(await rt.service.confirmed({ orderId: 'o', sellerId: 's', categoryId: null, price: 10_000, at: clock.now() }));
  clock.set(DEC1 + DAY + 3_600_000);
  await rt.service.run(ADMIN, '2026-12-01');
  const r = await rt.service.reconcile(ADMIN, '2026-12-01');
  t.equal(r.mismatches.length, 1, 'the capture Toss does not list');
  const text = await metrics.text();
  t.match(text, /okj_settlement_reconciliation_mismatches_total 1\b/);
  t.match(text, /okj_settlement_payouts_total\{outcome="completed"\} 1\b/);
  rt.start();
  await rt.stop();
});

// Reconciliation of the ledger against Toss's transactions of a period, per order, over the payments
// port (paged as Toss pages): matches are quiet; an order missing on either side or with another amount
// is listed and counted; a Toss failure answers RECONCILIATION_UNAVAILABLE.
import t from 'tap';
import { ManualClock } from '../../engine/clock.ts';
import { SettlementService } from '../../app/settlement/service.ts';
import { MemorySettlementStore } from '../../storage/settlement/memory.ts';
import { MemoryPayouts } from '../../storage/settlement/payouts/memory.ts';
import type { Transaction, TransactionQuery, TransactionsResult } from '../../storage/payments/ports.ts';
import { ADMIN, DAY, DEC1 } from './world.ts';

const tx = (key: string, orderId: string, amount: number, status: Transaction['status'], at: number): Transaction =>
  ({ transactionKey: key, paymentKey: `pk-${orderId}`, orderId, method: 'CARD', amount, status, transactionAt: at });

t.test('mismatches are listed and counted; pages are followed', async (t) => {
  const store = new MemorySettlementStore();
  const clock = new ManualClock(DEC1 + DAY + 3_600_000);
  const toss: Transaction[] = [
    tx('t1', 'ok', 10_000, 'DONE', DEC1 + 1), tx('t2', 'ok', 3_000, 'PARTIAL_CANCELED', DEC1 + 2),
    tx('t3', 'differs', 5_000, 'DONE', DEC1 + 3),
    tx('t4', 'toss-only', 7_000, 'DONE', DEC1 + 4),
    tx('t5', 'other-day', 1_000, 'DONE', DEC1 + DAY + 1),
    // Paid after the order expired, refunded by payments at once: never in the ledger, nothing to report.
    tx('t6', 'unpayable', 4_000, 'DONE', DEC1 + 6), tx('t7', 'unpayable', 4_000, 'CANCELED', DEC1 + 7),
  ];
  const asked: TransactionQuery[] = [];
  let counted = 0;
  let failing = false;
  const payments = {
    async transactions(q: TransactionQuery): Promise<TransactionsResult> {
      asked.push(q);
      if (failing) return { kind: 'unknown', cause: 'timeout', code: null, message: 'timed out' };
      const inRange = toss.filter((x) => x.transactionAt >= q.from && x.transactionAt <= q.to);
      const start = q.startingAfter === undefined ? 0 : inRange.findIndex((x) => x.transactionKey === q.startingAfter) + 1;
      const page = inRange.slice(start, start + 2);
      return { kind: 'ok', transactions: page, next: start + 2 < inRange.length ? page.at(-1)!.transactionKey : null };
    },
  };
  const service = new SettlementService({ store, gateway: new MemoryPayouts(), clock, claimMs: 1_000, payments, onMismatches: (n) => { counted += n; } });
  await store.post(service.captured({ orderId: 'ok', sellerId: 's', amount: 10_000, at: DEC1 + 1 }));
  await store.post(service.refunded({ orderId: 'ok', sellerId: 's', refundId: 'r1', amount: 3_000, at: DEC1 + 2 }));
  await store.post(service.captured({ orderId: 'differs', sellerId: 's', amount: 6_000, at: DEC1 + 3 }));
  await store.post(service.captured({ orderId: 'ledger-only', sellerId: 's', amount: 2_000, at: DEC1 + 5 }));

  const r = await service.reconcile(ADMIN, '2026-12-01');
  t.same(r, {
    period: '2026-12-01', checked: 5,
    mismatches: [
      { key: 'differs', orderId: 'differs', kind: 'amount_differs', ledger: 6_000, toss: 5_000 },
      { key: 'ledger-only', orderId: 'ledger-only', kind: 'missing_at_toss', ledger: 2_000, toss: null },
      { key: 'toss-only', orderId: 'toss-only', kind: 'missing_in_ledger', ledger: null, toss: 7_000 },
    ],
  });
  t.equal(counted, 3, 'counted for /metrics');
  t.equal(asked.length, 3, 'three pages of two');
  t.same({ from: asked[0].from, to: asked[0].to }, { from: DEC1, to: DEC1 + DAY - 1 }, 'the Seoul day, both ends included');

  failing = true;
  await t.rejects(service.reconcile(ADMIN, '2026-12-01'), { code: 'RECONCILIATION_UNAVAILABLE' });
  await t.rejects(service.reconcile({ userId: 'u', role: 'user' }, '2026-12-01'), { code: 'FORBIDDEN' });
  await t.rejects(service.reconcile(ADMIN, 'nope'), { code: 'PERIOD_INVALID' });
  t.equal(counted, 3);
});

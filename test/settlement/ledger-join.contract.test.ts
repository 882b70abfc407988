// An order's transition and its ledger transaction are written together or not at all, over every adapter
// pair that shares a write (memory with memory, SQLite and MariaDB with the ledger's statements in the
// order's SqlDatabase.write). Named cases first, then fast-check over random sequences of transitions,
// replays (a retried transition), stale writes and postings the ledger refuses: after every step the
// ledger holds exactly the postings of the events the order store holds, and every balance sums to zero.
import t, { type Test } from 'tap';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { PaymentOrder, OrderEvent } from '../../engine/payments/model.ts';
import { decide, evolve, open, type OrderCommand } from '../../engine/payments/rules.ts';
import { escrowOf } from '../../engine/settlement/accounts.ts';
import type { LedgerTransaction } from '../../engine/settlement/model.ts';
import { captured, confirmed, refunded } from '../../engine/settlement/postings.ts';
import { WriteConflictError } from '../../storage/errors.ts';
import { MemoryPaymentStores } from '../../storage/payments/memory-orders.ts';
import type { PaymentStores } from '../../storage/payments/ports.ts';
import { SqlPaymentStores } from '../../storage/payments/sql-orders.ts';
import { MemorySettlementStore } from '../../storage/settlement/memory.ts';
import type { SettlementStore } from '../../storage/settlement/ports.ts';
import { SqlSettlementStore } from '../../storage/settlement/sql.ts';
import { sqlDatabaseSubjects, type Subject } from '../helpers/stores.ts';

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
const PRICE = 30_000;

interface Pair { orders: PaymentStores; ledger: SettlementStore }

function subjects(): Subject<Pair>[] {
  return [
    {
      name: 'memory',
      open: async () => {
        const ledger = new MemorySettlementStore();
        return { orders: new MemoryPaymentStores(ledger), ledger };
      },
    },
    ...sqlDatabaseSubjects().map((s) => ({
      name: s.name,
      async open(t: Parameters<typeof s.open>[0]) {
        const db = await s.open(t);
        if (db === null) return null;
        const ledger = new SqlSettlementStore(db);
        return { orders: new SqlPaymentStores(db, (tx) => ledger.statements(tx)), ledger };
      },
    })),
  ];
}

function opened() {
  const seller = `s-${randomUUID().slice(0, 8)}`;
  return open({ id: `o-${randomUUID()}`, auctionId: 'a1', productId: 'p1', buyerId: 'bob', sellerId: seller, amount: PRICE, payBy: T0 + 3 * DAY, createdAt: T0 });
}

function step(o: PaymentOrder, cmd: OrderCommand, at: number): { next: PaymentOrder; event: OrderEvent } {
  const d = decide(o, cmd, at);
  if (!d.ok) throw new Error(d.code);
  return { next: evolve(o, d.event), event: d.event };
}

/** The posting payments makes for an event (as app/payments/service.ts does), fee 10 %. */
function postingOf(next: PaymentOrder, e: OrderEvent): LedgerTransaction | undefined {
  const base = { orderId: next.id, sellerId: next.sellerId, at: e.at };
  if (e.type === 'PAID') return captured({ ...base, amount: e.amount });
  if (e.type === 'REFUNDED') return refunded({ ...base, refundId: e.transactionKey ?? `${next.id}:${e.seq}`, amount: e.amount });
  if (e.type === 'CONFIRMED') {
    const price = next.paid - next.refunded;
    return confirmed({ ...base, price, fee: Math.floor(price / 10) });
  }
  return undefined;
}

async function write(p: Pair, s: { next: PaymentOrder; event: OrderEvent }, ledger = postingOf(s.next, s.event)): Promise<void> {
  await p.orders.transition(s.next, s.event, ledger === undefined ? {} : { ledger });
}

/** The ledger holds exactly the postings of the order's stored events; its escrow is what they leave. */
async function agrees(t: Test, p: Pair, first: PaymentOrder): Promise<void> {
  const orderId = first.id;
  const history = await p.orders.history(orderId);
  let order = first;
  for (const e of history.slice(1)) {
    order = evolve(order, e);
    const tx = postingOf(order, e);
    if (tx !== undefined) t.ok(await p.ledger.transaction(tx.key), `${e.type} #${e.seq} is posted`);
  }
  const stored = await p.orders.order(orderId);
  t.equal(stored?.seq, history.length, 'the order is at its last event');
  // Every posting of an order moves its escrow: one escrow entry per posting.
  const posted = await p.ledger.entries(escrowOf(orderId), 0, Number.MAX_SAFE_INTEGER, 1_000);
  t.equal(posted.length, history.filter((e) => e.type === 'PAID' || e.type === 'REFUNDED' || e.type === 'CONFIRMED').length, 'no posting without its event');
  const escrow = (await p.ledger.balances([escrowOf(orderId)])).get(escrowOf(orderId)) ?? 0;
  t.equal(escrow, stored!.status === 'CONFIRMED' ? 0 : stored!.paid - stored!.refunded, 'escrow is what the order holds');
}

async function sumsToZero(t: Test, p: Pair): Promise<void> {
  let sum = 0;
  for (const v of (await p.ledger.balances()).values()) sum += v;
  t.equal(sum, 0, 'the ledger sums to zero');
}

for (const subject of subjects()) {
  t.test(subject.name, async (t) => {
    const p = await subject.open(t);
    if (p === null) return;

    await t.test('a transition posts with its change; a replay or a refused posting stores neither', async (t) => {
      const { order, event } = opened();
      await p.orders.open(order, event);
      const started = step(order, { type: 'startConfirm', paymentKey: 'pk', amount: PRICE, idempotencyKey: 'k' }, T0 + 1);
      await write(p, started);
      const paid = step(started.next, { type: 'markPaid', payment: { paymentKey: 'pk', method: null, approvedAt: T0 + 2, receiptUrl: null }, amount: PRICE }, T0 + 2);
      await write(p, paid);
      t.ok(await p.ledger.transaction(`payment_captured:${order.id}`), 'captured with PAID');
      await t.rejects(write(p, paid), WriteConflictError, 'a retried transition');
      await agrees(t, p, order);

      // The ledger refuses: a refund larger than the escrow (a balance would go negative). The order stays.
      const refund = step(paid.next, { type: 'refund', amount: 5_000, reason: 'r', transactionKey: `tk-${order.id}` }, T0 + 3);
      const tooMuch = refunded({ orderId: order.id, sellerId: order.sellerId, refundId: `big-${order.id}`, amount: PRICE + 1, at: T0 + 3 });
      await t.rejects(write(p, refund, tooMuch), WriteConflictError, 'escrow cannot go negative');
      t.equal((await p.orders.order(order.id))?.status, 'PAID');
      t.equal((await p.orders.history(order.id)).length, 3, 'no REFUNDED event');
      t.equal(await p.ledger.transaction(tooMuch.key), null);
      // The ledger refuses: its key was posted before (by anything). The order stays.
      await t.rejects(write(p, refund, captured({ orderId: order.id, sellerId: order.sellerId, amount: PRICE, at: T0 + 3 })), WriteConflictError, 'a key posted before');
      t.equal((await p.orders.history(order.id)).length, 3);
      await agrees(t, p, order);

      // The order refuses (a stale seq): its posting is not written.
      const stale = { next: { ...refund.next, seq: 2 }, event: { ...refund.event, seq: 2 } };
      await t.rejects(write(p, stale, postingOf(refund.next, refund.event)), WriteConflictError);
      t.equal(await p.ledger.transaction(`refunded:tk-${order.id}`), null, 'no posting for a change not stored');

      await write(p, refund);
      const shipped = step(refund.next, { type: 'ship', carrier: 'CJ', trackingNumber: '1' }, T0 + 4);
      await write(p, shipped);
      const done = step(shipped.next, { type: 'confirmReceipt', automatic: true }, T0 + 5);
      await write(p, done);
      t.match(await p.ledger.transaction(`purchase_confirmed:${order.id}`), { price: PRICE - 5_000, fee: 2_500 });
      await agrees(t, p, order);
      await sumsToZero(t, p);
    });

    await t.test('fast-check: random transitions, replays, stale writes and refused postings', async (t) => {
      // Each action tries the order's next step one way: stored, replayed after it was stored, written at a
      // stale seq, or with a posting the ledger refuses. Fewer runs on SQL (each write is a transaction).
      const action = fc.constantFrom('store', 'replay', 'stale', 'refused');
      const runs = subject.name === 'memory' ? 60 : 12;
      await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), fc.integer({ min: 1, max: PRICE }), async (actions, partial) => {
        const { order, event } = opened();
        await p.orders.open(order, event);
        let cur = order;
        let last: { next: PaymentOrder; event: OrderEvent } | null = null;
        let at = T0;
        for (const a of actions) {
          const plan: OrderCommand[] = cur.status === 'AWAITING_PAYMENT'
            ? [cur.confirming === null ? { type: 'startConfirm', paymentKey: 'pk', amount: PRICE, idempotencyKey: 'k' } : { type: 'markPaid', payment: { paymentKey: 'pk', method: null, approvedAt: at, receiptUrl: null }, amount: PRICE }]
            : cur.status === 'PAID' ? [cur.refunded === 0 && partial < PRICE ? { type: 'refund', amount: partial, reason: 'r', transactionKey: null } : { type: 'ship', carrier: 'CJ', trackingNumber: '1' }]
              : cur.status === 'SHIPPED' ? [{ type: 'confirmReceipt', automatic: false }] : [];
          const cmd = plan[0];
          if (cmd === undefined) break;
          const s = step(cur, cmd, ++at);
          if (a === 'store' || a === 'replay') {
            await write(p, s);
            cur = s.next;
            last = s;
            if (a === 'replay') await t.rejects(write(p, s), WriteConflictError);
          } else if (a === 'stale') {
            const prev = last ?? { next: order, event };
            if (last !== null) await t.rejects(write(p, prev), WriteConflictError);
          } else {
            const refused = refunded({ orderId: cur.id, sellerId: cur.sellerId, refundId: `x-${cur.id}-${at}`, amount: PRICE + 1, at });
            await t.rejects(write(p, s, refused), WriteConflictError);
          }
          await agrees(t, p, order);
        }
      }), { numRuns: runs });
      await sumsToZero(t, p);
    });
  });
}

// The payments domain's stores (OrderStore, JobQueue, Strikes), run against every adapter: memory, SQLite
// (writer thread and inline), MariaDB. A transition is atomic with its event and effects, guarded by seq
// and by its job still being pending; webhooks' jobs are kept once by id.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { decide, evolve, open } from '../../engine/payments/rules.ts';
import type { OrderCommand } from '../../engine/payments/rules.ts';
import type { PaymentOrder } from '../../engine/payments/model.ts';
import { WriteConflictError } from '../../storage/errors.ts';
import { MemoryPaymentStores } from '../../storage/payments/memory-orders.ts';
import type { PaymentStores } from '../../storage/payments/ports.ts';
import { SqlPaymentStores } from '../../storage/payments/sql-orders.ts';
import { sqlDatabaseSubjects, type Subject } from '../helpers/stores.ts';

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;

function subjects(): Subject<PaymentStores>[] {
  return [
    { name: 'memory', open: async () => new MemoryPaymentStores() },
    ...sqlDatabaseSubjects().map((s) => ({
      name: s.name,
      open: async (t: Parameters<typeof s.open>[0]) => {
        const db = await s.open(t);
        return db === null ? null : new SqlPaymentStores(db);
      },
    })),
  ];
}

function opened(buyer = 'bob', at = T0) {
  return open({ id: `o-${randomUUID()}`, auctionId: 'a1', productId: 'p1', buyerId: buyer, sellerId: 'sam', amount: 30_000, payBy: at + 3 * DAY, createdAt: at });
}

function step(o: PaymentOrder, cmd: OrderCommand, at: number) {
  const d = decide(o, cmd, at);
  if (!d.ok) throw new Error(d.code);
  return { next: evolve(o, d.event), event: d.event };
}

for (const subject of subjects()) {
  t.test(subject.name, async (t) => {
    const store = await subject.open(t);
    if (store === null) return;

    await t.test('open once; transitions with gap-free history; a stale seq stores nothing', async (t) => {
      const { order, event } = opened();
      t.equal(await store.open(order, event), true);
      t.equal(await store.open(order, event), false, 'a second open writes nothing');
      const a = step(order, { type: 'startConfirm', paymentKey: 'pk', amount: 30_000, idempotencyKey: 'k' }, T0 + 1);
      await store.transition(a.next, a.event);
      t.same(await store.order(order.id), a.next);
      // Someone decided on the old state: refused, nothing stored.
      const stale = step(order, { type: 'expire' }, T0 + 4 * DAY);
      await t.rejects(store.transition(stale.next, stale.event), WriteConflictError);
      t.same(await store.order(order.id), a.next);
      const b = step(a.next, { type: 'markPaid', payment: { paymentKey: 'pk', method: '카드', approvedAt: T0 + 2, receiptUrl: 'https://r' }, amount: 30_000 }, T0 + 2);
      await store.transition(b.next, b.event);
      t.same((await store.history(order.id)).map((e) => [e.seq, e.type]), [[1, 'OPENED'], [2, 'CONFIRM_STARTED'], [3, 'PAID']]);
      t.equal((await store.order(order.id))?.status, 'PAID');
      t.equal(await store.order('nope'), null);
      t.same(await store.history('nope'), []);
    });

    await t.test('confirming orders are found for the reconciler, oldest first', async (t) => {
      const x = opened('carol', T0 + 10);
      const y = opened('carol', T0 + 20);
      for (const o of [x, y]) await store.open(o.order, o.event);
      const cy = step(y.order, { type: 'startConfirm', paymentKey: 'p1', amount: 30_000, idempotencyKey: 'k1' }, T0 + 30);
      const cx = step(x.order, { type: 'startConfirm', paymentKey: 'p2', amount: 30_000, idempotencyKey: 'k2' }, T0 + 40);
      await store.transition(cy.next, cy.event);
      await store.transition(cx.next, cx.event);
      const found = (await store.confirming(T0 + 41, 100)).filter((o) => o.buyerId === 'carol').map((o) => o.id);
      t.same(found, [y.order.id, x.order.id]);
      t.same((await store.confirming(T0 + 31, 100)).filter((o) => o.buyerId === 'carol').map((o) => o.id), [y.order.id]);
      t.same((await store.ordersOf('carol', 10)).map((o) => o.id), [y.order.id, x.order.id], 'newest first');
      t.equal((await store.ordersOf('sam', 1)).length, 1);
    });

    await t.test('a job is done once: a transition finishing it twice stores nothing the second time', async (t) => {
      const { order, event } = opened('dan');
      const job = { id: `expire:${order.id}`, kind: 'expire' as const, ref: order.id, dueAt: order.payBy, attempts: 0, payload: null };
      await store.open(order, event, { schedule: [job] });
      t.same(await store.due(order.payBy - 1, 1000).then((js) => js.filter((j) => j.ref === order.id)), []);
      t.same((await store.due(order.payBy, 1000)).filter((j) => j.ref === order.id), [job]);
      const ex = step(order, { type: 'expire' }, order.payBy);
      const effects = { finish: job.id, strike: { userId: 'dan', orderId: order.id, at: order.payBy }, suspend: { userId: 'dan', at: order.payBy } };
      await store.transition(ex.next, ex.event, effects);
      t.same((await store.due(order.payBy + DAY, 1000)).filter((j) => j.ref === order.id), [], 'no longer due');
      t.same(await store.strikesOf('dan', 0), [order.payBy]);
      t.equal(await store.suspended('dan'), true);
      t.ok((await store.suspendedUsers()).includes('dan'));
      // A replay after a crash: the order moved on and the job is done, nothing is stored twice.
      await t.rejects(store.transition(ex.next, ex.event, effects), WriteConflictError);
      t.same(await store.strikesOf('dan', 0), [order.payBy]);
      t.equal((await store.history(order.id)).length, 2);
      t.equal(await store.lift('dan', order.payBy + 1), true);
      t.equal(await store.suspended('dan'), false);
      t.notOk((await store.suspendedUsers()).includes('dan'));
      t.equal(await store.lift('dan', order.payBy + 2), false);
      t.same(await store.strikesOf('dan', order.payBy + 1), [], 'strikes before `since` are not counted');
    });

    await t.test('a transition whose job is no longer pending stores nothing', async (t) => {
      const { order, event } = opened('eun');
      const job = { id: `expire:${order.id}`, kind: 'expire' as const, ref: order.id, dueAt: order.payBy, attempts: 0, payload: null };
      await store.open(order, event, { schedule: [job] });
      t.equal(await store.finish(job.id), true);
      t.equal(await store.finish(job.id), false);
      const ex = step(order, { type: 'expire' }, order.payBy);
      await t.rejects(store.transition(ex.next, ex.event, { finish: job.id }), WriteConflictError);
      t.equal((await store.order(order.id))?.status, 'AWAITING_PAYMENT');
    });

    await t.test('offers: one per expired order; accepted once, with the new order in the same write', async (t) => {
      const expired = `o-${randomUUID()}`;
      const offer = {
        id: `sco-${randomUUID()}`, orderId: expired, auctionId: 'a1', productId: 'p1', sellerId: 'sally', bidderId: 'rudy',
        amount: 25_000, createdAt: T0, expiresAt: T0 + 2 * DAY, status: 'OPEN' as const, newOrderId: null,
      };
      t.equal(await store.putOffer(offer), true);
      t.equal(await store.putOffer({ ...offer, id: `sco-${randomUUID()}` }), false, 'one offer per order');
      t.same(await store.offer(offer.id), offer);
      t.same((await store.offersOf('rudy', 10)).map((o) => o.id), [offer.id]);
      t.same((await store.offersOf('sally', 10)).map((o) => o.id), [offer.id]);
      const a = opened('rudy');
      t.equal(await store.open(a.order, a.event, { acceptOffer: offer.id }), true);
      t.match(await store.offer(offer.id), { status: 'ACCEPTED', newOrderId: a.order.id, amount: 25_000 });
      const b = opened('rudy');
      await t.rejects(store.open(b.order, b.event, { acceptOffer: offer.id }), WriteConflictError, 'accepted once');
      t.equal(await store.order(b.order.id), null, 'the second order was not stored');
      t.equal(await store.offer('nope'), null);
    });

    await t.test('jobs: added once by id, retried later, backlog', async (t) => {
      const id = `webhook:${randomUUID()}`;
      const job = { id, kind: 'webhook' as const, ref: '', dueAt: T0, attempts: 0, payload: '{"eventType":"PAYMENT_STATUS_CHANGED"}' };
      t.equal(await store.add(job), true);
      t.equal(await store.add({ ...job, payload: 'other' }), false, 'a duplicate is not stored');
      const before = await store.backlog('webhook');
      t.ok(before.count >= 1);
      t.ok(before.oldestDueAt !== null && before.oldestDueAt <= T0);
      await store.retry(id, T0 + 5_000, 1);
      t.same((await store.due(T0 + 4_999, 1000)).filter((j) => j.id === id), []);
      t.same((await store.due(T0 + 5_000, 1000)).filter((j) => j.id === id), [{ ...job, dueAt: T0 + 5_000, attempts: 1 }]);
      t.equal(await store.finish(id), true);
      t.equal(await store.add(job), false, 'a done job still deduplicates');
      t.equal((await store.backlog('webhook')).count, before.count - 1);
    });
  });
}

// The settlement store's contract (ledger, fee policies, sellers, settlements, payouts, holds), over
// memory, SQLite (writer thread and inline) and MariaDB.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { captured, confirmed, payoutCompleted, payoutFailed, payoutSent, refunded } from '../../engine/settlement/postings.ts';
import type { Payout, Settlement } from '../../engine/settlement/model.ts';
import { WriteConflictError } from '../../storage/errors.ts';
import type { SettlementStore } from '../../storage/settlement/ports.ts';
import { SqlSettlementStore } from '../../storage/settlement/sql.ts';
import { settlementSubjects } from './stores.ts';

const ACCOUNT = { bankCode: '088', accountNumber: '110123456789', holderName: 'Kim' };

/** An order paid and confirmed for the seller, at `at`. */
async function confirmedOrder(store: SettlementStore, seller: string, price: number, fee: number, at: number): Promise<string> {
  const orderId = `o-${randomUUID()}`;
  await store.post(captured({ orderId, sellerId: seller, amount: price, at: at - 10 }));
  await store.post(confirmed({ orderId, sellerId: seller, price, fee, at }));
  return orderId;
}

function opening(seller: string, period: string, lines: Settlement['lines'], at: number) {
  const id = `st-${randomUUID()}`;
  const amount = lines.reduce((s, l) => s + l.net, 0);
  const payout: Payout = { id, sellerId: seller, period, amount, account: ACCOUNT, status: 'PENDING', reference: null, failure: null, updatedAt: at };
  return {
    settlement: { id, sellerId: seller, period, status: 'PENDING' as const, amount, createdAt: at, updatedAt: at },
    lines, payout, sent: payoutSent({ payoutId: id, sellerId: seller, amount, at }), claimedUntil: at + 100,
  };
}

for (const subject of settlementSubjects()) {
  t.test(subject.name, async (t) => {
    const opened = await subject.open(t);
    if (opened === null) return;
    const { store, db } = opened;

    await t.test('posting moves balances once; a repeated key posts nothing', async (t) => {
      const tx = captured({ orderId: 'a1', sellerId: 's', amount: 10_000, at: 5 });
      t.equal(await store.post(tx), true);
      t.equal(await store.post(tx), false, 'the same key again');
      t.same(await store.balances(['clearing', 'escrow:a1', 'nope']), new Map([['clearing', -10_000], ['escrow:a1', 10_000]]));
      t.same(await store.transaction(tx.key), tx, 'read back whole');
      t.equal(await store.transaction('nope'), null);
      t.same(await store.entries('escrow:a1', 0, 100, 10), [{ key: tx.key, cause: 'payment_captured', ref: 'a1', account: 'escrow:a1', amount: 10_000, at: 5 }]);
      t.same(await store.entries('escrow:a1', 6, 100, 10), [], 'outside the range');
    });

    await t.test('a posting that would take a protected balance negative is refused whole', async (t) => {
      await store.post(captured({ orderId: 'a2', sellerId: 's', amount: 1_000, at: 5 }));
      await t.rejects(store.post(refunded({ orderId: 'a2', sellerId: 's', refundId: 'too-much', amount: 1_001, at: 6 })), WriteConflictError);
      t.equal(await store.transaction('refunded:too-much'), null, 'not stored');
      t.equal((await store.balances(['escrow:a2'])).get('escrow:a2'), 1_000, 'escrow unchanged');
      const bad = captured({ orderId: 'a3', sellerId: 's', amount: 5, at: 5 });
      await t.rejects(store.post({ ...bad, entries: [bad.entries[0], { account: 'escrow:a3', amount: 4 }] }), WriteConflictError, 'unbalanced');
    });

    await t.test('every transaction in a range, in time order', async (t) => {
      const base = 1_000_000;
      const o = await confirmedOrder(store, 'range-seller', 5_000, 250, base + 2);
      const txs = await store.transactions(base - 100, base + 100, 100);
      t.same(txs.map((x) => x.key), [`payment_captured:${o}`, `purchase_confirmed:${o}`]);
      t.same(txs[1], confirmed({ orderId: o, sellerId: 'range-seller', price: 5_000, fee: 250, at: base + 2 }));
    });

    await t.test('fee policies and sellers', async (t) => {
      const p = { id: 'fp1', categoryId: 'cam', plan: 'AUTO' as const, rateBps: 300, minFee: 100, effectiveFrom: 50, createdAt: 1 };
      await store.putFeePolicy(p);
      await store.putFeePolicy({ ...p, id: 'fp0', categoryId: null, effectiveFrom: 10 });
      await store.putFeePolicy({ ...p, rateBps: 350 });
      t.same(await store.feePolicies(), [{ ...p, id: 'fp0', categoryId: null, effectiveFrom: 10 }, { ...p, rateBps: 350 }]);
      t.equal(await store.deleteFeePolicy('fp0'), true);
      t.equal(await store.deleteFeePolicy('fp0'), false);
      t.equal(await store.seller('s1'), null);
      await store.putSeller({ sellerId: 's1', plan: 'AUTO', payoutAccount: null, updatedAt: 1 });
      t.same(await store.seller('s1'), { sellerId: 's1', plan: 'AUTO', payoutAccount: null, updatedAt: 1 });
      await store.putSeller({ sellerId: 's1', plan: 'IMMEDIATELY', payoutAccount: ACCOUNT, updatedAt: 2 });
      t.same(await store.seller('s1'), { sellerId: 's1', plan: 'IMMEDIATELY', payoutAccount: ACCOUNT, updatedAt: 2 });
    });

    await t.test('a settlement per (seller, period), each order in one live settlement; a failed payout releases them', async (t) => {
      const seller = `seller-${randomUUID()}`;
      const T0 = 2_000_000;
      const o1 = await confirmedOrder(store, seller, 10_000, 500, T0);
      const o2 = await confirmedOrder(store, seller, 20_000, 1_000, T0 + 1);
      await confirmedOrder(store, seller, 30_000, 1_500, T0 + 50); // after the cutoff
      const mine = async (before: number) => (await store.unsettled(before)).find((u) => u.sellerId === seller)?.lines ?? [];
      const lines = await mine(T0 + 10);
      t.same(lines, [
        { orderId: o1, price: 10_000, fee: 500, net: 9_500, confirmedAt: T0 },
        { orderId: o2, price: 20_000, fee: 1_000, net: 19_000, confirmedAt: T0 + 1 },
      ]);
      const first = opening(seller, '2026-12-01', lines, T0 + 20);
      t.equal(await store.open(first), true);
      t.same(await store.balances([`payable:${seller}`, `in_transit:${seller}`]), new Map([[`payable:${seller}`, 57_000 - 28_500], [`in_transit:${seller}`, 28_500]]), 'the later order stays payable');
      t.same(await mine(T0 + 10), [], 'claimed');
      t.equal(await store.open(opening(seller, '2026-12-01', await mine(T0 + 100), T0 + 21)), false, 'the same (seller, period) again');
      t.equal(await store.open(opening(seller, '2026-12-02', lines, T0 + 21)), false, 'orders another settlement holds');
      t.same(await store.balances([`in_transit:${seller}`]), new Map([[`in_transit:${seller}`, 28_500]]), 'refused whole');
      const got = await store.settlement(first.settlement.id);
      t.same(got, { ...first.settlement, lines });
      t.same((await store.settlements(seller, 10)).map((s) => s.id), [first.settlement.id]);
      t.ok((await store.settlements(null, 1000)).some((s) => s.id === first.settlement.id), 'in the list of all');
      t.same(await store.payout(first.payout.id), first.payout);
      t.ok((await store.payoutsIn('PENDING', 1000)).some((p) => p.id === first.payout.id));

      const fail = payoutFailed({ payoutId: first.payout.id, sellerId: seller, amount: 28_500, at: T0 + 30 });
      t.equal(await store.movePayouts([{ id: first.payout.id, from: 'REQUESTED', to: 'FAILED', at: T0 + 30, tx: fail }]), false, 'not in that state');
      t.equal(await store.transaction(fail.key), null, 'nothing posted');
      t.equal(await store.movePayouts([{ id: first.payout.id, from: 'PENDING', to: 'FAILED', at: T0 + 30, failure: 'closed account', tx: fail }]), true);
      t.match(await store.payout(first.payout.id), { status: 'FAILED', failure: 'closed account', updatedAt: T0 + 30 });
      t.match(await store.settlement(first.settlement.id), { status: 'FAILED', lines });
      t.same((await store.balances([`payable:${seller}`, `in_transit:${seller}`])).get(`in_transit:${seller}`), 0);
      t.same((await mine(T0 + 10)).map((l) => l.orderId), [o1, o2], 'released for a later run');

      const second = opening(seller, '2026-12-02', await mine(T0 + 100), T0 + 40);
      t.equal(await store.open(second), true, 'the next period takes them, with the later one');
      t.equal(second.payout.amount, 57_000);
      t.equal(await store.movePayouts([{ id: second.payout.id, from: 'PENDING', to: 'REQUESTED', at: T0 + 41, reference: 'toss-1' }]), true);
      t.equal(await store.movePayouts([{ id: second.payout.id, from: 'REQUESTED', to: 'COMPLETED', at: T0 + 42, tx: payoutCompleted({ payoutId: second.payout.id, sellerId: seller, amount: 57_000, at: T0 + 42 }) }]), true);
      t.match(await store.payout(second.payout.id), { status: 'COMPLETED', reference: 'toss-1' });
      t.match(await store.settlement(second.settlement.id), { status: 'PAID' });
      t.same(await store.balances([`payable:${seller}`, `in_transit:${seller}`, `paid_out:${seller}`]),
        new Map([[`payable:${seller}`, 0], [`in_transit:${seller}`, 0], [`paid_out:${seller}`, 57_000]]));
    });

    await t.test('a payout larger than payable is refused whole', async (t) => {
      const seller = `poor-${randomUUID()}`;
      const o = await confirmedOrder(store, seller, 1_000, 100, 3_000_000);
      const o2 = opening(seller, '2026-12-01', [{ orderId: o, price: 1_000, fee: 100, net: 900, confirmedAt: 3_000_000 }], 3_000_001);
      await t.rejects(store.open({ ...o2, sent: payoutSent({ payoutId: o2.payout.id, sellerId: seller, amount: 901, at: 3_000_001 }) }), WriteConflictError);
      t.equal(await store.settlement(o2.settlement.id), null);
      t.equal((await store.unsettled(3_000_001)).find((u) => u.sellerId === seller)?.lines.length, 1, 'the order is still unsettled');
    });

    await t.test('payouts move together or not at all', async (t) => {
      const a = `batch-a-${randomUUID()}`;
      const b = `batch-b-${randomUUID()}`;
      const open = async (seller: string) => {
        const o = await confirmedOrder(store, seller, 2_000, 200, 4_000_000);
        const x = opening(seller, '2026-12-01', [{ orderId: o, price: 2_000, fee: 200, net: 1_800, confirmedAt: 4_000_000 }], 4_000_001);
        t.equal(await store.open(x), true);
        return x.payout.id;
      };
      const [pa, pb] = [await open(a), await open(b)];
      const done = (id: string, seller: string) => ({ id, from: 'PENDING' as const, to: 'COMPLETED' as const, at: 4_000_002, reference: 'file-1', tx: payoutCompleted({ payoutId: id, sellerId: seller, amount: 1_800, at: 4_000_002 }) });
      t.equal(await store.movePayouts([{ id: pb, from: 'PENDING', to: 'REQUESTED', at: 4_000_002 }]), true);
      t.equal(await store.movePayouts([done(pa, a), done(pb, b)]), false, 'one of them was no longer PENDING');
      t.match(await store.payout(pa), { status: 'PENDING', reference: null }, 'the other did not move');
      t.equal(await store.transaction(`payout_completed:${pa}`), null, 'nor was its completion posted');
      t.equal(await store.movePayouts([done(pa, a), { ...done(pb, b), from: 'REQUESTED' }]), true);
      t.match(await store.payout(pa), { status: 'COMPLETED', reference: 'file-1' });
      t.equal((await store.balances([`paid_out:${b}`])).get(`paid_out:${b}`), 1_800);
    });

    await t.test('a lapsed claim is taken by one caller only', async (t) => {
      const seller = `claim-${randomUUID()}`;
      const o = await confirmedOrder(store, seller, 3_000, 300, 5_000_000);
      const x = opening(seller, '2026-12-01', [{ orderId: o, price: 3_000, fee: 300, net: 2_700, confirmedAt: 5_000_000 }], 5_000_001);
      t.equal(await store.open(x), true);
      const mine = (ps: { id: string }[]) => ps.filter((p) => p.id === x.payout.id).length;
      t.equal(mine(await store.claimPayouts(x.claimedUntil - 1, x.claimedUntil + 1_000, 1_000)), 0, 'the opener holds it');
      const [a, b] = await Promise.all([
        store.claimPayouts(x.claimedUntil, x.claimedUntil + 1_000, 1_000),
        store.claimPayouts(x.claimedUntil, x.claimedUntil + 1_000, 1_000),
      ]);
      t.equal(mine(a) + mine(b), 1, 'one of two claims at once');
      t.equal(mine(await store.claimPayouts(x.claimedUntil + 999, x.claimedUntil + 2_000, 1_000)), 0, 'held by the new claim');
      t.equal(mine(await store.claimPayouts(x.claimedUntil + 1_000, x.claimedUntil + 2_000, 1_000)), 1, 'lapsed again');
      t.equal(await store.movePayouts([{ id: x.payout.id, from: 'PENDING', to: 'REQUESTED', at: 5_000_002 }]), true);
      t.equal(mine(await store.claimPayouts(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 1_000)), 0, 'only PENDING ones');
    });

    await t.test('holds are recorded once per (seller, period)', async (t) => {
      t.equal(await store.hold('h1', '2026-12-01', 5_000, 10), true);
      t.equal(await store.hold('h1', '2026-12-01', 5_000, 11), false);
      t.equal(await store.hold('h1', '2026-12-02', 6_000, 12), true);
      t.same(await store.holds('h1'), [{ period: '2026-12-02', amount: 6_000, at: 12 }, { period: '2026-12-01', amount: 5_000, at: 10 }]);
    });

    if (db !== null) {
      await t.test('the ledger hands its statements for another domain\'s write', async (t) => {
        const sql = store as SqlSettlementStore;
        const tx = captured({ orderId: 'in-write', sellerId: 's', amount: 700, at: 9 });
        await db.write(sql.statements(tx));
        t.equal((await store.balances(['escrow:in-write'])).get('escrow:in-write'), 700);
        await t.rejects(db.write([...sql.statements(refunded({ orderId: 'in-write', sellerId: 's', refundId: 'rw', amount: 701, at: 10 }))]), WriteConflictError, 'the guard holds inside a foreign write');
      });
    }
  });
}

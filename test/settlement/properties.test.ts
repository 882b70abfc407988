// fast-check over random sequences of payments, refunds, confirmations and settlement runs: every
// transaction sums to zero, no protected balance goes negative, an order's escrow is zero once it is
// confirmed or fully refunded, and what was captured is always escrow + payable + fees + refunded +
// in transit + paid out.
import t from 'tap';
import fc from 'fast-check';
import { escrowOf, inTransitOf, payableOf } from '../../engine/settlement/accounts.ts';
import { applyTransaction } from '../../engine/settlement/balances.ts';
import { feeFor } from '../../engine/settlement/fees.ts';
import type { LedgerTransaction } from '../../engine/settlement/model.ts';
import { balanced, captured, confirmed, payoutCompleted, payoutFailed, payoutSent, refunded } from '../../engine/settlement/postings.ts';

const ORDERS = 6;
const SELLERS = ['s0', 's1', 's2'];

type Step =
  | { k: 'pay'; o: number; amount: number }
  | { k: 'refund'; o: number; part: number }
  | { k: 'confirm'; o: number }
  | { k: 'run'; fail: boolean[] };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ k: fc.constant('pay' as const), o: fc.nat(ORDERS - 1), amount: fc.integer({ min: 1, max: 5_000_000 }) }),
  fc.record({ k: fc.constant('refund' as const), o: fc.nat(ORDERS - 1), part: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ k: fc.constant('confirm' as const), o: fc.nat(ORDERS - 1) }),
  fc.record({ k: fc.constant('run' as const), fail: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }) }),
);

type OrderState = { status: 'NEW' | 'PAID' | 'CONFIRMED' | 'REFUNDED'; paid: number; refunded: number };

t.test('the ledger balances at every step', async () => {
  fc.assert(fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
    let balances = new Map<string, number>();
    const keys = new Set<string>();
    const orders: OrderState[] = Array.from({ length: ORDERS }, () => ({ status: 'NEW', paid: 0, refunded: 0 }));
    let capturedTotal = 0;
    let at = 0;
    let payouts = 0;
    const post = (tx: LedgerTransaction): void => {
      if (!balanced(tx)) throw new Error(`${tx.key} does not sum to zero`);
      if (keys.has(tx.key)) throw new Error(`${tx.key} posted twice`);
      const next = applyTransaction(balances, tx);
      if (!(next instanceof Map)) throw new Error(`${tx.key} refused: ${JSON.stringify(next)}`);
      keys.add(tx.key);
      balances = next;
    };
    const bal = (a: string): number => balances.get(a) ?? 0;
    for (const s of steps) {
      at += 1_000;
      const seller = (o: number): string => SELLERS[o % SELLERS.length];
      if (s.k === 'pay' && orders[s.o].status === 'NEW') {
        post(captured({ orderId: `o${s.o}`, sellerId: seller(s.o), amount: s.amount, at }));
        orders[s.o] = { status: 'PAID', paid: s.amount, refunded: 0 };
        capturedTotal += s.amount;
      } else if (s.k === 'refund' && orders[s.o].status === 'PAID') {
        const o = orders[s.o];
        const left = o.paid - o.refunded;
        const amount = Math.max(1, Math.min(left, Math.round(left * s.part)));
        post(refunded({ orderId: `o${s.o}`, sellerId: seller(s.o), refundId: `r${at}`, amount, at }));
        o.refunded += amount;
        if (o.refunded === o.paid) o.status = 'REFUNDED';
      } else if (s.k === 'confirm' && orders[s.o].status === 'PAID') {
        const o = orders[s.o];
        const price = o.paid - o.refunded;
        post(confirmed({ orderId: `o${s.o}`, sellerId: seller(s.o), price, fee: feeFor([], null, 'AUTO', price, at), at }));
        o.status = 'CONFIRMED';
      } else if (s.k === 'run') {
        SELLERS.forEach((sid, i) => {
          const amount = bal(payableOf(sid));
          if (amount <= 0) return;
          const id = `p${++payouts}`;
          post(payoutSent({ payoutId: id, sellerId: sid, amount, at }));
          post((s.fail[i] ? payoutFailed : payoutCompleted)({ payoutId: id, sellerId: sid, amount, at }));
        });
      }
      // The invariants, after every step.
      let others = 0;
      for (const [a, v] of balances) {
        if (a === 'clearing') continue;
        if (v < 0) throw new Error(`${a} is negative: ${v}`);
        others += v;
      }
      if (others !== capturedTotal) throw new Error(`captured ${capturedTotal} but the accounts hold ${others}`);
      if (bal('clearing') !== -capturedTotal) throw new Error('clearing is not minus the captured total');
      orders.forEach((o, i) => {
        const escrow = bal(escrowOf(`o${i}`));
        if ((o.status === 'CONFIRMED' || o.status === 'REFUNDED') && escrow !== 0) throw new Error(`o${i} is ${o.status} with escrow ${escrow}`);
        if (o.status === 'PAID' && escrow !== o.paid - o.refunded) throw new Error(`o${i} escrow ${escrow}`);
      });
      for (const sid of SELLERS) if (bal(inTransitOf(sid)) !== 0) throw new Error('a settled payout left money in transit');
    }
  }), { numRuns: 300 });
});

t.test('a transaction that would take a protected balance below zero is refused whole', async (t) => {
  const r = applyTransaction(new Map(), refunded({ orderId: 'o', sellerId: 's', refundId: 'r', amount: 5, at: 1 }));
  t.same(r, { refused: 'negative', account: 'escrow:o' });
  const before = new Map([['payable:s', 10]]);
  t.same(applyTransaction(before, payoutSent({ payoutId: 'p', sellerId: 's', amount: 11, at: 1 })), { refused: 'negative', account: 'payable:s' });
  t.same([...before], [['payable:s', 10]], 'unchanged');
  const tx = captured({ orderId: 'o', sellerId: 's', amount: 5, at: 1 });
  t.same(applyTransaction(new Map(), { ...tx, entries: [tx.entries[0]] }), { refused: 'unbalanced' });
});

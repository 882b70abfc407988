// Settlement's ports on SQL (SQLite or MySQL/MariaDB), over the one database handle. "At most once per
// (seller, period)" is the settlements table's unique key and "each order in one live settlement" the
// lines' unique claim: two runs at once, or a run after a crash, are refused by the database itself.
import type { Millis, UserId, Won } from '../../engine/kernel.ts';
import type { FeePolicy, LedgerTransaction, Payout, PayoutStatus, Period, Plan, SellerSettings, Settlement, SettlementStatus } from '../../engine/settlement/model.ts';
import { WriteConflictError } from '../errors.ts';
import { isDuplicateKey } from '../sql/errors.ts';
import { SETTLEMENT_TABLES as T } from '../sql/tables.ts';
import { statement, type SqlWrite } from '../sql/write.ts';
import { settlementStatusOf } from './memory.ts';
import type { OpenSettlement, PayoutMove, SettlementStore, Unsettled } from './ports.ts';
import { ledgerStatements, SqlLedger } from './sql-ledger.ts';
import { guarded, num, type Row } from './sql-rows.ts';

const ID_CHUNK = 500;

function policyOf(r: Row): FeePolicy {
  return {
    id: r.id as string, categoryId: (r.category_id as string | null) ?? null, plan: r.plan as Plan, rateBps: num(r.rate_bps),
    minFee: num(r.min_fee), effectiveFrom: num(r.effective_from), createdAt: num(r.created_at),
  };
}

function payoutOf(r: Row): Payout {
  return {
    id: r.id as string, sellerId: r.seller_id as string, period: r.period as string, amount: num(r.amount),
    account: { bankCode: r.bank_code as string, accountNumber: r.account_number as string, holderName: r.holder_name as string },
    status: r.status as PayoutStatus, reference: (r.reference as string | null) ?? null, failure: (r.failure as string | null) ?? null,
    updatedAt: num(r.updated_at),
  };
}

export class SqlSettlementStore extends SqlLedger implements SettlementStore {
  feePolicies(): Promise<FeePolicy[]> {
    return guarded('feePolicies', async () => (await this.db.read<Row>(this.db.builder(T.feePolicies)
      .orderBy([{ column: 'effective_from' }, { column: 'created_at' }, { column: 'id' }]))).map(policyOf));
  }

  putFeePolicy(p: FeePolicy): Promise<void> {
    return guarded('putFeePolicy', async () => {
      const row = { category_id: p.categoryId, plan: p.plan, rate_bps: p.rateBps, min_fee: p.minFee, effective_from: p.effectiveFrom, created_at: p.createdAt };
      await this.db.write([statement(this.db.builder(T.feePolicies).insert({ id: p.id, ...row }).onConflict('id').merge(row))]);
    });
  }

  deleteFeePolicy(id: string): Promise<boolean> {
    return guarded('deleteFeePolicy', async () => (await this.db.write([statement(this.db.builder(T.feePolicies).where('id', id).del())]))[0] > 0);
  }

  seller(id: UserId): Promise<SellerSettings | null> {
    return guarded('seller', async () => {
      const [r] = await this.db.read<Row>(this.db.builder(T.sellers).where('seller_id', id));
      if (r === undefined) return null;
      return {
        sellerId: id, plan: r.plan as Plan, updatedAt: num(r.updated_at),
        payoutAccount: r.bank_code === null ? null : { bankCode: r.bank_code as string, accountNumber: r.account_number as string, holderName: r.holder_name as string },
      };
    });
  }

  putSeller(s: SellerSettings): Promise<void> {
    return guarded('putSeller', async () => {
      const a = s.payoutAccount;
      const row = { plan: s.plan, bank_code: a?.bankCode ?? null, account_number: a?.accountNumber ?? null, holder_name: a?.holderName ?? null, updated_at: s.updatedAt };
      await this.db.write([statement(this.db.builder(T.sellers).insert({ seller_id: s.sellerId, ...row }).onConflict('seller_id').merge(row))]);
    });
  }

  unsettled(before: Millis): Promise<Unsettled[]> {
    return guarded('unsettled', async () => {
      const rows = await this.db.read<Row>(this.db.builder(`${T.transactions} as t`).leftJoin(`${T.lines} as l`, 'l.claim', 't.order_id')
        .select('t.order_id', 't.seller_id', 't.price', 't.fee', 't.at')
        .where('t.cause', 'purchase_confirmed').andWhere('t.at', '<', before).whereNull('l.claim')
        .orderBy([{ column: 't.seller_id' }, { column: 't.at' }, { column: 't.order_id' }]));
      const out: Unsettled[] = [];
      for (const r of rows) {
        const sellerId = r.seller_id as string;
        if (out.length === 0 || out[out.length - 1].sellerId !== sellerId) out.push({ sellerId, lines: [] });
        const price = num(r.price);
        const fee = num(r.fee);
        out[out.length - 1].lines.push({ orderId: r.order_id as string, price, fee, net: price - fee, confirmedAt: num(r.at) });
      }
      return out;
    });
  }

  open(s: OpenSettlement): Promise<boolean> {
    const q = this.db.builder;
    const st = s.settlement;
    const p = s.payout;
    const writes: SqlWrite[] = [
      statement(q(T.settlements).insert({ id: st.id, seller_id: st.sellerId, period: st.period, status: st.status, amount: st.amount, created_at: st.createdAt, updated_at: st.updatedAt }), { exactly: 1 }),
    ];
    for (let i = 0; i < s.lines.length; i += 200) {
      const chunk = s.lines.slice(i, i + 200);
      writes.push(statement(q(T.lines).insert(chunk.map((l) => ({
        settlement_id: st.id, order_id: l.orderId, price: l.price, fee: l.fee, net: l.net, confirmed_at: l.confirmedAt, claim: l.orderId,
      }))), { exactly: chunk.length }));
    }
    writes.push(statement(q(T.payouts).insert({
      id: p.id, seller_id: p.sellerId, period: p.period, amount: p.amount, bank_code: p.account.bankCode, account_number: p.account.accountNumber,
      holder_name: p.account.holderName, status: p.status, reference: p.reference, failure: p.failure, updated_at: p.updatedAt,
      claimed_until: s.claimedUntil,
    }), { exactly: 1 }));
    writes.push(...ledgerStatements(q, s.sent));
    return guarded('open', async () => {
      try {
        await this.db.write(writes);
        return true;
      } catch (err) {
        // The (seller, period) row, an order's claim or the payout's key is there already: another run's.
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
  }

  settlement(id: string): Promise<Settlement | null> {
    return guarded('settlement', async () => {
      const rows = await this.db.read<Row>(this.db.builder(T.settlements).where('id', id));
      return (await this.withLines(rows))[0] ?? null;
    });
  }

  settlements(seller: UserId | null, limit: number): Promise<Settlement[]> {
    return guarded('settlements', async () => {
      const q = this.db.builder(T.settlements).select('*').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
      if (seller !== null) q.where('seller_id', seller);
      return this.withLines(await this.db.read<Row>(q));
    });
  }

  private async withLines(rows: Row[]): Promise<Settlement[]> {
    const lines = new Map<string, Row[]>();
    for (let i = 0; i < rows.length; i += ID_CHUNK) {
      const ids = rows.slice(i, i + ID_CHUNK).map((r) => r.id as string);
      for (const l of await this.db.read<Row>(this.db.builder(T.lines).whereIn('settlement_id', ids).orderBy([{ column: 'confirmed_at' }, { column: 'order_id' }]))) {
        const list = lines.get(l.settlement_id as string) ?? [];
        list.push(l);
        lines.set(l.settlement_id as string, list);
      }
    }
    return rows.map((r) => ({
      id: r.id as string, sellerId: r.seller_id as string, period: r.period as string, status: r.status as SettlementStatus,
      amount: num(r.amount), createdAt: num(r.created_at), updatedAt: num(r.updated_at),
      lines: (lines.get(r.id as string) ?? []).map((l) => ({ orderId: l.order_id as string, price: num(l.price), fee: num(l.fee), net: num(l.net), confirmedAt: num(l.confirmed_at) })),
    }));
  }

  payout(id: string): Promise<Payout | null> {
    return guarded('payout', async () => {
      const [r] = await this.db.read<Row>(this.db.builder(T.payouts).where('id', id));
      return r === undefined ? null : payoutOf(r);
    });
  }

  payoutsIn(status: PayoutStatus, limit: number): Promise<Payout[]> {
    return guarded('payoutsIn', async () => (await this.db.read<Row>(this.db.builder(T.payouts).where('status', status)
      .orderBy([{ column: 'updated_at' }, { column: 'id' }]).limit(limit))).map(payoutOf));
  }

  claimPayouts(now: Millis, until: Millis, limit: number): Promise<Payout[]> {
    return guarded('claimPayouts', async () => {
      const lapsed = await this.db.read<Row>(this.db.builder(T.payouts).where('status', 'PENDING').andWhere('claimed_until', '<=', now)
        .orderBy([{ column: 'updated_at' }, { column: 'id' }]).limit(limit));
      const out: Payout[] = [];
      for (const r of lapsed) {
        // One conditional update each: of two runs, only one moves the claim.
        const [n] = await this.db.write([statement(this.db.builder(T.payouts).where({ id: r.id as string, status: 'PENDING' })
          .andWhere('claimed_until', '<=', now).update({ claimed_until: until }))]);
        if (n === 1) out.push(payoutOf(r));
      }
      return out;
    });
  }

  movePayouts(moves: readonly PayoutMove[]): Promise<boolean> {
    const q = this.db.builder;
    const writes: SqlWrite[] = [];
    const guards = new Set<number>();
    for (const m of moves) {
      const set: Row = { status: m.to, updated_at: m.at };
      if (m.reference !== undefined) set.reference = m.reference;
      if (m.failure !== undefined) set.failure = m.failure;
      guards.add(writes.length);
      writes.push(statement(q(T.payouts).where({ id: m.id, status: m.from }).update(set), { exactly: 1 }));
      writes.push(statement(q(T.settlements).where('id', m.id).update({ status: settlementStatusOf(m.to), updated_at: m.at })));
      if (m.to === 'FAILED') writes.push(statement(q(T.lines).where('settlement_id', m.id).update({ claim: null })));
      if (m.tx !== undefined) writes.push(...ledgerStatements(q, m.tx));
    }
    return guarded('movePayouts', async () => {
      try {
        await this.db.write(writes);
        return true;
      } catch (err) {
        if (err instanceof WriteConflictError && guards.has(err.statement)) return false; // a payout no longer in its `from`
        throw err;
      }
    });
  }

  hold(sellerId: UserId, period: Period, amount: Won, at: Millis): Promise<boolean> {
    return guarded('hold', async () => (await this.db.write([statement(this.db.builder(T.holds).insert({ seller_id: sellerId, period, amount, at }).onConflict(['seller_id', 'period']).ignore())]))[0] > 0);
  }

  holds(sellerId: UserId): Promise<Array<{ period: Period; amount: Won; at: Millis }>> {
    return guarded('holds', async () => (await this.db.read<Row>(this.db.builder(T.holds).where('seller_id', sellerId).orderBy('at', 'desc')))
      .map((r) => ({ period: r.period as string, amount: num(r.amount), at: num(r.at) })));
  }
}

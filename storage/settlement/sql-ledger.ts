// The ledger on SQL. A posting is one write: the transaction row (its key is the primary key, so a
// retried posting is refused by the database), its entries, and per account an insert-if-absent of its
// balance row then one guarded update: `balance + amount >= 0` for every account but clearing, with the
// write expecting exactly one row, so a balance that would go negative rolls the whole write back
// (WriteConflictError). Balances are thus maintained in the posting's own write and read with one query.
//
// ledgerStatements() hands those statements to a caller that must put them in its own write: payments
// writes an order's transition and its money movement together.
import type { Knex } from 'knex';
import { mayGoNegative } from '../../engine/settlement/accounts.ts';
import type { AccountId, LedgerTransaction } from '../../engine/settlement/model.ts';
import { balanced } from '../../engine/settlement/postings.ts';
import { WriteConflictError } from '../errors.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { isDuplicateKey } from '../sql/errors.ts';
import { SETTLEMENT_TABLES as T } from '../sql/tables.ts';
import { statement, type SqlWrite } from '../sql/write.ts';
import type { PostedEntry } from './ports.ts';
import { guarded, num, numOrNull, type Row } from './sql-rows.ts';

/** The statements that post `tx`, for SqlDatabase.write (alone or inside another domain's write). */
export function ledgerStatements(q: Knex, tx: LedgerTransaction): SqlWrite[] {
  if (!balanced(tx)) throw new WriteConflictError(`ledger: ${tx.key} does not sum to zero`, 0, 0);
  const out: SqlWrite[] = [
    statement(q(T.transactions).insert({
      tx_key: tx.key, cause: tx.cause, ref: tx.ref, at: tx.at, order_id: tx.orderId, seller_id: tx.sellerId, price: tx.price, fee: tx.fee,
    }), { exactly: 1 }),
    statement(q(T.entries).insert(tx.entries.map((e, idx) => ({ tx_key: tx.key, idx, account: e.account, amount: e.amount, at: tx.at }))), { exactly: tx.entries.length }),
  ];
  for (const e of tx.entries) {
    out.push(statement(q(T.balances).insert({ account: e.account, balance: 0, version: 0 }).onConflict('account').ignore()));
    let update = q(T.balances).where('account', e.account)
      .update({ balance: q.raw('balance + ?', [e.amount]), version: q.raw('version + 1') });
    if (!mayGoNegative(e.account)) update = update.andWhere(q.raw('balance + ? >= 0', [e.amount]));
    out.push(statement(update, { exactly: 1 }));
  }
  return out;
}

export function transactionOf(r: Row, entries: Row[]): LedgerTransaction {
  return {
    key: r.tx_key as string, cause: r.cause as LedgerTransaction['cause'], ref: r.ref as string, at: num(r.at),
    orderId: (r.order_id as string | null) ?? null, sellerId: (r.seller_id as string | null) ?? null,
    price: numOrNull(r.price), fee: numOrNull(r.fee),
    entries: entries.sort((a, b) => num(a.idx) - num(b.idx)).map((e) => ({ account: e.account as string, amount: num(e.amount) })),
  };
}

export class SqlLedger {
  constructor(protected readonly db: SqlDatabase) {}

  /** For payments: the statements posting `tx`, to write with its own. */
  statements(tx: LedgerTransaction): SqlWrite[] {
    return ledgerStatements(this.db.builder, tx);
  }

  async post(tx: LedgerTransaction): Promise<boolean> {
    const writes = this.statements(tx);
    return guarded('post', async () => {
      try {
        await this.db.write(writes);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false; // posted before: the key's row refused the insert
        throw err;
      }
    });
  }

  balances(accounts?: readonly AccountId[]): Promise<Map<AccountId, number>> {
    return guarded('balances', async () => {
      const q = this.db.builder(T.balances).select('account', 'balance');
      if (accounts !== undefined) {
        if (accounts.length === 0) return new Map();
        q.whereIn('account', [...accounts]);
      }
      const rows = await this.db.read<Row>(q);
      return new Map(rows.map((r) => [r.account as string, num(r.balance)]));
    });
  }

  transaction(key: string): Promise<LedgerTransaction | null> {
    return guarded('transaction', async () => {
      const [r] = await this.db.read<Row>(this.db.builder(T.transactions).where('tx_key', key));
      if (r === undefined) return null;
      return transactionOf(r, await this.db.read<Row>(this.db.builder(T.entries).where('tx_key', key)));
    });
  }

  entries(account: AccountId, from: number, to: number, limit: number): Promise<PostedEntry[]> {
    return guarded('entries', async () => {
      const rows = await this.db.read<Row>(this.db.builder(`${T.entries} as e`).join(`${T.transactions} as t`, 't.tx_key', 'e.tx_key')
        .select('e.tx_key', 'e.amount', 'e.at', 't.cause', 't.ref').where('e.account', account).andWhere('e.at', '>=', from).andWhere('e.at', '<', to)
        .orderBy([{ column: 'e.at' }, { column: 'e.tx_key' }]).limit(limit));
      return rows.map((r) => ({ key: r.tx_key as string, cause: r.cause as PostedEntry['cause'], ref: r.ref as string, account, amount: num(r.amount), at: num(r.at) }));
    });
  }

  transactions(from: number, to: number, limit: number): Promise<LedgerTransaction[]> {
    return guarded('transactions', async () => {
      const txs = await this.db.read<Row>(this.db.builder(T.transactions).where('at', '>=', from).andWhere('at', '<', to)
        .orderBy([{ column: 'at' }, { column: 'tx_key' }]).limit(limit));
      if (txs.length === 0) return [];
      const entries = await this.db.read<Row>(this.db.builder(T.entries).whereIn('tx_key', txs.map((r) => r.tx_key as string)));
      const by = new Map<string, Row[]>();
      for (const e of entries) {
        const list = by.get(e.tx_key as string) ?? [];
        list.push(e);
        by.set(e.tx_key as string, list);
      }
      return txs.map((r) => transactionOf(r, by.get(r.tx_key as string) ?? []));
    });
  }
}

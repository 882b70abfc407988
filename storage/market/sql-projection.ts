// The statements of one projection step (Listings.project), for whichever way the database writes them:
// every statement is keyed (a re-run changes nothing) and the close's `settled` column (closeRecorded) comes last, so the step may be
// written whole or statement by statement.
import type { ListingFacts, Projection } from '../../engine/market/model.ts';
import type { SqlDatabase, SqlWrite } from '../sql/database.ts';
import { MARKET_TABLES as T } from '../sql/tables.ts';
import { statement } from '../sql/write.ts';
import { CHUNK } from './sql-rows.ts';

const FACT_COLUMNS = ['seller_id', 'product_id', 'status', 'price', 'bid_count', 'starts_at', 'ends_at', 'buy_now_price'] as const;

/** Insert or update facts, never over newer ones: the guard is in the statement (no read first). */
function upsertFacts(db: SqlDatabase, facts: readonly ListingFacts[]): SqlWrite {
  const cols = ['id', 'seq', ...FACT_COLUMNS];
  const params: unknown[] = [];
  for (const f of facts) {
    params.push(f.id, f.seq, f.sellerId, f.productId, f.status, f.price, f.bidCount, f.startsAt, f.endsAt, f.buyNowPrice);
  }
  const values = facts.map(() => `(${cols.map(() => '?').join(',')})`).join(',');
  if (db.dialect === 'mysql') {
    // Each column takes the new value only when the row's seq is older; seq itself goes last.
    const set = [...FACT_COLUMNS, 'seq'].map((c) => `${c} = IF(VALUES(seq) > seq, VALUES(${c}), ${c})`).join(', ');
    return { sql: `INSERT INTO ${T.listings} (${cols.join(',')}) VALUES ${values} ON DUPLICATE KEY UPDATE ${set}`, params };
  }
  const set = [...FACT_COLUMNS, 'seq'].map((c) => `${c} = excluded.${c}`).join(', ');
  return {
    sql: `INSERT INTO ${T.listings} (${cols.join(',')}) VALUES ${values}
        ON CONFLICT(id) DO UPDATE SET ${set} WHERE excluded.seq > ${T.listings}.seq`,
    params,
  };
}

/** The step's statements, in order; `factsPerStatement` bounds the largest. */
export function projectionStatements(db: SqlDatabase, p: Projection, factsPerStatement: number): SqlWrite[] {
  const q = db.builder;
  const out: SqlWrite[] = [];
  for (let i = 0; i < p.facts.length; i += factsPerStatement) out.push(upsertFacts(db, p.facts.slice(i, i + factsPerStatement)));
  const now = Date.now();
  for (let i = 0; i < p.bidders.length; i += CHUNK) {
    const rows = p.bidders.slice(i, i + CHUNK).map((b) => ({ user_id: b.userId, auction_id: b.auctionId, at: now }));
    out.push(statement(q(T.bidders).insert(rows).onConflict(['user_id', 'auction_id']).merge(['at'])));
  }
  for (const s of p.closes) {
    if (s.order !== null) {
      const o = s.order;
      out.push(statement(q(T.orders).insert({
        id: o.id, auction_id: o.auctionId, buyer_id: o.buyerId, seller_id: o.sellerId, product_id: o.productId,
        amount: o.amount, status: o.status, created_at: o.createdAt, pay_by: o.payBy,
      }).onConflict().ignore())); // one order per auction (unique auction_id)
    }
    // Every participant's row in one statement.
    for (let i = 0; i < s.inbox.length; i += CHUNK) {
      const rows = s.inbox.slice(i, i + CHUNK).map((m) => ({
        id: m.id, user_id: m.userId, auction_id: m.auctionId, kind: m.kind, price: m.price, order_id: m.orderId,
        created_at: m.createdAt, read_at: m.readAt,
      }));
      out.push(statement(q(T.inbox).insert(rows).onConflict('id').ignore()));
    }
  }
  const settled = p.closes.map((s) => s.auctionId);
  if (settled.length > 0) {
    // A close can reach here before its listing's first facts (a crash in between): make the row.
    out.push(statement(q(T.listings).insert(settled.map((id) => ({ id, settled: true }))).onConflict('id').merge(['settled'])));
  }
  return out;
}

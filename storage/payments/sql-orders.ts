// The payments domain's stores on SQL (SQLite or MariaDB), over the one database handle. A transition is
// one SqlDatabase.write: the order's row guarded by its seq, its event row, and its effects' rows (a job
// claimed only while pending), so a crash or a concurrent writer leaves all of it or none.
import type { Millis, UserId } from '../../engine/kernel.ts';
import type { OrderEvent, PaymentOrder, SecondChanceOffer } from '../../engine/payments/model.ts';
import type { LedgerTransaction } from '../../engine/settlement/model.ts';
import { parseJson } from '../auction/codec.ts';
import { WriteConflictError } from '../errors.ts';
import type { SqlDatabase, SqlWrite } from '../sql/database.ts';
import { isDuplicateKey, unavailable } from '../sql/errors.ts';
import { PAYMENT_TABLES as T } from '../sql/tables.ts';
import { statement } from '../sql/write.ts';
import type { Job, JobKind, PaymentStores, TransitionEffects } from './order-ports.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

async function guarded<R>(what: string, f: () => Promise<R>): Promise<R> {
  try {
    return await f();
  } catch (err) {
    throw unavailable('SQL payment store', what, err);
  }
}

const jobOf = (r: Row): Job => ({
  id: r.id as string, kind: r.kind as JobKind, ref: r.ref as string, dueAt: num(r.due_at), attempts: num(r.attempts),
  payload: (r.payload as string | null) ?? null,
});

/** The statements posting a ledger transaction (settlement's SqlLedger.statements, given by app/stores.ts). */
export type LedgerStatements = (tx: LedgerTransaction) => SqlWrite[];

export class SqlPaymentStores implements PaymentStores {
  constructor(private readonly db: SqlDatabase, private readonly ledger: LedgerStatements | null = null) {}

  private get q() {
    return this.db.builder;
  }

  open(order: PaymentOrder, event: OrderEvent, effects: TransitionEffects = {}): Promise<boolean> {
    return guarded('open', async () => {
      const insert = statement(this.q(T.orders).insert(this.orderRow(order)).onConflict('id').ignore());
      // The event and effects are written only when the order row was new: a second open() writes nothing.
      try {
        const [n] = await this.db.write([{ ...insert, expect: { exactly: 1 } }, this.eventRow(event), ...this.effectRows(effects, order.id)]);
        return n === 1;
      } catch (err) {
        if (err instanceof WriteConflictError && err.statement === 0) return false;
        throw err;
      }
    });
  }

  order(id: string): Promise<PaymentOrder | null> {
    return guarded('order', async () => {
      const [r] = await this.db.read<Row>(this.q(T.orders).select('doc').where('id', id));
      return r === undefined ? null : parseJson<PaymentOrder>(r.doc);
    });
  }

  history(id: string): Promise<OrderEvent[]> {
    return guarded('history', async () => {
      const rows = await this.db.read<Row>(this.q(T.events).select('doc').where('order_id', id).orderBy('seq'));
      return rows.map((r) => parseJson<OrderEvent>(r.doc));
    });
  }

  ordersOf(user: UserId, limit: number): Promise<PaymentOrder[]> {
    return guarded('ordersOf', async () => {
      const rows = await this.db.read<Row>(this.q(T.orders).select('doc').where('buyer_id', user).orWhere('seller_id', user)
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit));
      return rows.map((r) => parseJson<PaymentOrder>(r.doc));
    });
  }

  transition(next: PaymentOrder, event: OrderEvent, effects: TransitionEffects = {}): Promise<void> {
    return guarded('transition', async () => {
      if (next.seq !== event.seq || event.orderId !== next.id) throw new WriteConflictError(`event ${event.seq} is not the order's`, 0, 0);
      const { id, ...row } = this.orderRow(next);
      const update = statement(this.q(T.orders).update(row).where({ id, seq: event.seq - 1 }), { exactly: 1 });
      try {
        await this.db.write([update, this.eventRow(event), ...this.effectRows(effects)]);
      } catch (err) {
        // Only the ledger's transaction key can collide here (the event's key is guarded by the seq):
        // that posting was written before, with the transition that made it, so this one stores nothing.
        if (effects.ledger !== undefined && isDuplicateKey(err)) throw new WriteConflictError(`ledger ${effects.ledger.key} was posted before`, 0, 0);
        throw err;
      }
    });
  }

  confirming(before: Millis, limit: number): Promise<PaymentOrder[]> {
    return guarded('confirming', async () => {
      const rows = await this.db.read<Row>(this.q(T.orders).select('doc').whereNotNull('confirming_since')
        .where('confirming_since', '<', before).orderBy('confirming_since').limit(limit));
      return rows.map((r) => parseJson<PaymentOrder>(r.doc));
    });
  }

  add(job: Job): Promise<boolean> {
    return guarded('add', async () => {
      const [n] = await this.db.write([this.jobInsert(job)]);
      return n === 1;
    });
  }

  due(now: Millis, limit: number): Promise<Job[]> {
    return guarded('due', async () => {
      const rows = await this.db.read<Row>(this.q(T.jobs).select('*').where('pending', true).where('due_at', '<=', now)
        .orderBy([{ column: 'due_at' }, { column: 'id' }]).limit(limit));
      return rows.map(jobOf);
    });
  }

  finish(id: string): Promise<boolean> {
    return guarded('finish', async () => {
      const [n] = await this.db.write([statement(this.q(T.jobs).update({ pending: false }).where({ id, pending: true }))]);
      return n === 1;
    });
  }

  retry(id: string, dueAt: Millis, attempts: number): Promise<void> {
    return guarded('retry', async () => {
      await this.db.write([statement(this.q(T.jobs).update({ due_at: dueAt, attempts }).where({ id, pending: true }))]);
    });
  }

  backlog(kind: JobKind): Promise<{ count: number; oldestDueAt: Millis | null }> {
    return guarded('backlog', async () => {
      const [r] = await this.db.read<Row>(this.q(T.jobs).count({ n: '*' }).min({ oldest: 'due_at' }).where({ kind, pending: true }));
      return { count: num(r?.n ?? 0), oldestDueAt: r?.oldest === null || r?.oldest === undefined ? null : num(r.oldest) };
    });
  }

  strikesOf(user: UserId, since: Millis): Promise<Millis[]> {
    return guarded('strikesOf', async () => {
      const rows = await this.db.read<Row>(this.q(T.strikes).select('at').where('user_id', user).where('at', '>=', since).orderBy('at'));
      return rows.map((r) => num(r.at));
    });
  }

  suspended(user: UserId): Promise<boolean> {
    return guarded('suspended', async () => {
      const rows = await this.db.read<Row>(this.q(T.suspensions).select('user_id').where('user_id', user).whereNull('lifted_at'));
      return rows.length > 0;
    });
  }

  suspendedUsers(): Promise<UserId[]> {
    return guarded('suspendedUsers', async () => {
      const rows = await this.db.read<Row>(this.q(T.suspensions).select('user_id').whereNull('lifted_at').orderBy('user_id'));
      return rows.map((r) => r.user_id as string);
    });
  }

  lift(user: UserId, at: Millis): Promise<boolean> {
    return guarded('lift', async () => {
      const [n] = await this.db.write([statement(this.q(T.suspensions).update({ lifted_at: at }).where('user_id', user).whereNull('lifted_at'))]);
      return n === 1;
    });
  }

  putOffer(offer: SecondChanceOffer): Promise<boolean> {
    return guarded('putOffer', async () => {
      const [n] = await this.db.write([statement(this.q(T.offers).insert({
        id: offer.id, order_id: offer.orderId, seller_id: offer.sellerId, bidder_id: offer.bidderId, status: offer.status,
        created_at: offer.createdAt, doc: JSON.stringify(offer),
      }).onConflict().ignore())]);
      return n === 1;
    });
  }

  offer(id: string): Promise<SecondChanceOffer | null> {
    return guarded('offer', async () => {
      const [r] = await this.db.read<Row>(this.q(T.offers).select('doc').where('id', id));
      return r === undefined ? null : parseJson<SecondChanceOffer>(r.doc);
    });
  }

  offersOf(user: UserId, limit: number): Promise<SecondChanceOffer[]> {
    return guarded('offersOf', async () => {
      const rows = await this.db.read<Row>(this.q(T.offers).select('doc').where('seller_id', user).orWhere('bidder_id', user)
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit));
      return rows.map((r) => parseJson<SecondChanceOffer>(r.doc));
    });
  }

  private orderRow(o: PaymentOrder): Row {
    return {
      id: o.id, buyer_id: o.buyerId, seller_id: o.sellerId, status: o.status, seq: o.seq, created_at: o.createdAt,
      confirming_since: o.confirming?.since ?? null, doc: JSON.stringify(o),
    };
  }

  private eventRow(e: OrderEvent): SqlWrite {
    return statement(this.q(T.events).insert({ order_id: e.orderId, seq: e.seq, type: e.type, at: e.at, doc: JSON.stringify(e) }));
  }

  private jobInsert(job: Job): SqlWrite {
    return statement(this.q(T.jobs).insert({
      id: job.id, kind: job.kind, ref: job.ref, due_at: job.dueAt, attempts: job.attempts, payload: job.payload, pending: true,
    }).onConflict('id').ignore());
  }

  private effectRows(e: TransitionEffects, orderId?: string): SqlWrite[] {
    const out: SqlWrite[] = [];
    if (e.acceptOffer !== undefined) {
      // The offer's document is rewritten with its new state: read-modify in SQL would differ per dialect.
      out.push(statement(this.q(T.offers).update({
        status: 'ACCEPTED',
        doc: this.q.raw(this.db.dialect === 'mysql' ? "JSON_SET(doc, '$.status', 'ACCEPTED', '$.newOrderId', ?)" : "json_set(doc, '$.status', 'ACCEPTED', '$.newOrderId', ?)", [orderId ?? null]),
      }).where({ id: e.acceptOffer, status: 'OPEN' }), { exactly: 1 }));
    }
    if (e.finish !== undefined) out.push(statement(this.q(T.jobs).update({ pending: false }).where({ id: e.finish, pending: true }), { exactly: 1 }));
    for (const job of e.schedule ?? []) out.push(this.jobInsert(job));
    if (e.cancel !== undefined && e.cancel.length > 0) out.push(statement(this.q(T.jobs).update({ pending: false }).whereIn('id', e.cancel)));
    if (e.strike !== undefined) {
      out.push(statement(this.q(T.strikes).insert({ user_id: e.strike.userId, order_id: e.strike.orderId, at: e.strike.at }).onConflict(['user_id', 'order_id']).ignore()));
    }
    if (e.suspend !== undefined) {
      // A lifted suspension starts again; a standing one keeps its start.
      out.push(statement(this.q(T.suspensions).insert({ user_id: e.suspend.userId, since: e.suspend.at, lifted_at: null }).onConflict('user_id').ignore()));
      out.push(statement(this.q(T.suspensions).update({ since: e.suspend.at, lifted_at: null }).where('user_id', e.suspend.userId).whereNotNull('lifted_at')));
    }
    if (e.ledger !== undefined) {
      if (this.ledger === null) throw new Error('SqlPaymentStores: a ledger posting needs the ledger\'s statements (app/stores.ts gives them)');
      out.push(...this.ledger(e.ledger));
    }
    return out;
  }
}

// The marketplace ports on SQL (SQLite or MySQL/MariaDB), over the journal store's knex. On SQLite the
// journal's writer thread holds the write lock for its batches: every transaction here starts with a
// write (never a read that later upgrades, which SQLite would refuse without waiting) and stays short.
import type { Knex } from 'knex';
import type { AuctionId, AuctionStatus, Millis, UserId } from '../../engine/index.ts';
import { parseJson } from '../auction/codec.ts';
import {
  sortDescending,
  type Catalogue, type Category, type CloseSchedules, type InboxItem, type InboxKind, type Listing, type ListingFacts,
  type ListingMeta, type ListingQuery, type Market, type Order, type OrderStatus, type OutboxRow, type OutboxType,
  type Product, type Projection,
} from './ports.ts';
import { StoreUnavailableError } from '../auction/ports.ts';
import { isMysql } from '../sql/migrations/helpers.ts';
import { MARKET_TABLES as T } from '../sql/tables.ts';

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
/** Rows per multi-row insert: well under SQLite's and MySQL's placeholder limits. */
const CHUNK = 200;
/**
 * Listing facts per transaction on the SQLite writer thread. A journal commit queued behind one waits for
 * it: 50 upserts (each moving a row in the price and end-time indexes) keep that wait near a millisecond,
 * where 400 made bursts of 15 to 30 ms acks every projection step at 10,000 bids/s.
 */
const WRITER_FACTS = 50;

type Row = Record<string, unknown>;

const FACT_COLUMNS = ['seller_id', 'product_id', 'status', 'price', 'bid_count', 'starts_at', 'ends_at', 'buy_now_price'] as const;

function productOf(r: Row): Product {
  return {
    id: r.id as string, sellerId: r.seller_id as string, name: r.name as string, description: r.description as string,
    categoryId: (r.category_id as string | null) ?? null, images: parseJson(r.images), createdAt: num(r.created_at),
    updatedAt: num(r.updated_at), deletedAt: numOrNull(r.deleted_at),
  };
}

function listingOf(r: Row): Listing {
  return {
    id: r.id as string, seq: num(r.seq), sellerId: r.seller_id as string, productId: r.product_id as string,
    status: r.status as AuctionStatus, price: num(r.price), bidCount: num(r.bid_count), startsAt: num(r.starts_at),
    endsAt: num(r.ends_at), buyNowPrice: numOrNull(r.buy_now_price), title: r.title as string,
    categoryId: (r.category_id as string | null) ?? null, tags: r.tags === null || r.tags === undefined ? [] : parseJson<string[]>(r.tags),
    createdAt: num(r.created_at), views: num(r.views), wishes: num(r.wishes), settled: Boolean(num(r.settled)),
  };
}

function orderOf(r: Row): Order {
  return {
    id: r.id as string, auctionId: r.auction_id as string, buyerId: r.buyer_id as string, sellerId: r.seller_id as string,
    productId: r.product_id as string, amount: num(r.amount), status: r.status as OrderStatus, createdAt: num(r.created_at),
    payBy: num(r.pay_by),
  };
}

function inboxOf(r: Row): InboxItem {
  return {
    id: r.id as string, userId: r.user_id as string, auctionId: r.auction_id as string, kind: r.kind as InboxKind,
    price: num(r.price), orderId: (r.order_id as string | null) ?? null, createdAt: num(r.created_at), readAt: numOrNull(r.read_at),
  };
}

/** A listing's details as the columns they are stored in. */
function metaRow(m: ListingMeta): Row {
  return {
    id: m.id, seller_id: m.sellerId, product_id: m.productId, title: m.title, category_id: m.categoryId,
    tags: JSON.stringify(m.tags), created_at: m.createdAt,
  };
}

/** The SQL expression of a sort's value (cursors compare against it). */
function sortExpr(q: ListingQuery): string {
  switch (q.sort) {
    case 'ending': return 'l.ends_at';
    case 'newest': return 'l.created_at';
    case 'price_asc':
    case 'price_desc': return 'l.price';
    case 'popular': return '(l.views + 2 * l.bid_count + 3 * l.wishes)';
  }
}

export class SqlMarket implements Catalogue, Market, CloseSchedules {
  private readonly mysql: boolean;

  constructor(
    private readonly db: Knex,
    /** Runs the projection's statements on the SQLite writer thread (SqlStore.statementWriter), when there is one. */
    private readonly writer: ((statements: [string, unknown[]][]) => Promise<void>) | null = null,
  ) {
    this.mysql = isMysql(db);
  }

  private async run<R>(what: string, f: () => Promise<R>): Promise<R> {
    try {
      return await f();
    } catch (err) {
      throw new StoreUnavailableError(`SQL market store: ${what} failed: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }

  // ---- catalogue ----

  putProduct(p: Product): Promise<void> {
    return this.run('putProduct', async () => {
      await this.db(T.products)
        .insert({
          id: p.id, seller_id: p.sellerId, name: p.name, description: p.description, category_id: p.categoryId,
          images: JSON.stringify(p.images), created_at: p.createdAt, updated_at: p.updatedAt, deleted_at: p.deletedAt,
        })
        .onConflict('id')
        .merge();
    });
  }

  product(id: string): Promise<Product | null> {
    return this.run('product', async () => {
      const r = (await this.db(T.products).first('*').where('id', id)) as Row | undefined;
      return r === undefined ? null : productOf(r);
    });
  }

  productsOf(seller: UserId, limit: number): Promise<Product[]> {
    return this.run('productsOf', async () => {
      const rows = (await this.db(T.products).select('*').where('seller_id', seller).whereNull('deleted_at')
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit)) as Row[];
      return rows.map(productOf);
    });
  }

  putCategory(c: Category): Promise<void> {
    return this.run('putCategory', async () => {
      await this.db(T.categories).insert({ id: c.id, name: c.name, parent_id: c.parentId }).onConflict('id').merge();
    });
  }

  categories(): Promise<Category[]> {
    return this.run('categories', async () => {
      const rows = (await this.db(T.categories).select('*').orderBy('id')) as Row[];
      return rows.map((r) => ({ id: r.id as string, name: r.name as string, parentId: (r.parent_id as string | null) ?? null }));
    });
  }

  deleteCategory(id: string): Promise<boolean> {
    return this.run('deleteCategory', async () => (await this.db(T.categories).where('id', id).del()) > 0);
  }

  putTag(name: string): Promise<void> {
    return this.run('putTag', async () => {
      await this.db(T.tags).insert({ name }).onConflict('name').ignore();
    });
  }

  tags(): Promise<string[]> {
    return this.run('tags', async () => ((await this.db(T.tags).select('name').orderBy('name')) as Row[]).map((r) => r.name as string));
  }

  deleteTag(name: string): Promise<boolean> {
    return this.run('deleteTag', async () => (await this.db(T.tags).where('name', name).del()) > 0);
  }

  wish(user: UserId, auction: AuctionId, at: Millis): Promise<boolean> {
    return this.run('wish', async () => {
      const existed = await this.db(T.wishes).first('at').where({ user_id: user, auction_id: auction });
      if (existed !== undefined) return false;
      await this.db.transaction(async (trx) => {
        await trx(T.wishes).insert({ user_id: user, auction_id: auction, at }).onConflict(['user_id', 'auction_id']).ignore();
        await this.recountWishes(trx, auction);
      });
      return true;
    });
  }

  unwish(user: UserId, auction: AuctionId): Promise<boolean> {
    return this.run('unwish', async () => {
      let gone = 0;
      await this.db.transaction(async (trx) => {
        gone = await trx(T.wishes).where({ user_id: user, auction_id: auction }).del();
        if (gone > 0) await this.recountWishes(trx, auction);
      });
      return gone > 0;
    });
  }

  private async recountWishes(trx: Knex.Transaction, auction: AuctionId): Promise<void> {
    await trx.raw(`UPDATE ${T.listings} SET wishes = (SELECT COUNT(*) FROM ${T.wishes} w WHERE w.auction_id = ?) WHERE id = ?`, [auction, auction]);
  }

  wishesOf(user: UserId, limit: number): Promise<AuctionId[]> {
    return this.run('wishesOf', async () => {
      const rows = (await this.db(T.wishes).select('auction_id').where('user_id', user)
        .orderBy([{ column: 'at', order: 'desc' }, { column: 'auction_id', order: 'desc' }]).limit(limit)) as Row[];
      return rows.map((r) => r.auction_id as string);
    });
  }

  // ---- listings ----

  project(p: Projection): Promise<void> {
    if (p.facts.length + p.bidders.length + p.settlements.length === 0) return Promise.resolve();
    const statements = this.projection(p);
    return this.run('project', async () => {
      // SQLite: on the journal's writer thread, so the event loop never waits for the write lock, one
      // small statement at a time, each riding a journal append (sqlite-writer-client.ts), so it costs
      // no commit of its own and holds up no bid for long.
      // Safe in parts: every write is keyed (a re-run changes nothing) and `settled` comes last.
      if (this.writer !== null) {
        for (const statement of statements) await this.writer([statement]);
        return;
      }
      await this.db.transaction(async (trx) => {
        for (const [sql, bindings] of statements) await trx.raw(sql, bindings as Knex.RawBinding[]);
      });
    });
  }

  /** The statements of one projection step, as [sql, bindings], for one transaction. */
  private projection(p: Projection): [string, unknown[]][] {
    const out: [string, unknown[]][] = [];
    const add = (q: Knex.QueryBuilder | Knex.Raw) => {
      const n = q.toSQL().toNative();
      // As knex's own SQLite client does: better-sqlite3 binds no booleans or undefined.
      out.push([n.sql, n.bindings.map((b) => (typeof b === 'boolean' ? Number(b) : b === undefined ? null : b))]);
    };
    const facts = this.writer !== null ? WRITER_FACTS : CHUNK;
    for (let i = 0; i < p.facts.length; i += facts) out.push(this.upsertFacts(p.facts.slice(i, i + facts)));
    const now = Date.now();
    for (let i = 0; i < p.bidders.length; i += CHUNK) {
      const rows = p.bidders.slice(i, i + CHUNK).map((b) => ({ user_id: b.userId, auction_id: b.auctionId, at: now }));
      add(this.db(T.bidders).insert(rows).onConflict(['user_id', 'auction_id']).merge(['at']));
    }
    for (const s of p.settlements) {
      if (s.order !== null) {
        const o = s.order;
        add(this.db(T.orders).insert({
          id: o.id, auction_id: o.auctionId, buyer_id: o.buyerId, seller_id: o.sellerId, product_id: o.productId,
          amount: o.amount, status: o.status, created_at: o.createdAt, pay_by: o.payBy,
        }).onConflict().ignore()); // one order per auction (unique auction_id)
      }
      // Every participant's row in one statement.
      for (let i = 0; i < s.inbox.length; i += CHUNK) {
        const rows = s.inbox.slice(i, i + CHUNK).map((m) => ({
          id: m.id, user_id: m.userId, auction_id: m.auctionId, kind: m.kind, price: m.price, order_id: m.orderId,
          created_at: m.createdAt, read_at: m.readAt,
        }));
        add(this.db(T.inbox).insert(rows).onConflict('id').ignore());
      }
    }
    const settled = p.settlements.map((s) => s.auctionId);
    if (settled.length > 0) {
      // A close can reach here before its listing's first facts (a crash in between): make the row.
      add(this.db(T.listings).insert(settled.map((id) => ({ id, settled: true }))).onConflict('id').merge(['settled']));
    }
    return out;
  }

  /** Insert or update facts, never over newer ones: the guard is in the statement (no read first). */
  private upsertFacts(facts: readonly ListingFacts[]): [string, unknown[]] {
    const cols = ['id', 'seq', ...FACT_COLUMNS];
    const params: unknown[] = [];
    for (const f of facts) {
      params.push(f.id, f.seq, f.sellerId, f.productId, f.status, f.price, f.bidCount, f.startsAt, f.endsAt, f.buyNowPrice);
    }
    const values = facts.map(() => `(${cols.map(() => '?').join(',')})`).join(',');
    if (this.mysql) {
      // Each column takes the new value only when the row's seq is older; seq itself goes last.
      const set = [...FACT_COLUMNS, 'seq'].map((c) => `${c} = IF(VALUES(seq) > seq, VALUES(${c}), ${c})`).join(', ');
      return [`INSERT INTO ${T.listings} (${cols.join(',')}) VALUES ${values} ON DUPLICATE KEY UPDATE ${set}`, params];
    }
    const set = [...FACT_COLUMNS, 'seq'].map((c) => `${c} = excluded.${c}`).join(', ');
    return [`INSERT INTO ${T.listings} (${cols.join(',')}) VALUES ${values}
        ON CONFLICT(id) DO UPDATE SET ${set} WHERE excluded.seq > ${T.listings}.seq`, params];
  }

  putMeta(m: ListingMeta): Promise<void> {
    return this.run('putMeta', () => this.db.transaction(async (trx) => {
      await trx(T.listings)
        .insert(metaRow(m))
        .onConflict('id')
        .merge(['seller_id', 'product_id', 'title', 'category_id', 'tags', 'created_at']);
      await trx(T.listingTags).where('auction_id', m.id).del();
      if (m.tags.length > 0) await trx(T.listingTags).insert(m.tags.map((tag) => ({ tag, auction_id: m.id })));
    }));
  }

  addMeta(m: ListingMeta): Promise<void> {
    return this.run('addMeta', () => this.db.transaction(async (trx) => {
      // The write first (SQLite), then the tag rows rebuilt from whatever row won, so they always
      // mirror the stored details, also when a concurrent create of the same id got there first.
      await trx(T.listings).insert(metaRow(m)).onConflict('id').ignore();
      const row = (await trx(T.listings).first('tags').where('id', m.id)) as Row | undefined;
      const tags = row?.tags === null || row?.tags === undefined ? [] : parseJson<string[]>(row.tags);
      await trx(T.listingTags).where('auction_id', m.id).del();
      if (tags.length > 0) await trx(T.listingTags).insert(tags.map((tag) => ({ tag, auction_id: m.id })));
    }));
  }

  listing(id: AuctionId): Promise<Listing | null> {
    return this.run('listing', async () => {
      const r = (await this.db(T.listings).first('*').where('id', id)) as Row | undefined;
      return r === undefined ? null : listingOf(r);
    });
  }

  listings(ids: readonly AuctionId[]): Promise<Map<AuctionId, Listing>> {
    return this.run('listings', async () => {
      const out = new Map<AuctionId, Listing>();
      for (let i = 0; i < ids.length; i += 500) {
        const rows = (await this.db(T.listings).select('*').whereIn('id', ids.slice(i, i + 500))) as Row[];
        for (const r of rows) out.set(r.id as string, listingOf(r));
      }
      return out;
    });
  }

  search(q: ListingQuery): Promise<Listing[]> {
    return this.run('search', async () => {
      const expr = sortExpr(q);
      const desc = sortDescending(q.sort);
      const b = this.db({ l: T.listings }).select('l.*').where('l.seq', '>', 0).whereIn('l.status', q.statuses);
      if (q.categoryIds !== undefined) b.whereIn('l.category_id', q.categoryIds);
      if (q.tag !== undefined) {
        const tag = q.tag;
        b.whereExists((sub) => { sub.select(this.db.raw('1')).from(T.listingTags).where('tag', tag).andWhereRaw(`auction_id = l.id`); });
      }
      // Words are matched literally. SQLite has no LIKE escape character unless told, and a backslash in
      // a MySQL string literal depends on sql_mode, so the escape is '!', spelled the same everywhere.
      if (q.text !== undefined) b.whereRaw(`LOWER(l.title) LIKE ? ESCAPE '!'`, [`%${q.text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`]);
      if (q.minPrice !== undefined) b.where('l.price', '>=', q.minPrice);
      if (q.maxPrice !== undefined) b.where('l.price', '<=', q.maxPrice);
      if (q.sellerId !== undefined) b.where('l.seller_id', q.sellerId);
      if (q.after !== undefined) {
        const op = desc ? '<' : '>';
        b.whereRaw(`(${expr} ${op} ? OR (${expr} = ? AND l.id ${op} ?))`, [q.after.value, q.after.value, q.after.id]);
      }
      const dir = desc ? 'DESC' : 'ASC';
      b.orderByRaw(`${expr} ${dir}, l.id ${dir}`).limit(q.limit);
      return ((await b) as Row[]).map(listingOf);
    });
  }

  bidOn(user: UserId, limit: number): Promise<Listing[]> {
    return this.run('bidOn', async () => {
      const rows = (await this.db({ b: T.bidders }).join({ l: T.listings }, 'l.id', 'b.auction_id').select('l.*')
        .where('b.user_id', user).orderBy([{ column: 'b.at', order: 'desc' }, { column: 'l.id', order: 'desc' }]).limit(limit)) as Row[];
      return rows.map(listingOf);
    });
  }

  addViews(counts: ReadonlyMap<AuctionId, number>): Promise<void> {
    if (counts.size === 0) return Promise.resolve();
    return this.run('addViews', () => this.db.transaction(async (trx) => {
      // One statement per distinct count: most auctions get the same few counts in a flush.
      const byCount = new Map<number, AuctionId[]>();
      for (const [id, n] of counts) byCount.set(n, [...(byCount.get(n) ?? []), id]);
      for (const [n, ids] of byCount) {
        for (let i = 0; i < ids.length; i += 500) await trx(T.listings).whereIn('id', ids.slice(i, i + 500)).increment('views', n);
      }
    }));
  }

  unsettled(): Promise<{ id: AuctionId; seq: number }[]> {
    return this.run('unsettled', async () => {
      const rows = (await this.db(T.listings).select('id', 'seq').where('settled', false)) as Row[];
      return rows.map((r) => ({ id: r.id as string, seq: num(r.seq) }));
    });
  }

  // ---- orders and inbox ----

  order(id: string): Promise<Order | null> {
    return this.run('order', async () => {
      const r = (await this.db(T.orders).first('*').where('id', id)) as Row | undefined;
      return r === undefined ? null : orderOf(r);
    });
  }

  ordersOf(user: UserId, limit: number): Promise<Order[]> {
    return this.run('ordersOf', async () => {
      const rows = (await this.db(T.orders).select('*').where('buyer_id', user).orWhere('seller_id', user)
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit)) as Row[];
      return rows.map(orderOf);
    });
  }

  inbox(user: UserId, limit: number): Promise<InboxItem[]> {
    return this.run('inbox', async () => {
      const rows = (await this.db(T.inbox).select('*').where('user_id', user)
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit)) as Row[];
      return rows.map(inboxOf);
    });
  }

  readInbox(user: UserId, id: string, at: Millis): Promise<boolean> {
    return this.run('readInbox', async () => {
      const mine = await this.db(T.inbox).first('id').where({ id, user_id: user });
      if (mine === undefined) return false;
      await this.db(T.inbox).where({ id, user_id: user }).whereNull('read_at').update({ read_at: at });
      return true;
    });
  }

  deleteInbox(user: UserId, id: string): Promise<boolean> {
    return this.run('deleteInbox', async () => (await this.db(T.inbox).where({ id, user_id: user }).del()) > 0);
  }

  // ---- outbox ----

  relayPosition(relay: string): Promise<number> {
    return this.run('relayPosition', async () => {
      const row = (await this.db(T.outboxCursors).first('position').where({ name: relay })) as Row | undefined;
      return row === undefined ? 0 : num(row.position);
    });
  }

  saveRelayPosition(relay: string, position: number, at: Millis): Promise<void> {
    return this.run('saveRelayPosition', async () => {
      // Forward only: a relay that lost a race with itself never republishes from further back.
      const moved = await this.db(T.outboxCursors).where({ name: relay }).andWhere('position', '<', position).update({ position, updated_at: at });
      if (moved === 0) await this.db(T.outboxCursors).insert({ name: relay, position, updated_at: at }).onConflict('name').ignore();
    });
  }

  // ---- close schedules ----

  saveSchedules(put: ReadonlyMap<AuctionId, Millis>, remove: readonly AuctionId[]): Promise<void> {
    if (put.size === 0 && remove.length === 0) return Promise.resolve();
    return this.run('saveSchedules', () => this.db.transaction(async (trx) => {
      for (let i = 0; i < remove.length; i += 500) await trx(T.closeSchedules).whereIn('auction_id', remove.slice(i, i + 500)).del();
      const rows = [...put].map(([auction_id, at]) => ({ auction_id, at }));
      for (let i = 0; i < rows.length; i += CHUNK) {
        await trx(T.closeSchedules).insert(rows.slice(i, i + CHUNK)).onConflict('auction_id').merge(['at']);
      }
    }));
  }

  schedules(): Promise<Map<AuctionId, Millis>> {
    return this.run('schedules', async () => {
      const rows = (await this.db(T.closeSchedules).select('auction_id', 'at')) as Row[];
      return new Map(rows.map((r) => [r.auction_id as string, num(r.at)]));
    });
  }
}

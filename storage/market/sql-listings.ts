// Listings on SQL, over the shared database handle: the projection of committed events, the seller's
// details, search, bidders and views. The sort orders are the engine's (engine/market/rules.ts).
import type { AuctionId, UserId } from '../../engine/index.ts';
import type { Listing, ListingMeta, ListingQuery, Projection } from '../../engine/market/model.ts';
import { POPULARITY_WEIGHTS, sortDescending } from '../../engine/market/rules.ts';
import { WriteConflictError } from '../errors.ts';
import type { SqlDatabase, SqlWrite } from '../sql/database.ts';
import { MARKET_TABLES as T } from '../sql/tables.ts';
import { statement } from '../sql/write.ts';
import type { Listings } from './ports.ts';
import { projectionStatements } from './sql-projection.ts';
import { CHUNK, guarded, ID_CHUNK, listingOf, metaRow, num, tagsOf, type Row } from './sql-rows.ts';

/**
 * Listing facts per statement on the SQLite writer thread. A journal commit queued behind one waits for
 * it: 50 upserts (each moving a row in the price and end-time indexes) keep that wait near a millisecond,
 * where 400 made bursts of 15 to 30 ms acks every projection step at 10,000 bids/s.
 */
const THREAD_FACTS = 50;
/** Tries of addMeta when another writer changes the row's tags between its read and its write. */
const ATTEMPTS = 4;

const POPULARITY_COLUMNS: Record<keyof typeof POPULARITY_WEIGHTS, string> = { views: 'l.views', bidCount: 'l.bid_count', wishes: 'l.wishes' };
/** The engine's popularity() as SQL, from the same weights. */
const POPULARITY_SQL = `(${Object.entries(POPULARITY_WEIGHTS)
  .map(([k, w]) => `${w} * ${POPULARITY_COLUMNS[k as keyof typeof POPULARITY_WEIGHTS]}`).join(' + ')})`;

/** The SQL expression of a sort's value (cursors compare against it), as engine/market/rules.ts sortValue. */
function sortExpr(q: ListingQuery): string {
  switch (q.sort) {
    case 'ending': return 'l.ends_at';
    case 'newest': return 'l.created_at';
    case 'price_asc':
    case 'price_desc': return 'l.price';
    case 'popular': return POPULARITY_SQL;
  }
}

/** The statements that make a listing's tag rows exactly `tags`. */
function tagRows(db: SqlDatabase, id: AuctionId, tags: readonly string[]): SqlWrite[] {
  const out = [statement(db.builder(T.listingTags).where('auction_id', id).del())];
  if (tags.length > 0) out.push(statement(db.builder(T.listingTags).insert(tags.map((tag) => ({ tag, auction_id: id })))));
  return out;
}

export class SqlListings implements Listings {
  constructor(private readonly db: SqlDatabase) {}

  private get q(): SqlDatabase['builder'] {
    return this.db.builder;
  }

  project(p: Projection): Promise<void> {
    if (p.facts.length + p.bidders.length + p.closes.length === 0) return Promise.resolve();
    return guarded('project', async () => {
      if (!this.db.writesOnThread) {
        await this.db.write(projectionStatements(this.db, p, CHUNK));
        return;
      }
      // On SQLite's writer thread one small statement at a time, each riding a journal append, so it
      // costs no commit of its own and holds up no bid for long.
      for (const s of projectionStatements(this.db, p, THREAD_FACTS)) await this.db.write([s]);
    });
  }

  putMeta(m: ListingMeta): Promise<void> {
    return guarded('putMeta', async () => {
      await this.db.write([
        statement(this.q(T.listings).insert(metaRow(m)).onConflict('id').merge(['seller_id', 'product_id', 'title', 'category_id', 'tags', 'created_at'])),
        ...tagRows(this.db, m.id, m.tags),
      ]);
    });
  }

  addMeta(m: ListingMeta): Promise<void> {
    return guarded('addMeta', async () => {
      // The tag rows mirror whichever details won: ours when the insert took, else the stored ones. The
      // write expects the row's tags to be those it mirrors, so an edit in between sends it round again.
      let tags: string | null = JSON.stringify(m.tags);
      for (let i = 1; ; i++) {
        const same = this.q(T.listings).where('id', m.id).update({ tags: this.q.ref('tags') });
        if (tags === null) same.whereNull('tags');
        else same.where('tags', tags);
        try {
          await this.db.write([
            statement(this.q(T.listings).insert(metaRow(m)).onConflict('id').ignore()),
            statement(same, { exactly: 1 }),
            ...tagRows(this.db, m.id, tagsOf(tags)),
          ]);
          return;
        } catch (err) {
          if (!(err instanceof WriteConflictError) || i >= ATTEMPTS) throw err;
        }
        const [row] = await this.db.read<Row>(this.q(T.listings).first('tags').where('id', m.id));
        tags = (row?.tags as string | null | undefined) ?? null;
      }
    });
  }

  listing(id: AuctionId): Promise<Listing | null> {
    return guarded('listing', async () => {
      const [r] = await this.db.read<Row>(this.q(T.listings).first('*').where('id', id));
      return r === undefined ? null : listingOf(r);
    });
  }

  listings(ids: readonly AuctionId[]): Promise<Map<AuctionId, Listing>> {
    return guarded('listings', async () => {
      const out = new Map<AuctionId, Listing>();
      for (let i = 0; i < ids.length; i += ID_CHUNK) {
        for (const r of await this.db.read<Row>(this.q(T.listings).select('*').whereIn('id', ids.slice(i, i + ID_CHUNK)))) out.set(r.id as string, listingOf(r));
      }
      return out;
    });
  }

  search(q: ListingQuery): Promise<Listing[]> {
    return guarded('search', async () => {
      const expr = sortExpr(q);
      const desc = sortDescending(q.sort);
      const b = this.q({ l: T.listings }).select('l.*').where('l.seq', '>', 0).whereIn('l.status', q.statuses);
      if (q.categoryIds !== undefined) b.whereIn('l.category_id', q.categoryIds);
      if (q.tag !== undefined) {
        const tag = q.tag;
        b.whereExists((sub) => { sub.select(this.q.raw('1')).from(T.listingTags).where('tag', tag).andWhereRaw(`auction_id = l.id`); });
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
      return (await this.db.read<Row>(b)).map(listingOf);
    });
  }

  bidOn(user: UserId, limit: number): Promise<Listing[]> {
    return guarded('bidOn', async () => {
      const rows = await this.db.read<Row>(this.q({ b: T.bidders }).join({ l: T.listings }, 'l.id', 'b.auction_id').select('l.*')
        .where('b.user_id', user).orderBy([{ column: 'b.at', order: 'desc' }, { column: 'l.id', order: 'desc' }]).limit(limit));
      return rows.map(listingOf);
    });
  }

  addViews(counts: ReadonlyMap<AuctionId, number>): Promise<void> {
    if (counts.size === 0) return Promise.resolve();
    return guarded('addViews', async () => {
      // One statement per distinct count: most auctions get the same few counts in a flush.
      const byCount = new Map<number, AuctionId[]>();
      for (const [id, n] of counts) byCount.set(n, [...(byCount.get(n) ?? []), id]);
      const statements: SqlWrite[] = [];
      for (const [n, ids] of byCount) {
        for (let i = 0; i < ids.length; i += ID_CHUNK) statements.push(statement(this.q(T.listings).whereIn('id', ids.slice(i, i + ID_CHUNK)).increment('views', n)));
      }
      await this.db.write(statements);
    });
  }

  awaitingCloseEffects(): Promise<{ id: AuctionId; seq: number }[]> {
    return guarded('awaitingCloseEffects', async () => {
      const rows = await this.db.read<Row>(this.q(T.listings).select('id', 'seq').where('settled', false));
      return rows.map((r) => ({ id: r.id as string, seq: num(r.seq) }));
    });
  }
}

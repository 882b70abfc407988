// Catalogue on SQL: products, categories, tags and wishes, over the shared database handle. A wish and
// its listing's count are written in one write, the count recounted in the statement (no read first).
import type { AuctionId, Millis, UserId } from '../../engine/index.ts';
import type { Category, Product } from '../../engine/market/model.ts';
import type { SqlDatabase, SqlWrite } from '../sql/database.ts';
import { MARKET_TABLES as T } from '../sql/tables.ts';
import { statement } from '../sql/write.ts';
import type { Catalogue } from './ports.ts';
import { guarded, productOf, type Row } from './sql-rows.ts';

/** The listing's wish count, recounted in the statement. */
function recountWishes(auction: AuctionId): SqlWrite {
  return { sql: `UPDATE ${T.listings} SET wishes = (SELECT COUNT(*) FROM ${T.wishes} w WHERE w.auction_id = ?) WHERE id = ?`, params: [auction, auction] };
}

export class SqlCatalogue implements Catalogue {
  constructor(private readonly db: SqlDatabase) {}

  private get q(): SqlDatabase['builder'] {
    return this.db.builder;
  }

  putProduct(p: Product): Promise<void> {
    return guarded('putProduct', async () => {
      await this.db.write([statement(this.q(T.products)
        .insert({
          id: p.id, seller_id: p.sellerId, name: p.name, description: p.description, category_id: p.categoryId,
          images: JSON.stringify(p.images), created_at: p.createdAt, updated_at: p.updatedAt, deleted_at: p.deletedAt,
        })
        .onConflict('id')
        .merge())]);
    });
  }

  product(id: string): Promise<Product | null> {
    return guarded('product', async () => {
      const [r] = await this.db.read<Row>(this.q(T.products).first('*').where('id', id));
      return r === undefined ? null : productOf(r);
    });
  }

  productsOf(seller: UserId, limit: number): Promise<Product[]> {
    return guarded('productsOf', async () => {
      const rows = await this.db.read<Row>(this.q(T.products).select('*').where('seller_id', seller).whereNull('deleted_at')
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit));
      return rows.map(productOf);
    });
  }

  putCategory(c: Category): Promise<void> {
    return guarded('putCategory', async () => {
      await this.db.write([statement(this.q(T.categories).insert({ id: c.id, name: c.name, parent_id: c.parentId }).onConflict('id').merge())]);
    });
  }

  categories(): Promise<Category[]> {
    return guarded('categories', async () => {
      const rows = await this.db.read<Row>(this.q(T.categories).select('*').orderBy('id'));
      return rows.map((r) => ({ id: r.id as string, name: r.name as string, parentId: (r.parent_id as string | null) ?? null }));
    });
  }

  deleteCategory(id: string): Promise<boolean> {
    return guarded('deleteCategory', async () => (await this.db.write([statement(this.q(T.categories).where('id', id).del())]))[0] > 0);
  }

  putTag(name: string): Promise<void> {
    return guarded('putTag', async () => {
      await this.db.write([statement(this.q(T.tags).insert({ name }).onConflict('name').ignore())]);
    });
  }

  tags(): Promise<string[]> {
    return guarded('tags', async () => (await this.db.read<Row>(this.q(T.tags).select('name').orderBy('name'))).map((r) => r.name as string));
  }

  deleteTag(name: string): Promise<boolean> {
    return guarded('deleteTag', async () => (await this.db.write([statement(this.q(T.tags).where('name', name).del())]))[0] > 0);
  }

  wish(user: UserId, auction: AuctionId, at: Millis): Promise<boolean> {
    return guarded('wish', async () => {
      // Insert-if-absent counts 0 for a wish kept already.
      const [added] = await this.db.write([
        statement(this.q(T.wishes).insert({ user_id: user, auction_id: auction, at }).onConflict(['user_id', 'auction_id']).ignore()),
        recountWishes(auction),
      ]);
      return added > 0;
    });
  }

  unwish(user: UserId, auction: AuctionId): Promise<boolean> {
    return guarded('unwish', async () => {
      const [gone] = await this.db.write([
        statement(this.q(T.wishes).where({ user_id: user, auction_id: auction }).del()),
        recountWishes(auction),
      ]);
      return gone > 0;
    });
  }

  wishesOf(user: UserId, limit: number): Promise<AuctionId[]> {
    return guarded('wishesOf', async () => {
      const rows = await this.db.read<Row>(this.q(T.wishes).select('auction_id').where('user_id', user)
        .orderBy([{ column: 'at', order: 'desc' }, { column: 'auction_id', order: 'desc' }]).limit(limit));
      return rows.map((r) => r.auction_id as string);
    });
  }
}

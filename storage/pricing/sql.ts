// Price predictions on SQL (table price_predictions, migration 0010): one row per product, replaced by
// each new answer in one upsert.
import type { MarketPrice, PriceSource, RejectReason } from '../../engine/pricing/index.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { unavailable } from '../sql/errors.ts';
import { statement } from '../sql/write.ts';
import type { PricePredictions } from './ports.ts';

const TABLE = 'price_predictions';
type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export class SqlPricePredictions implements PricePredictions {
  constructor(private readonly db: SqlDatabase) {}

  async put(productId: string, nameKey: string, p: MarketPrice): Promise<void> {
    await this.guarded('put', () => this.db.write([statement(this.db.builder(TABLE)
      .insert({
        product_id: productId, name_key: nameKey, source: p.source,
        today_low: p.today?.low ?? null, today_typical: p.today?.typical ?? null, today_high: p.today?.high ?? null,
        outlook_low: p.threeMonths?.low ?? null, outlook_high: p.threeMonths?.high ?? null,
        confidence: p.confidence, basis: JSON.stringify(p.basis), rejected: p.rejected, at: p.at,
      })
      .onConflict('product_id')
      .merge())]));
  }

  async get(productId: string): Promise<MarketPrice | null> {
    const [r] = await this.guarded('get', () => this.db.read<Row>(this.db.builder(TABLE).first('*').where('product_id', productId)));
    if (r === undefined) return null;
    const low = numOrNull(r.today_low);
    const outlookLow = numOrNull(r.outlook_low);
    return {
      source: r.source as PriceSource,
      today: low === null ? null : { low, typical: num(r.today_typical), high: num(r.today_high) },
      threeMonths: outlookLow === null ? null : { low: outlookLow, high: num(r.outlook_high) },
      confidence: num(r.confidence),
      basis: JSON.parse(r.basis as string) as MarketPrice['basis'],
      rejected: (r.rejected as RejectReason | null) ?? null,
      at: num(r.at),
    };
  }

  private async guarded<R>(what: string, f: () => Promise<R>): Promise<R> {
    try {
      return await f();
    } catch (err) {
      throw unavailable('SQL price predictions', what, err);
    }
  }
}

// What the marketplace routes need, as narrow interfaces (the server wires the real ones; tests may
// wire memory adapters).
import type { OutboxPage } from '../../app/market/outbox.ts';
import type { ViewCounter } from '../../app/market/view-counter.ts';
import type { AuctionEvent, AuctionId, AuctionSpec, Clock } from '../../engine/index.ts';
import type { Catalogue, ImageStore, Market } from '../../storage/market/ports.ts';
import type { AuctionApi } from '../auction/routes.ts';
import type { TokenKeys } from '../../app/accounts/tokens.ts';
import type { UploadOptions } from './multipart.ts';

export interface MarketAuctions extends AuctionApi {
  /** The spec of an auction this process holds (every PENDING and OPEN one), or null. */
  spec(id: AuctionId): AuctionSpec | null;
  /** The auction's journal after seq `after`, in seq order, at most `limit` events. */
  history(id: AuctionId, after: number, limit: number): Promise<AuctionEvent[]>;
  /** The outbox: events among the next `limit` journal positions after `after`. */
  outbox(after: number, limit: number): Promise<OutboxPage>;
}

export interface MarketHttpDeps {
  catalogue: Catalogue;
  market: Market;
  images: ImageStore;
  /** True when the app serves image bytes itself (disk); false behind a CDN (S3). */
  serveImages: boolean;
  views: ViewCounter;
  auctions: MarketAuctions;
  keys: TokenKeys;
  clock: Clock;
  upload: UploadOptions;
  bodyLimitBytes: number;
}

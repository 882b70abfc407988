// What the marketplace routes need, as narrow interfaces (the server wires the real ones; tests may
// wire memory adapters).
import type { AuctionQueries } from '../../engine/auction/api.ts';
import type { Authenticator } from '../../engine/accounts/identity.ts';
import type { AuctionId, Clock } from '../../engine/index.ts';
import type { ListingHooks } from '../../engine/market/api.ts';
import type { Catalogue, ImageStore, Market, OutboxRow } from '../../storage/market/ports.ts';
import type { AuctionApi } from '../auction/routes.ts';
import type { UploadOptions } from './multipart.ts';

export interface MarketAuctions extends AuctionApi, Pick<AuctionQueries, 'history'> {
  /** The outbox: events among the next `limit` journal positions after `after`; `next` is where to read on. */
  outbox(after: number, limit: number): Promise<{ items: OutboxRow[]; next: number }>;
}

/** Views counted once per viewer an hour, written in batches. */
export interface ViewCounts {
  /** Count a view unless this viewer was counted on this auction within the hour; true when counted. */
  record(auction: AuctionId, viewer: string): boolean;
  /** Views counted and not written yet (added to what the store says). */
  unwritten(auction: AuctionId): number;
}

export interface MarketHttpDeps {
  catalogue: Catalogue;
  market: Market;
  images: ImageStore;
  /** True when the app serves image bytes itself (disk); false behind a CDN (S3). */
  serveImages: boolean;
  views: ViewCounts;
  auctions: MarketAuctions;
  /** Checks and details around auction create and edit (the auction routes call them). */
  listings: ListingHooks;
  auth: Authenticator;
  clock: Clock;
  upload: UploadOptions;
  bodyLimitBytes: number;
}

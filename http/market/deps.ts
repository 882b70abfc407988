// What the marketplace routes need: the marketplace's API, who is asking, and the upload limits (the
// server wires the real ones; tests may wire memory adapters).
import type { Authenticator } from '../../engine/accounts/identity.ts';
import type { ListingHooks, MarketApi } from '../../engine/market/api.ts';
import type { UploadOptions } from './multipart.ts';

export interface MarketHttpDeps {
  market: MarketApi;
  /** Checks and details around auction create and edit (the auction routes call them). */
  listings: ListingHooks;
  auth: Authenticator;
  /** True when the app serves image bytes itself (disk); false behind a CDN (S3). */
  serveImages: boolean;
  upload: UploadOptions;
  bodyLimitBytes: number;
}

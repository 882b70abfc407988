// What the web app's static route serves: the built files, in memory (web/build/bundle.ts makes them
// when the first page is asked for). The route never reads the disk, so no path can reach a file that
// is not one of these.

export interface WebAsset {
  /** The URL path, under /assets/, with the content's hash in the name (cached for a year). */
  path: string;
  type: string;
  body: Buffer;
  /** Precompressed once at build; null when gzip would not help (images). */
  gzip: Buffer | null;
}

export interface WebBundle {
  assets: ReadonlyMap<string, WebAsset>;
  /** The module scripts the page loads, in order. */
  scripts: readonly string[];
  styles: readonly string[];
  icon: string;
}

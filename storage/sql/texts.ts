// SQL texts of multi-row statements, built once per (kind, rows) and handed back as the same string, so
// the database's prepared-statement cache finds them by a string whose hash is already known.

export class SqlTexts {
  private readonly texts = new Map<string, string>();

  /** Batch sizes vary: the cache stays bounded by starting afresh when full. */
  constructor(private readonly max = 64) {}

  get(key: string, build: () => string): string {
    let s = this.texts.get(key);
    if (s === undefined) {
      s = build();
      if (this.texts.size >= this.max) this.texts.clear();
      this.texts.set(key, s);
    }
    return s;
  }
}

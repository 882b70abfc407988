// A histogram for the bid path. prom-client's Histogram costs about a microsecond per observation
// (it builds a label key and validates labels every time); this one costs a few array writes: each
// labelled series is a plain object made once, with one count per bucket. prom-client renders it at
// scrape time like its own, through the registry's public metric shape (`get()`).
import type { Registry } from 'prom-client';

export class Series {
  /** Per bucket, not cumulative: counts[i] holds values in (bounds[i-1], bounds[i]]; the last is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: Float64Array) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(v: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]) i++;
    this.counts[i]++;
    this.sum += v;
    this.count++;
  }
}

interface Value {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

export class FastHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bounds: Float64Array;
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    /** The one label of the series, or null for a single unlabelled series. */
    private readonly label: string | null,
    buckets: readonly number[],
    registry: Registry,
  ) {
    this.bounds = Float64Array.from(buckets);
    if (label === null) this.series.set('', new Series(this.bounds));
    // The registry takes any object with prom-client's metric shape (name, help, type, get).
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The series for one label value (made once: keep it). */
  labels(value: string): Series {
    let s = this.series.get(value);
    if (s === undefined) this.series.set(value, (s = new Series(this.bounds)));
    return s;
  }

  observe(v: number): void {
    this.labels('').observe(v);
  }

  reset(): void {
    for (const key of [...this.series.keys()]) this.series.set(key, new Series(this.bounds));
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Value[] }> {
    const values: Value[] = [];
    for (const [key, s] of this.series) {
      const own = this.label === null ? {} : { [this.label]: key };
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += s.counts[i];
        values.push({ value: acc, labels: { ...own, le: this.bounds[i] }, metricName: `${this.name}_bucket` });
      }
      values.push({ value: s.count, labels: { ...own, le: '+Inf' }, metricName: `${this.name}_bucket` });
      values.push({ value: s.sum, labels: own, metricName: `${this.name}_sum` });
      values.push({ value: s.count, labels: own, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

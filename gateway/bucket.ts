// Per-connection rate limit: a token bucket holding one second's worth of commands, refilled
// continuously. Real monotonic time, not the auction clock: a test's ManualClock must not freeze it.
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly perSecond: number, private readonly now: () => number = () => performance.now()) {
    this.tokens = perSecond;
    this.last = now();
  }

  /** Take one token; false when the bucket is empty. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((t - this.last) * this.perSecond) / 1000);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Counts refusals within a sliding one-second window: a client that keeps sending after being refused
 * more than `limit` times in a second is not listening and gets closed.
 */
export class Strikes {
  private count = 0;
  private since = 0;

  constructor(private readonly limit: number, private readonly now: () => number = () => performance.now()) {}

  /** Record one refusal; true when the client is over the limit. */
  hit(): boolean {
    const t = this.now();
    if (t - this.since > 1000) {
      this.since = t;
      this.count = 0;
    }
    return ++this.count > this.limit;
  }
}

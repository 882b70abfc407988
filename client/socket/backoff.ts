// Reconnect delays: capped exponential backoff with full jitter (a uniform draw from 0 to the cap of the
// attempt), so a crowd of clients cut off together by a restart spreads its reconnects over the whole
// window instead of arriving in waves.

export interface BackoffOptions {
  /** Upper bound of the first attempt's delay. */
  baseMs?: number;
  /** No delay exceeds this. */
  capMs?: number;
}

export class Backoff {
  readonly baseMs: number;
  readonly capMs: number;
  private attempt = 0;

  constructor(o: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.baseMs = o.baseMs ?? 250;
    this.capMs = o.capMs ?? 15_000;
  }

  /** The bound of attempt `n` (0-based): min(cap, base x 2^n). */
  bound(n: number): number {
    return Math.min(this.capMs, this.baseMs * 2 ** Math.min(n, 52));
  }

  /**
   * The delay before the next attempt, uniform in [floor, bound(attempt)] (floor 0: full jitter); each
   * call counts one attempt. A floor keeps a client the server pushed back from returning at once.
   */
  next(floorMs = 0): number {
    const bound = this.bound(this.attempt++);
    const floor = Math.min(floorMs, bound);
    return floor + Math.floor(this.random() * (bound - floor + 1));
  }

  /** Skip to the cap (the server asked us to slow down). */
  saturate(): void {
    this.attempt = Math.max(this.attempt, Math.ceil(Math.log2(this.capMs / this.baseMs)));
  }

  /** A connection worked: start over from the base. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}

// Outgoing frames pass a token bucket shaped like the server's per-socket limit (WS_COMMANDS_PER_SECOND
// with a one-second burst), so a client queues instead of being refused: a refused frame gets a
// RATE_LIMITED error without its rid, and a client that keeps going is closed with 4029. If the server
// is configured lower than we assumed and refuses anyway, the rate is halved.
import type { Timers } from './transport.ts';

export class SendQueue<F> {
  private tokens: number;
  private last: number;
  private readonly queue: F[] = [];
  private timer: unknown = null;
  private rate: number;

  constructor(
    perSecond: number,
    private readonly write: (frame: F) => void,
    private readonly now: () => number,
    private readonly timers: Timers,
  ) {
    this.rate = perSecond;
    this.tokens = perSecond;
    this.last = now();
  }

  get perSecond(): number {
    return this.rate;
  }

  get waiting(): number {
    return this.queue.length;
  }

  push(frame: F): void {
    this.queue.push(frame);
    this.pump();
  }

  /** The server refused a frame: send at half the rate from now on. */
  slowDown(): void {
    this.rate = Math.max(1, this.rate / 2);
    this.tokens = Math.min(this.tokens, 0);
  }

  /** The socket closed: what is queued is rebuilt from the client's state on the next open. */
  clear(): void {
    this.queue.length = 0;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.rate, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
  }

  private pump(): void {
    if (this.timer !== null) return;
    this.refill();
    while (this.queue.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.write(this.queue.shift() as F);
    }
    if (this.queue.length === 0) return;
    const wait = Math.ceil(((1 - this.tokens) * 1000) / this.rate);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.pump();
    }, wait);
  }
}

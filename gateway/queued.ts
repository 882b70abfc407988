// Bytes published to a socket that uWS has not delivered yet. uWS queues `app.publish` messages and
// hands them to the sockets when its loop drains (before and after polling for I/O), and before a
// direct send to that socket (not on a subscribe or unsubscribe); so getBufferedAmount() does not yet
// count what was published earlier in the same turn. The hub adds this estimate before deciding
// whether a frame fits.
//
// Time is cut into generations. A generation ends in a setImmediate scheduled from the previous one,
// so two consecutive ends lie in different loop iterations with a uWS drain between them: bytes
// published two generations ago are surely delivered. What was published in the current and the
// previous generation counts as queued (an upper bound). The chain stops two generations after the
// last publish, so an idle server schedules nothing.
export interface QueuedState {
  gen: number;
  cur: number;
  prev: number;
}

export const noneQueued = (): QueuedState => ({ gen: -2, cur: 0, prev: 0 });

export class QueuedBytes {
  private gen = 0;
  private lastPublish = -1;
  private ticking = false;

  /** Count `bytes` just published to a socket. */
  add(q: QueuedState, bytes: number): void {
    const g = this.gen;
    if (q.gen !== g) {
      q.prev = q.gen === g - 1 ? q.cur : 0;
      q.cur = 0;
      q.gen = g;
    }
    q.cur += bytes;
    this.lastPublish = g;
    if (!this.ticking) {
      this.ticking = true;
      setImmediate(this.step);
    }
  }

  /** Bytes that may still be queued for the socket. */
  get(q: QueuedState): number {
    if (q.gen === this.gen) return q.cur + q.prev;
    return q.gen === this.gen - 1 ? q.cur : 0;
  }

  /** Nothing is queued for the socket any more: a direct send delivered it, or leaving its topics dropped it. */
  delivered(q: QueuedState): void {
    q.cur = 0;
    q.prev = 0;
  }

  private readonly step = (): void => {
    this.gen++;
    if (this.gen - this.lastPublish <= 2) setImmediate(this.step);
    else this.ticking = false;
  };
}

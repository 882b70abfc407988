// Clocks. The engine reads time only through a Clock, so tests drive it and never sleep.
import type { Clock, Millis } from './kernel.ts';

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  constructor(private t: Millis = 0) {}
  now(): Millis {
    return this.t;
  }
  set(t: Millis): void {
    this.t = t;
  }
  advance(ms: Millis): void {
    this.t += ms;
  }
}

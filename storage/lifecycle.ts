// What every in-memory adapter shares: it answers while open, and refuses every call once closed, as a
// real store would after its connection is gone.
import { StoreUnavailableError } from './errors.ts';
import type { Lifecycle } from './auction/ports.ts';

export abstract class MemoryLifecycle implements Lifecycle {
  private closed = false;

  /** `what` names the adapter in the error, e.g. "the memory journal". */
  constructor(private readonly what: string) {}

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  protected assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError(`${this.what} is closed`);
  }
}

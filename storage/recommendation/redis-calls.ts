// How the Redis recommendation adapters talk to their one client: every failure (a refused command, a
// lost connection, a discarded transaction, a call after close) becomes StoreUnavailableError naming
// what was attempted, so callers see one error type whatever Redis did.
import type { ChainableCommander, Redis } from 'ioredis';
import { StoreUnavailableError } from '../auction/ports.ts';

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class RedisCalls {
  private closed = false;

  constructor(readonly redis: Redis) {}

  markClosed(): boolean {
    const was = this.closed;
    this.closed = true;
    return !was;
  }

  async call<T>(what: string, f: (redis: Redis) => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError('Redis recommendation store is closed');
    try {
      return await f(this.redis);
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      throw new StoreUnavailableError(`Redis recommendation store: ${what} failed: ${describe(err)}`, err);
    }
  }

  /** Run a pipeline or transaction built by `build`; the replies in order, or StoreUnavailableError. */
  exec(what: string, build: (redis: Redis) => ChainableCommander): Promise<unknown[]> {
    return this.call(what, async (redis) => {
      const res = await build(redis).exec();
      if (res === null) throw new StoreUnavailableError(`Redis recommendation store: ${what} failed: the transaction was discarded`);
      return res.map(([err, value]) => {
        if (err) throw new StoreUnavailableError(`Redis recommendation store: ${what} failed: ${describe(err)}`, err);
        return value;
      });
    });
  }
}

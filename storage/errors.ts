// The errors every storage adapter may throw, whatever its domain: callers catch these classes, never a
// driver's error.

/** The store did not take or answer the call (connection lost, lock wait timed out, closed...). */
export class StoreUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * A write whose statement did not affect the rows it expected (a version or seq that moved, a balance
 * that would go negative, a row claimed by someone else): none of the write is stored. The caller's view
 * is stale; it may read again and decide afresh.
 */
export class WriteConflictError extends Error {
  constructor(
    message: string,
    /** Which statement of the write (0-based) missed its expectation. */
    readonly statement: number,
    /** How many rows it affected. */
    readonly rows: number,
  ) {
    super(message);
    this.name = 'WriteConflictError';
  }
}

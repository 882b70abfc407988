// Money rules: whole won from 1 to 10^12, and the default increment table by price band.
import type { Won } from './kernel.ts';

export const MAX_AMOUNT = 1_000_000_000_000;

/** A valid amount is a safe integer number of won in [1, 10^12]; strings, floats, NaN and bigints are not. */
export function isAmount(v: unknown): v is Won {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_AMOUNT;
}

/**
 * Minimum raise when the seller sets no bid unit, by the standing price, like eBay's table scaled to
 * won: the raise stays near 1-5% of the price so that bids move meaningfully at every band.
 * Each row: [price below this, raise].
 */
export const INCREMENT_TABLE: ReadonlyArray<readonly [number, Won]> = [
  [10_000, 100],
  [50_000, 500],
  [100_000, 1_000],
  [500_000, 5_000],
  [1_000_000, 10_000],
  [5_000_000, 50_000],
  [10_000_000, 100_000],
  [Infinity, 500_000],
];

export function defaultIncrement(price: Won): Won {
  for (const [below, raise] of INCREMENT_TABLE) if (price < below) return raise;
  return 500_000; // unreachable: the last row is unbounded
}

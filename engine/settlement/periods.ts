// Settlement periods: a day in Asia/Seoul, `YYYY-MM-DD`. Its cutoff is the end of that day, Seoul time.
// Seoul keeps UTC+9 all year (no daylight saving since 1988), so the offset is a constant.
import type { Millis } from '../kernel.ts';
import type { Period } from './model.ts';

export const SEOUL_OFFSET_MS = 9 * 3_600_000;
const DAY = 86_400_000;

export type PeriodProblem = 'PERIOD_INVALID' | 'PERIOD_NOT_ENDED';

/** Midnight at the start of the period's day, Seoul time, as epoch ms; null when it is not a real date. */
function startOf(period: unknown): Millis | null {
  if (typeof period !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(period);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 2000 || y > 9999) return null;
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return utc - SEOUL_OFFSET_MS;
}

/** The period's cutoff: orders confirmed strictly before it belong to it. */
export function cutoffOf(period: Period): Millis {
  const s = startOf(period);
  if (s === null) throw new RangeError(`not a period: ${period}`);
  return s + DAY;
}

/** The Seoul day that contains `at`. */
export function periodAt(at: Millis): Period {
  return new Date(at + SEOUL_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last period that has ended by `now` (yesterday, Seoul time). */
export function lastEndedPeriod(now: Millis): Period {
  return periodAt(now - DAY);
}

/** Why a period cannot be run at `now`, or null: malformed or not a date, or not over yet. */
export function periodProblem(period: unknown, now: Millis): PeriodProblem | null {
  const s = startOf(period);
  if (s === null) return 'PERIOD_INVALID';
  return s + DAY > now ? 'PERIOD_NOT_ENDED' : null;
}

// A small cron: five fields (minute hour day-of-month month day-of-week), each `*`, a number, a range
// `a-b`, a step `*/n` or `a-b/n`, or a list of those; read in Asia/Seoul. As in cron, when both
// day-of-month and day-of-week are restricted a day matching either runs. Pure: parse once, then ask
// for the next occurrence after a time.
import type { Millis } from '../kernel.ts';
import { SEOUL_OFFSET_MS } from './periods.ts';

export interface CronSchedule {
  readonly source: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly anyDay: boolean;
  readonly anyWeekday: boolean;
}

const FIELDS: ReadonlyArray<readonly [string, number, number]> = [
  ['minute', 0, 59], ['hour', 0, 23], ['day of month', 1, 31], ['month', 1, 12], ['day of week', 0, 7],
];

function field(text: string, name: string, lo: number, hi: number): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (m === null) throw new RangeError(`cron ${name}: cannot read "${part}"`);
    const from = m[1] === '*' ? lo : Number(m[2]);
    const to = m[1] === '*' ? hi : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? hi : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < lo || to > hi || from > to) throw new RangeError(`cron ${name}: ${part} is outside ${lo}-${hi}`);
    if (step < 1) throw new RangeError(`cron ${name}: step must be at least 1`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** Parse a five-field expression; throws RangeError naming the field it cannot read. */
export function parseCron(source: string): CronSchedule {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) throw new RangeError(`cron: expected 5 fields (minute hour day month weekday), got ${parts.length}`);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => field(p, FIELDS[i][0], FIELDS[i][1], FIELDS[i][2]));
  if (weekdays.has(7)) weekdays.add(0); // 7 is Sunday too
  return { source, minutes, hours, days, months, weekdays, anyDay: parts[2] === '*', anyWeekday: parts[4] === '*' };
}

function dayMatches(c: CronSchedule, d: Date): boolean {
  const dom = c.days.has(d.getUTCDate());
  const dow = c.weekdays.has(d.getUTCDay());
  if (c.anyDay && c.anyWeekday) return true;
  if (c.anyDay) return dow;
  if (c.anyWeekday) return dom;
  return dom || dow;
}

/** The first minute strictly after `after` the schedule names, or null when none within ~5 years (e.g. 31 February). */
export function nextOccurrence(c: CronSchedule, after: Millis): Millis | null {
  // Work on Seoul wall time expressed as UTC fields.
  const d = new Date(Math.floor((after + SEOUL_OFFSET_MS) / 60_000) * 60_000 + 60_000);
  const limit = d.getTime() + 5 * 366 * 86_400_000;
  while (d.getTime() < limit) {
    if (!c.months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(c, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!c.hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
    } else if (!c.minutes.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
    } else {
      return d.getTime() - SEOUL_OFFSET_MS;
    }
  }
  return null;
}

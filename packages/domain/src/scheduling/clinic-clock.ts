import { DateTime, IANAZone } from 'luxon';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Far enough either side of a wall-clock time to see the offsets before and after any transition near it. */
const TRANSITION_WINDOW = 30 * HOUR;

const mod = (n: number, m: number): number => ((n % m) + m) % m;

/**
 * The clinic's clock: converts between instants (epoch ms) and its local wall-clock.
 *
 * DST policy (deliberate, used for every wall-clock boundary: rule starts/ends, closure days):
 * a local time resolves to **the first instant at which the clinic's clock reads that time
 * or later**.
 * - Spring forward (gap): 02:30 on 2026-03-08 in New York never shows, so it resolves to the
 *   moment the clock jumps, 03:00 EDT. A 02:00–02:30 rule that day is empty and dropped; a
 *   02:30–04:00 rule becomes 03:00–04:00. (Luxon alone would shift to 03:30.)
 * - Fall back (repeated hour): 01:30 on 2026-11-01 shows twice; the first one (EDT) is used,
 *   so 00:30–01:30 lasts one real hour and 01:00–03:00 lasts three. (Luxon alone picks the second.)
 * The mapping is monotonic, so a rule with start < end never turns into an inverted interval.
 *
 * Offsets are memoised per UTC hour: a slot search asks for the same few offsets thousands of
 * times and each Intl lookup costs microseconds. Assumes at most one transition per hour and
 * per 60 hours, true of every real zone.
 */
export class ClinicClock {
  private readonly zone: IANAZone;
  private readonly hourlyOffsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.zone = IANAZone.create(timeZone);
    if (!this.zone.isValid) throw new RangeError(`unknown time zone: ${timeZone}`);
  }

  /** UTC offset in minutes at that instant. */
  offsetMinutes(epochMs: number): number {
    const hour = Math.floor(epochMs / HOUR);
    let offset = this.hourlyOffsets.get(hour);
    if (offset === undefined) {
      const atStart = this.zone.offset(hour * HOUR);
      offset = atStart === this.zone.offset(hour * HOUR + HOUR - 1) ? atStart : Number.NaN;
      this.hourlyOffsets.set(hour, offset);
    }
    // NaN marks the hour a transition happens in: ask the zone directly.
    return Number.isNaN(offset) ? this.zone.offset(epochMs) : offset;
  }

  /** Local calendar date (`YYYY-MM-DD`) at that instant. */
  localDate(epochMs: number): string {
    return new Date(epochMs + this.offsetMinutes(epochMs) * MINUTE).toISOString().slice(0, 10);
  }

  /** Whether the local clock shows a whole multiple of `gridMinutes` (09:15 on a 15-minute grid). */
  isOnGrid(epochMs: number, gridMinutes: number): boolean {
    return (
      mod(epochMs, MINUTE) === 0 &&
      mod(epochMs / MINUTE + this.offsetMinutes(epochMs), gridMinutes) === 0
    );
  }

  /** The first instant at or after `epochMs` whose local time lies on the grid. */
  nextOnGrid(epochMs: number, gridMinutes: number): number {
    let t = Math.ceil(epochMs / MINUTE) * MINUTE;
    for (;;) {
      const behind = mod(t / MINUTE + this.offsetMinutes(t), gridMinutes);
      if (behind === 0) return t;
      t += (gridMinutes - behind) * MINUTE;
    }
  }

  /**
   * The instant of local `date` at `minutesOfDay` (0–1440; 1440 is the next midnight),
   * following the DST policy above.
   */
  instantAt(date: string, minutesOfDay: number): number {
    const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
    const wall = Date.UTC(year, month - 1, day) + minutesOfDay * MINUTE;
    const before = this.offsetMinutes(wall - TRANSITION_WINDOW);
    const after = this.offsetMinutes(wall + TRANSITION_WINDOW);
    const readings = [wall - before * MINUTE, wall - after * MINUTE].filter(
      (t) => wall === t + this.offsetMinutes(t) * MINUTE,
    );
    if (readings.length > 0) return Math.min(...readings); // earliest when repeated
    // In a gap: find the transition itself, the first instant reading later than `wall`.
    let lo = Math.min(wall - before * MINUTE, wall - after * MINUTE);
    let hi = Math.max(wall - before * MINUTE, wall - after * MINUTE);
    const offsetAfter = this.offsetMinutes(hi);
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (this.offsetMinutes(mid) === offsetAfter) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}

export interface CalendarDay {
  date: string;
  /** ISO weekday, Monday = 1. */
  weekday: number;
}

/** Every calendar date from `fromDate` to `toDate`, both included. */
export function calendarDays(fromDate: string, toDate: string): CalendarDay[] {
  const days: CalendarDay[] = [];
  const last = DateTime.fromISO(toDate, { zone: 'utc' });
  for (let d = DateTime.fromISO(fromDate, { zone: 'utc' }); d <= last; d = d.plus({ days: 1 })) {
    days.push({ date: d.toISODate() ?? '', weekday: d.weekday });
  }
  return days;
}

/** The calendar date after `date`. */
export function nextDate(date: string): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days: 1 }).toISODate() ?? date;
}

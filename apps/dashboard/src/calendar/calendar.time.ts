import { zoneAbbreviation } from '@tautline/domain';
import { DateTime } from 'luxon';

/**
 * react-big-calendar lays events out on the browser's clock (its luxon localizer reads
 * `Settings.defaultZone`). Rather than change that global for the whole app, the calendar works in
 * "floating" dates: a JS Date whose browser-local wall clock reads what the clinic's clock reads.
 * Instants go in through `toFloating` and come back out through `fromFloating`.
 */
export function toFloating(instant: string | Date, zone: string): Date {
  const at =
    typeof instant === 'string'
      ? DateTime.fromISO(instant, { zone })
      : DateTime.fromJSDate(instant, { zone });
  return at.setZone('local', { keepLocalTime: true }).toJSDate();
}

export function fromFloating(date: Date, zone: string): DateTime {
  return DateTime.fromJSDate(date).setZone(zone, { keepLocalTime: true });
}

/** "09:00" on the clinic's clock. */
export function clinicTime(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone }).toFormat('HH:mm');
}

/** "Tue 12 May 2026, 09:00 BST" on the clinic's clock, zone named. */
export function clinicDateTime(instant: string, zone: string): string {
  const local = DateTime.fromISO(instant, { zone }).setLocale('en-GB');
  return `${local.toFormat('ccc d LLL yyyy, HH:mm')} ${zoneAbbreviation(local, 'en-GB')}`;
}

/** "Times in Europe/London (GMT)"; two abbreviations when the range crosses a change of clock. */
export function zoneLabel(zone: string, from: DateTime, to: DateTime): string {
  const a = zoneAbbreviation(from.setZone(zone).setLocale('en-GB'), 'en-GB');
  const b = zoneAbbreviation(
    to.setZone(zone).minus({ milliseconds: 1 }).setLocale('en-GB'),
    'en-GB',
  );
  return `Times in ${zone} (${a === b ? a : `${a} / ${b}`})`;
}

export type CalendarRange = 'day' | 'week';

/** The instants the calendar shows: the clinic's local day, or its Monday-to-Sunday week. */
export function visibleRange(
  date: string,
  range: CalendarRange,
  zone: string,
): { from: DateTime; to: DateTime } {
  const day = DateTime.fromISO(date, { zone }).startOf('day');
  const from = range === 'day' ? day : day.startOf('week');
  return { from, to: from.plus(range === 'day' ? { days: 1 } : { weeks: 1 }) };
}

/** Today in the clinic, "2026-05-12". */
export function clinicToday(zone: string, now = new Date()): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() ?? now.toISOString().slice(0, 10);
}

/** Moves an ISO date by whole days or weeks. */
export function shiftDate(date: string, range: CalendarRange, steps: number): string {
  const d = DateTime.fromISO(date, { zone: 'UTC' }).plus(
    range === 'day' ? { days: steps } : { weeks: steps },
  );
  return d.toISODate() ?? date;
}

/** London wall-clock helpers for browser tests (Intl instead of luxon, which tests/ does not depend on). */
export const DAY_MS = 24 * 3_600_000;

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function londonParts(at: number) {
  const parts = Object.fromEntries(
    LONDON.formatToParts(new Date(at)).map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? '') + 1,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/**
 * A wall-clock time in Europe/London on a weekday (1 = Monday) at least `weeksAhead` weeks from
 * now, like `upcoming()` of apps/api/src/scheduling/testing/booking-fixture.ts. Demo hours are
 * Mon–Fri 08:00–12:00 and 13:00–18:00 London.
 */
export function upcomingInLondon(weekday: number, time: string, weeksAhead = 1): Date {
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  let at = Date.now() + weeksAhead * 7 * DAY_MS;
  while (londonParts(at).weekday !== weekday) at += DAY_MS;
  const { year, month, day } = londonParts(at);
  // London is UTC or UTC+1: read back the wall clock of the UTC guess and shift by the difference.
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  return new Date(guess - (londonParts(guess).minutes - (hour * 60 + minute)) * 60_000);
}

/** "2026-05-12": the London date of an instant, as the calendar's date control takes it. */
export function londonDate(at: Date): string {
  const { year, month, day } = londonParts(at.getTime());
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

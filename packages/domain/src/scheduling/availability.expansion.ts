import type {
  Availability,
  AvailabilityInterval,
  WeeklyAvailabilityRule,
} from './availability.schemas';
import { minutesOfDay, toEpochMs, toIsoUtc } from './calendar.schemas';
import { ClinicClock, calendarDays, nextDate } from './clinic-clock';
import { mergeRanges, subtractRanges, type TimeRange } from './time-range';

/** The clinic whose local time the rules are written in. */
export interface ClinicTime {
  id: string;
  timeZone: string;
}

interface ExpandedRule extends TimeRange {
  practitionerId: string;
  date: string;
}

function expandOnClock(
  rules: readonly WeeklyAvailabilityRule[],
  clinicId: string,
  clock: ClinicClock,
  fromDate: string,
  toDate: string,
): ExpandedRule[] {
  const expanded: ExpandedRule[] = [];
  const ownRules = rules.filter((r) => r.clinicId === clinicId);
  for (const { date, weekday } of calendarDays(fromDate, toDate)) {
    for (const rule of ownRules) {
      if (rule.weekday !== weekday || date < rule.effectiveFrom) continue;
      if (rule.effectiveTo !== null && date > rule.effectiveTo) continue;
      // Local wall-clock → instant on this very day, so 09:00 stays 09:00 across DST changes.
      const start = clock.instantAt(date, minutesOfDay(rule.start));
      const end = clock.instantAt(date, minutesOfDay(rule.end));
      // Only a rule lying wholly inside a spring-forward gap comes out empty.
      if (start < end) expanded.push({ practitionerId: rule.practitionerId, date, start, end });
    }
  }
  return expanded.sort(
    (a, b) => a.start - b.start || a.practitionerId.localeCompare(b.practitionerId),
  );
}

/**
 * The clinic's weekly rules made concrete for every local date from `fromDate` to `toDate`
 * (both included), as UTC instants. Rules of other clinics are ignored.
 */
export function expandWeeklyRules(
  rules: readonly WeeklyAvailabilityRule[],
  clinic: ClinicTime,
  range: { fromDate: string; toDate: string },
): AvailabilityInterval[] {
  const clock = new ClinicClock(clinic.timeZone);
  return expandOnClock(rules, clinic.id, clock, range.fromDate, range.toDate).map((r) => ({
    practitionerId: r.practitionerId,
    clinicId: clinic.id,
    date: r.date,
    start: toIsoUtc(r.start),
    end: toIsoUtc(r.end),
  }));
}

/** Instants the clinic is shut, whole local days included. */
export function closedTime(
  availability: Availability,
  clinicId: string,
  clock: ClinicClock,
): TimeRange[] {
  return availability.closures
    .filter((c) => c.clinicId === clinicId)
    .map((c) =>
      'date' in c
        ? { start: clock.instantAt(c.date, 0), end: clock.instantAt(nextDate(c.date), 0) }
        : { start: toEpochMs(c.start), end: toEpochMs(c.end) },
    );
}

/**
 * When each practitioner can see patients at the clinic within `[from, to)`:
 * (weekly rules ∪ extra hours) − time off − clinic closures. Time off wins over extra hours;
 * closures win over everything. Each list is sorted and merged.
 */
export function workingTimeByPractitioner(
  availability: Availability,
  clinic: ClinicTime,
  range: { from: number; to: number },
  clock: ClinicClock = new ClinicClock(clinic.timeZone),
): Map<string, TimeRange[]> {
  const working = new Map<string, TimeRange[]>();
  const timeOff = new Map<string, TimeRange[]>();
  const add = (into: Map<string, TimeRange[]>, practitionerId: string, r: TimeRange): void => {
    const list = into.get(practitionerId) ?? [];
    list.push({ start: r.start, end: r.end });
    into.set(practitionerId, list);
  };

  const fromDate = clock.localDate(range.from);
  const toDate = clock.localDate(range.to);
  for (const r of expandOnClock(availability.rules, clinic.id, clock, fromDate, toDate))
    add(working, r.practitionerId, r);

  for (const e of availability.exceptions) {
    const span = { start: toEpochMs(e.start), end: toEpochMs(e.end) };
    if (e.kind === 'extra_hours' && e.clinicId === clinic.id) add(working, e.practitionerId, span);
    // Time off without a clinic means the practitioner is away from all of them.
    if (e.kind === 'time_off' && (e.clinicId === undefined || e.clinicId === clinic.id))
      add(timeOff, e.practitionerId, span);
  }

  const closed = closedTime(availability, clinic.id, clock);
  const result = new Map<string, TimeRange[]>();
  for (const [practitionerId, ranges] of working) {
    const outside = [
      { start: Number.NEGATIVE_INFINITY, end: range.from },
      { start: range.to, end: Number.POSITIVE_INFINITY },
    ];
    const cuts = [...(timeOff.get(practitionerId) ?? []), ...closed, ...outside];
    const free = subtractRanges(mergeRanges(ranges), cuts);
    if (free.length > 0) result.set(practitionerId, free);
  }
  return result;
}

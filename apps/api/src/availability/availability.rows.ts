import { type AvailabilityRuleEntity } from '@tautline/db';
import {
  type AvailabilityExceptionView,
  type AvailabilityRuleView,
  type ClinicClosureView,
} from '@tautline/domain';

/**
 * Row shapes of the availability tables as the raw queries here select them: a `tstzrange` is
 * read as `lower(during) AS starts_at, upper(during) AS ends_at`, so pg hands back Dates.
 */
export interface ExceptionRow {
  id: string;
  practitioner_id: string;
  clinic_id: string | null;
  kind: 'time_off' | 'extra_hours';
  starts_at: Date;
  ends_at: Date;
  reason: string | null;
}

export interface ClosureRow {
  id: string;
  clinic_id: string;
  starts_at: Date;
  ends_at: Date;
  reason: string;
}

export const EXCEPTION_COLUMNS = `e.id, e.practitioner_id, e.clinic_id, e.kind, lower(e.during) AS starts_at, upper(e.during) AS ends_at, e.reason`;
export const CLOSURE_COLUMNS = `c.id, c.clinic_id, lower(c.during) AS starts_at, upper(c.during) AS ends_at, c.reason`;

/** PostgreSQL answers `time` as `HH:mm:ss`; the domain speaks `HH:mm`. */
const hhmm = (time: string): string => time.slice(0, 5);

export function toRuleView(row: AvailabilityRuleEntity): AvailabilityRuleView {
  return {
    id: row.id,
    practitionerId: row.practitionerId,
    clinicId: row.clinicId,
    weekday: row.weekday,
    start: hhmm(row.startTime),
    end: hhmm(row.endTime),
    effectiveFrom: row.effectiveFrom,
    effectiveTo: row.effectiveTo,
  };
}

export function toExceptionView(row: ExceptionRow): AvailabilityExceptionView {
  return {
    id: row.id,
    practitionerId: row.practitioner_id,
    ...(row.clinic_id === null ? {} : { clinicId: row.clinic_id }),
    kind: row.kind,
    start: row.starts_at.toISOString(),
    end: row.ends_at.toISOString(),
    reason: row.reason,
  };
}

export function toClosureView(row: ClosureRow): ClinicClosureView {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    start: row.starts_at.toISOString(),
    end: row.ends_at.toISOString(),
    reason: row.reason,
  };
}

/** `YYYY-MM-DD` (UTC) of an instant moved by whole days: wide enough for any clinic's local date. */
export function utcDateShifted(instant: Date, days: number): string {
  return new Date(instant.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

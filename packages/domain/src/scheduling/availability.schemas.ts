import { z } from 'zod';
import {
  CalendarDate,
  EntityId,
  Instant,
  WallClockTime,
  minutesOfDay,
  toEpochMs,
} from './calendar.schemas';
import { text } from '../text.schemas';

/**
 * A weekly working interval in the clinic's local wall-clock time (Key decision 1).
 * Several rules may share a weekday (09:00–12:00 and 13:00–17:00). An interval stays
 * within one local day: clinics do not run overnight.
 */
export const WeeklyAvailabilityRule = z
  .object({
    practitionerId: EntityId,
    clinicId: EntityId,
    /** ISO weekday, Monday = 1 … Sunday = 7. */
    weekday: z.number().int().min(1).max(7),
    start: WallClockTime,
    end: WallClockTime,
    effectiveFrom: CalendarDate,
    /** Last local day the rule applies (inclusive); null while open-ended. */
    effectiveTo: CalendarDate.nullable(),
  })
  .refine((r) => minutesOfDay(r.start) < minutesOfDay(r.end), {
    message: 'end must be after start',
    path: ['end'],
  })
  .refine((r) => r.effectiveTo === null || r.effectiveTo >= r.effectiveFrom, {
    message: 'effectiveTo must not be before effectiveFrom',
    path: ['effectiveTo'],
  });
export type WeeklyAvailabilityRule = z.infer<typeof WeeklyAvailabilityRule>;

export const AVAILABILITY_EXCEPTION_KINDS = ['time_off', 'extra_hours'] as const;

/**
 * A one-off change to the weekly pattern, as real instants. Time off without a clinic
 * applies at every clinic; extra hours must say where they are worked.
 */
export const AvailabilityException = z
  .object({
    practitionerId: EntityId,
    clinicId: EntityId.optional(),
    kind: z.enum(AVAILABILITY_EXCEPTION_KINDS),
    start: Instant,
    end: Instant,
  })
  .refine((e) => toEpochMs(e.start) < toEpochMs(e.end), {
    message: 'end must be after start',
    path: ['end'],
  })
  .refine((e) => e.kind !== 'extra_hours' || e.clinicId !== undefined, {
    message: 'extra hours must name the clinic they are worked at',
    path: ['clinicId'],
  });
export type AvailabilityException = z.infer<typeof AvailabilityException>;

/** The clinic is shut for a whole local day (bank holiday) or for a period (burst pipe). */
export const ClinicClosure = z.union([
  z.object({ clinicId: EntityId, date: CalendarDate, reason: text({ max: 200 }) }).strict(),
  z
    .object({
      clinicId: EntityId,
      start: Instant,
      end: Instant,
      reason: text({ max: 200 }),
    })
    .strict()
    .refine((c) => toEpochMs(c.start) < toEpochMs(c.end), {
      message: 'end must be after start',
      path: ['end'],
    }),
]);
export type ClinicClosure = z.infer<typeof ClinicClosure>;

export const Availability = z.object({
  rules: z.array(WeeklyAvailabilityRule),
  exceptions: z.array(AvailabilityException),
  closures: z.array(ClinicClosure),
});
export type Availability = z.infer<typeof Availability>;

/** A weekly rule made concrete on one local day, as UTC instants. */
export const AvailabilityInterval = z.object({
  practitionerId: EntityId,
  clinicId: EntityId,
  date: CalendarDate,
  start: Instant,
  end: Instant,
});
export type AvailabilityInterval = z.infer<typeof AvailabilityInterval>;

import { z } from 'zod';

/** Ids as stored in PostgreSQL. */
export const EntityId = z.uuid();

/**
 * The years any date or instant of ours may fall in. Wider is nonsense for a clinic (and year 0000
 * or 9999 plus an offset breaks PostgreSQL and date arithmetic): a 400, not a 500.
 */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2200;
const EARLIEST_MS = Date.UTC(EARLIEST_YEAR, 0, 1);
const AFTER_LATEST_MS = Date.UTC(LATEST_YEAR + 1, 0, 1);
const YEAR_RANGE = { message: `must be between ${EARLIEST_YEAR} and ${LATEST_YEAR}` };
/** A malformed value already has its own issue; only a well-formed one is judged by its year. */
const withinYears = (ms: number) => Number.isNaN(ms) || (ms >= EARLIEST_MS && ms < AFTER_LATEST_MS);

/** A moment in time, ISO 8601 with an explicit offset (`Z` or `+01:00`); never a floating local time. */
export const Instant = z.iso
  .datetime({ offset: true })
  .refine((v) => withinYears(Date.parse(v)), YEAR_RANGE);
export type Instant = z.infer<typeof Instant>;

/** A calendar day (`2026-03-08`), read in the clinic's zone wherever it meets an instant. */
export const CalendarDate = z.iso
  .date()
  .refine((v) => withinYears(Date.parse(`${v}T00:00:00Z`)), YEAR_RANGE);
export type CalendarDate = z.infer<typeof CalendarDate>;

/** A local wall-clock time of day, `HH:mm`, 00:00–23:59. */
export const WallClockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time of day as HH:mm' });
export type WallClockTime = z.infer<typeof WallClockTime>;

/** Minutes after local midnight of an `HH:mm` time. */
export function minutesOfDay(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/** `from ≤ to` when both ends are given (a refinement for every range query; reported on `to`). */
export const fromNotAfterTo = (r: { from?: string | undefined; to?: string | undefined }) =>
  r.from === undefined || r.to === undefined || Date.parse(r.from) <= Date.parse(r.to);
export const FROM_NOT_AFTER_TO = { message: 'must not be before from', path: ['to'] };

/** Epoch milliseconds of an ISO instant (validated by `Instant` at the boundary). */
export function toEpochMs(instant: string): number {
  return Date.parse(instant);
}

/** ISO UTC form used for every instant the engine hands back. */
export function toIsoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

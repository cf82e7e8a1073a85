import { z } from 'zod';

/** Ids as stored in PostgreSQL. */
export const EntityId = z.uuid();

/** A moment in time, ISO 8601 with an explicit offset (`Z` or `+01:00`); never a floating local time. */
export const Instant = z.iso.datetime({ offset: true });
export type Instant = z.infer<typeof Instant>;

/** A calendar day (`2026-03-08`), read in the clinic's zone wherever it meets an instant. */
export const CalendarDate = z.iso.date();
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

/** Epoch milliseconds of an ISO instant (validated by `Instant` at the boundary). */
export function toEpochMs(instant: string): number {
  return Date.parse(instant);
}

/** ISO UTC form used for every instant the engine hands back. */
export function toIsoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

import { z } from 'zod';
import { AppointmentStatus } from './scheduling/appointment.state-machine';
import { EntityId, Instant } from './scheduling/calendar.schemas';
import { countParam } from './params.schemas';
import { printable, text } from './text.schemas';
import { SLOT_PAGE_MAX, SlotCursorParam } from './scheduling/slot-page';
import { MAX_SLOT_SEARCH_DAYS, SLOT_GRID_MINUTES, Slot } from './scheduling/slot-search.schemas';

/** REST contracts of slot search and booking; the dashboard and patient pages use the same. */

export const SlotQuery = z
  .strictObject({
    clinicId: EntityId,
    appointmentTypeId: EntityId,
    from: Instant,
    to: Instant,
    practitionerId: EntityId.optional(),
    patientId: EntityId.optional(),
    grid: countParam({ min: 1, max: 60 }).pipe(z.literal(SLOT_GRID_MINUTES)).optional(),
    /** Slots per answer (default `SLOT_PAGE_DEFAULT`). */
    limit: countParam({ min: 1, max: SLOT_PAGE_MAX }).optional(),
    /** `nextCursor` of the previous answer: continue right after its last slot. */
    cursor: SlotCursorParam.optional(),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), {
    message: 'must be after from',
    path: ['to'],
  })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_SLOT_SEARCH_DAYS * 86_400_000, {
    message: `the search may span at most ${MAX_SLOT_SEARCH_DAYS} days`,
    path: ['to'],
  });
export type SlotQuery = z.infer<typeof SlotQuery>;

export const SlotList = z.object({
  timeZone: z.string(),
  gridMinutes: z.number(),
  slots: z.array(Slot),
  /** More slots follow in the window: ask again with `cursor` set to this. Null on the last page. */
  nextCursor: z.string().nullable().default(null),
});
export type SlotList = z.infer<typeof SlotList>;

// Control characters are checked before trimming, which would silently drop a trailing \v.
const OverrideReason = printable(z.string(), { multiline: true })
  .trim()
  .min(10, 'give the clinical reason (10 characters or more)')
  .max(2000);

export const CreateAppointmentRequest = z.strictObject({
  clinicId: EntityId,
  patientId: EntityId,
  practitionerId: EntityId,
  /** Omitted: the first free room that suits the appointment type. */
  roomId: EntityId.optional(),
  appointmentTypeId: EntityId,
  start: Instant,
  /** Accepts the patient's relative contraindications; only roles with `screening.override`. */
  screeningOverride: z.strictObject({ reason: OverrideReason }).optional(),
});
export type CreateAppointmentRequest = z.infer<typeof CreateAppointmentRequest>;

export const Appointment = z.object({
  id: EntityId,
  clinicId: EntityId,
  patientId: EntityId,
  practitionerId: EntityId,
  roomId: EntityId,
  appointmentTypeId: EntityId,
  start: Instant,
  end: Instant,
  bufferBeforeMinutes: z.number().int(),
  bufferAfterMinutes: z.number().int(),
  status: AppointmentStatus,
  version: z.number().int(),
  seriesId: EntityId.nullable(),
  screeningOverrideReason: z.string().nullable(),
  cancelledReason: z.string().nullable(),
  /** Set when the patient asked for another time (SMS reply R); cleared when it moves. */
  rescheduleRequestedAt: Instant.nullable(),
  createdAt: Instant,
  updatedAt: Instant,
  /**
   * In the answer to a cancel, move or status change: its reminders this change withdrew, and
   * those that had already gone out (a send in flight is waited for, then counted here).
   */
  reminders: z.object({ withdrawn: z.number().int(), alreadySent: z.number().int() }).optional(),
});
export type Appointment = z.infer<typeof Appointment>;

export const RescheduleRequest = z.strictObject({
  /** The version the caller saw: a stale one is refused with 409 instead of overwriting a colleague. */
  version: z.number().int().min(1),
  start: Instant,
  practitionerId: EntityId.optional(),
  roomId: EntityId.optional(),
});
export type RescheduleRequest = z.infer<typeof RescheduleRequest>;

export const CancelRequest = z.strictObject({
  version: z.number().int().min(1).optional(),
  reason: text({ max: 500 }),
});
export type CancelRequest = z.infer<typeof CancelRequest>;

export const StatusChangeRequest = z.strictObject({ version: z.number().int().min(1).optional() });
export type StatusChangeRequest = z.infer<typeof StatusChangeRequest>;

export const SeriesRequest = CreateAppointmentRequest.extend({
  occurrences: z.number().int().min(2).max(52),
  everyWeeks: z.number().int().min(1).max(4).default(1),
  /** `all_or_nothing`: any conflict books nothing; `book_what_fits`: conflicts are skipped. */
  mode: z.enum(['all_or_nothing', 'book_what_fits']).default('all_or_nothing'),
});
export type SeriesRequest = z.infer<typeof SeriesRequest>;

export const SeriesOccurrence = z.discriminatedUnion('outcome', [
  z.object({ start: Instant, outcome: z.literal('booked'), appointment: Appointment }),
  z.object({
    start: Instant,
    outcome: z.literal('conflict'),
    resource: z.enum(['practitioner', 'room', 'patient', 'availability', 'screening']),
    conflictingAppointmentId: EntityId.nullable(),
    detail: z.string(),
  }),
]);
export const SeriesResult = z.object({
  seriesId: EntityId.nullable(),
  occurrences: z.array(SeriesOccurrence),
});
export type SeriesResult = z.infer<typeof SeriesResult>;

/** Calendar reads: one clinic (or room, practitioner, patient) over at most 31 days. */
export const AppointmentListQuery = z
  .strictObject({
    clinicId: EntityId.optional(),
    roomId: EntityId.optional(),
    practitionerId: EntityId.optional(),
    patientId: EntityId.optional(),
    from: Instant,
    to: Instant,
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), {
    message: 'must be after from',
    path: ['to'],
  })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_SLOT_SEARCH_DAYS * 86_400_000, {
    message: `at most ${MAX_SLOT_SEARCH_DAYS} days`,
    path: ['to'],
  });
export type AppointmentListQuery = z.infer<typeof AppointmentListQuery>;

export type AppointmentChange =
  | 'created'
  | 'rescheduled'
  | 'cancelled'
  | 'status_changed'
  | 'reschedule_requested';

/** `appointment.changed`: ids and times only; calendars fetch names through the API. */
export interface AppointmentChangedEvent {
  change: AppointmentChange;
  appointment: Appointment;
}

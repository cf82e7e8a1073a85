import { z } from 'zod';
import { TimeZone } from '../time-zone';
import { AppointmentStatus } from './appointment.state-machine';
import { Availability } from './availability.schemas';
import { EntityId, Instant, toEpochMs } from './calendar.schemas';
import { AppointmentType, Practitioner, Room } from './resources.schemas';
import { PatientScreening } from './screening.schemas';

export const SLOT_GRID_MINUTES = [5, 10, 15] as const;
export const DEFAULT_SLOT_GRID_MINUTES = 15;
/** Longest search window: keeps one request's work bounded. */
export const MAX_SLOT_SEARCH_DAYS = 31;

/** An appointment already in the diary, as the engine needs it (any clinic, any status). */
export const ExistingBooking = z
  .object({
    id: EntityId,
    practitionerId: EntityId,
    roomId: EntityId,
    patientId: EntityId,
    start: Instant,
    end: Instant,
    bufferBeforeMinutes: z.number().int().min(0),
    bufferAfterMinutes: z.number().int().min(0),
    status: AppointmentStatus,
  })
  .refine((b) => toEpochMs(b.start) < toEpochMs(b.end), {
    message: 'end must be after start',
    path: ['end'],
  });
export type ExistingBooking = z.infer<typeof ExistingBooking>;

export const SlotSearchInput = z
  .object({
    clinic: z.object({ id: EntityId, timeZone: TimeZone }),
    appointmentType: AppointmentType,
    /** Slots starting in `[from, to)` are returned. */
    from: Instant,
    to: Instant,
    gridMinutes: z.literal(SLOT_GRID_MINUTES).optional(),
    practitioners: z.array(Practitioner),
    rooms: z.array(Room),
    availability: Availability,
    /** Every booking that may clash: the clinic's and those of its practitioners and the patient elsewhere. */
    bookings: z.array(ExistingBooking),
    practitionerId: EntityId.optional(),
    patient: z.object({ id: EntityId, screening: PatientScreening }).optional(),
    /** The appointment being moved, when rescheduling: its own time does not block it. */
    ignoreBookingId: EntityId.optional(),
    now: Instant,
  })
  .refine((i) => toEpochMs(i.from) < toEpochMs(i.to), {
    message: 'to must be after from',
    path: ['to'],
  })
  .refine((i) => toEpochMs(i.to) - toEpochMs(i.from) <= MAX_SLOT_SEARCH_DAYS * 86_400_000, {
    message: `the search may span at most ${MAX_SLOT_SEARCH_DAYS} days`,
    path: ['to'],
  });
export type SlotSearchInput = z.infer<typeof SlotSearchInput>;

/** A bookable start with the practitioner and room that can take it; instants in ISO UTC. */
export const Slot = z.object({
  start: Instant,
  end: Instant,
  practitionerId: EntityId,
  roomId: EntityId,
});
export type Slot = z.infer<typeof Slot>;

import { occupiesTime } from './appointment.state-machine';
import { occupiedRange, type OccupyingBooking } from './occupancy.index';
import type { ExistingBooking } from './slot-search.schemas';
import { rangesOverlap } from './time-range';

export type ConflictingResource = 'practitioner' | 'room' | 'patient';

export interface BookingConflict {
  resource: ConflictingResource;
  /** The existing appointment in the way. */
  bookingId: string;
}

/** An appointment about to be written (or moved), with its type's buffers. */
export interface ProposedBooking extends OccupyingBooking {
  /** Set when moving an existing appointment, so it does not clash with itself. */
  id?: string;
  practitionerId: string;
  roomId: string;
  patientId: string;
}

/**
 * Which resources a proposed booking would double-book, and with which appointment: the check
 * the API makes before insert so a 409 names them (the exclusion constraints remain the final
 * guard). Same occupied ranges and the same statuses as the slot engine.
 */
export function findBookingConflicts(
  proposed: ProposedBooking,
  bookings: readonly ExistingBooking[],
): BookingConflict[] {
  const wanted = occupiedRange(proposed);
  const conflicts: BookingConflict[] = [];
  for (const b of bookings) {
    if (b.id === proposed.id || !occupiesTime(b.status) || !rangesOverlap(wanted, occupiedRange(b)))
      continue;
    if (b.practitionerId === proposed.practitionerId)
      conflicts.push({ resource: 'practitioner', bookingId: b.id });
    if (b.roomId === proposed.roomId) conflicts.push({ resource: 'room', bookingId: b.id });
    if (b.patientId === proposed.patientId)
      conflicts.push({ resource: 'patient', bookingId: b.id });
  }
  return conflicts;
}

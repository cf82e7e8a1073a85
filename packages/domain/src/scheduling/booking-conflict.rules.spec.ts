import { findBookingConflicts } from './booking-conflict.rules';
import { booking, patientId, practitionerId, roomId } from './testing/slot-search.fixtures';

const proposed = {
  practitionerId: practitionerId(1),
  roomId: roomId(1),
  patientId: patientId(1),
  start: '2026-06-08T09:00:00Z',
  end: '2026-06-08T09:30:00Z',
  bufferBeforeMinutes: 5,
  bufferAfterMinutes: 10,
};

describe('findBookingConflicts', () => {
  it('names each resource that would be double-booked and the appointment in the way', () => {
    const clash = booking(1, {
      practitionerId: practitionerId(1),
      roomId: roomId(1),
      start: '2026-06-08T09:20:00Z',
      end: '2026-06-08T09:50:00Z',
    });
    const samePatient = booking(2, {
      patientId: patientId(1),
      start: '2026-06-08T08:30:00Z',
      end: '2026-06-08T08:50:00Z',
      bufferAfterMinutes: 10,
    });
    expect(findBookingConflicts(proposed, [clash, samePatient])).toEqual([
      { resource: 'practitioner', bookingId: clash.id },
      { resource: 'room', bookingId: clash.id },
      { resource: 'patient', bookingId: samePatient.id },
    ]);
  });

  it('lets buffers touch, ignores cancelled bookings, other resources and the appointment being moved', () => {
    const touching = booking(1, {
      practitionerId: practitionerId(1),
      start: '2026-06-08T09:40:00Z',
      end: '2026-06-08T10:00:00Z',
    });
    const cancelled = booking(2, {
      roomId: roomId(1),
      start: '2026-06-08T09:00:00Z',
      end: '2026-06-08T09:30:00Z',
      status: 'cancelled',
    });
    const elsewhere = booking(3, { start: '2026-06-08T09:00:00Z', end: '2026-06-08T09:30:00Z' });
    const itself = booking(4, {
      practitionerId: practitionerId(1),
      start: '2026-06-08T09:00:00Z',
      end: '2026-06-08T09:30:00Z',
    });
    expect(
      findBookingConflicts({ ...proposed, id: itself.id }, [
        touching,
        cancelled,
        elsewhere,
        itself,
      ]),
    ).toEqual([]);
    expect(findBookingConflicts(proposed, [itself])).toEqual([
      { resource: 'practitioner', bookingId: itself.id },
    ]);
  });
});

import { findSlots } from './slot-engine';
import { busyClinicInput } from './testing/busy-clinic.fixture';
import { patientId } from './testing/slot-search.fixtures';

// A busy clinic: 20 practitioners, 15 rooms, 5,000 appointments over a fortnight that spans
// the spring DST change. This checks correctness at size; speed is measured by a benchmark, not here.
const MIN = 60_000;

describe('findSlots at clinic scale', () => {
  it.each([15, 5] as const)(
    'finds clash-free slots in a busy fortnight on a %i-minute grid',
    (grid) => {
      const input = busyClinicInput(grid);
      const slots = findSlots(input);

      expect(slots.length).toBeGreaterThan(1_000);
      // Every 37th slot against every booking: none overlaps its practitioner, room or the patient.
      const active = input.bookings.filter((b) => b.status !== 'cancelled');
      const clashes = slots
        .filter((_, i) => i % 37 === 0)
        .filter((slot) => {
          const busyFrom = Date.parse(slot.start) - 5 * MIN;
          const busyTo = Date.parse(slot.end) + 10 * MIN;
          return active.some(
            (b) =>
              (b.practitionerId === slot.practitionerId ||
                b.roomId === slot.roomId ||
                b.patientId === patientId(7)) &&
              Date.parse(b.start) - b.bufferBeforeMinutes * MIN < busyTo &&
              busyFrom < Date.parse(b.end) + b.bufferAfterMinutes * MIN,
          );
        });
      expect(clashes).toEqual([]);
    },
  );
});

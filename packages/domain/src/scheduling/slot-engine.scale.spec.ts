import type { WeeklyAvailabilityRule } from './availability.schemas';
import { findSlots } from './slot-engine';
import {
  CLINIC_ID,
  booking,
  dryNeedling30,
  patientId,
  practitioner,
  practitionerId,
  room,
  roomId,
  searchInput,
} from './testing/slot-search.fixtures';
import type { ExistingBooking, SlotSearchInput } from './slot-search.schemas';

// A busy clinic: 20 practitioners, 15 rooms, 5,000 appointments over a fortnight that spans
// the spring DST change. This checks correctness at size; speed is measured by a benchmark, not here.
const MIN = 60_000;
const FROM = Date.parse('2026-03-22T23:00:00Z'); // Monday 23 March, 00:00 London
const TO = FROM + 14 * 24 * 60 * MIN;

function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

function busyClinic(gridMinutes: 5 | 15): SlotSearchInput {
  const random = seeded(42);
  const rules: WeeklyAvailabilityRule[] = [];
  for (let p = 0; p < 20; p++) {
    for (let weekday = 1; weekday <= 5; weekday++) {
      for (const [start, end] of [
        ['08:00', '12:30'],
        ['13:30', '19:00'],
      ] as const) {
        rules.push({
          practitionerId: practitionerId(p),
          clinicId: CLINIC_ID,
          weekday,
          start,
          end,
          effectiveFrom: '2026-01-01',
          effectiveTo: null,
        });
      }
    }
  }
  const bookings: ExistingBooking[] = Array.from({ length: 5_000 }, (_, i) => {
    const start = FROM + Math.floor(random() * 14 * 24 * 12) * 5 * MIN;
    return booking(i, {
      practitionerId: practitionerId(Math.floor(random() * 20)),
      roomId: roomId(Math.floor(random() * 15)),
      patientId: patientId(Math.floor(random() * 2_000)),
      start: new Date(start).toISOString(),
      end: new Date(start + (30 + Math.floor(random() * 4) * 15) * MIN).toISOString(),
      bufferAfterMinutes: Math.floor(random() * 3) * 5,
      status: random() < 0.1 ? 'cancelled' : 'booked',
    });
  });
  return searchInput({
    appointmentType: dryNeedling30({ bufferBeforeMinutes: 5, bufferAfterMinutes: 10 }),
    from: new Date(FROM).toISOString(),
    to: new Date(TO).toISOString(),
    gridMinutes,
    practitioners: Array.from({ length: 20 }, (_, p) => practitioner(p)),
    rooms: Array.from({ length: 15 }, (_, r) => room(r, { hasStimulator: r < 5 })),
    availability: { rules, exceptions: [], closures: [] },
    bookings,
    patient: {
      id: patientId(7),
      screening: {
        consents: [{ kind: 'dry_needling', signedOn: '2026-01-01', version: 'v1' }],
        contraindications: [],
      },
    },
    now: '2026-03-01T00:00:00Z',
  });
}

describe('findSlots at clinic scale', () => {
  it.each([15, 5] as const)(
    'finds clash-free slots in a busy fortnight on a %i-minute grid',
    (grid) => {
      const input = busyClinic(grid);
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

// The "busy clinic" of issue 3 for the slot engine: 20 practitioners, 15 rooms, 5,000 appointments over
// two weeks across the spring DST change. Shared by the scale spec and tests/bench.
import type { WeeklyAvailabilityRule } from '../availability.schemas';
import type { ExistingBooking, SlotSearchInput } from '../slot-search.schemas';
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
} from './slot-search.fixtures';

export const MIN = 60_000;
export const DAY = 24 * 60 * MIN;
/** Monday 23 March 2026, 00:00 London; the fortnight spans the spring DST change (as in the scale spec). */
export const PURE_FROM = Date.parse('2026-03-22T23:00:00Z');
export const PURE_TO = PURE_FROM + 14 * DAY;

export function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** The scale spec's busy clinic; `window` narrows the search without changing the diary. */
export function busyClinicInput(
  gridMinutes: 5 | 15,
  window: { from: number; to: number } = { from: PURE_FROM, to: PURE_TO },
): SlotSearchInput {
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
    const start = PURE_FROM + Math.floor(random() * 14 * 24 * 12) * 5 * MIN;
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
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
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

// ---- The same size in a real database ----

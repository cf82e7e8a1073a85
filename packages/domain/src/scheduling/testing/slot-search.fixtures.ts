import { DateTime } from 'luxon';
// Builders for the scheduling specs: realistic defaults, overridable per test.
import type { WeeklyAvailabilityRule } from '../availability.schemas';
import type { AppointmentType, Practitioner, Room } from '../resources.schemas';
import type { ExistingBooking, Slot, SlotSearchInput } from '../slot-search.schemas';

/** A valid v4 uuid whose last group says what it is, e.g. `fixtureId(0xa, 1)`. */
export function fixtureId(kind: number, n: number): string {
  return `00000000-0000-4000-8000-${kind.toString(16)}${n.toString(16).padStart(11, '0')}`;
}

export const CLINIC_ID = fixtureId(0xc, 1);
export const OTHER_CLINIC_ID = fixtureId(0xc, 2);
export const practitionerId = (n: number): string => fixtureId(0xd, n);
export const roomId = (n: number): string => fixtureId(0xe, n);
export const patientId = (n: number): string => fixtureId(0xf, n);
export const bookingId = (n: number): string => fixtureId(0xb, n);

export function dryNeedling30(overrides: Partial<AppointmentType> = {}): AppointmentType {
  return {
    id: fixtureId(0xa, 1),
    name: 'Dry needling 30 min',
    durationMinutes: 30,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    requiresDryNeedlingCert: true,
    usesEstim: false,
    colour: '#1f7a8c',
    ...overrides,
  };
}

export function needlingWithEstim45(overrides: Partial<AppointmentType> = {}): AppointmentType {
  return dryNeedling30({
    id: fixtureId(0xa, 2),
    name: 'Dry needling + e-stim 45 min',
    durationMinutes: 45,
    usesEstim: true,
    ...overrides,
  });
}

export function practitioner(n: number, overrides: Partial<Practitioner> = {}): Practitioner {
  return {
    id: practitionerId(n),
    name: `Practitioner ${n}`,
    dryNeedlingCertExpiresOn: '2030-12-31',
    estimQualified: true,
    clinicIds: [CLINIC_ID],
    ...overrides,
  };
}

export function room(n: number, overrides: Partial<Room> = {}): Room {
  return {
    id: roomId(n),
    clinicId: CLINIC_ID,
    name: `Room ${n}`,
    hasStimulator: false,
    active: true,
    ...overrides,
  };
}

/** The same hours on every day of the week, open-ended. */
export function everyDay(
  practitioner: string,
  start: string,
  end: string,
  clinicId = CLINIC_ID,
): WeeklyAvailabilityRule[] {
  return [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
    practitionerId: practitioner,
    clinicId,
    weekday,
    start,
    end,
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
  }));
}

export function booking(
  n: number,
  overrides: Partial<ExistingBooking> & Pick<ExistingBooking, 'start' | 'end'>,
): ExistingBooking {
  return {
    id: bookingId(n),
    practitionerId: practitionerId(99),
    roomId: roomId(99),
    patientId: patientId(99),
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    status: 'booked',
    ...overrides,
  };
}

/** One practitioner working 09:00–12:00 daily in London, one plain room, nothing booked. */
export function searchInput(overrides: Partial<SlotSearchInput> = {}): SlotSearchInput {
  return {
    clinic: { id: CLINIC_ID, timeZone: 'Europe/London' },
    appointmentType: dryNeedling30(),
    from: '2026-06-08T00:00:00Z',
    to: '2026-06-09T00:00:00Z',
    practitioners: [practitioner(1)],
    rooms: [room(1)],
    availability: {
      rules: everyDay(practitionerId(1), '09:00', '12:00'),
      exceptions: [],
      closures: [],
    },
    bookings: [],
    now: '2026-06-01T00:00:00Z',
    ...overrides,
  };
}

/** Local start times (`HH:mm`) of slots in the clinic's zone. */
export const localTimes = (slots: readonly Slot[], zone = 'Europe/London'): string[] =>
  slots.map((s) => DateTime.fromISO(s.start, { zone }).toFormat('HH:mm'));

/** The distinct local dates slots fall on, in order. */
export const localDates = (slots: readonly Slot[], zone = 'Europe/London'): string[] => [
  ...new Set(slots.map((s) => DateTime.fromISO(s.start, { zone }).toISODate() ?? '')),
];

/** Every 30-minute start of a 09:00–12:00 morning on a 15-minute grid. */
export const ALL_MORNING = [
  '09:00',
  '09:15',
  '09:30',
  '09:45',
  '10:00',
  '10:15',
  '10:30',
  '10:45',
  '11:00',
  '11:15',
  '11:30',
];

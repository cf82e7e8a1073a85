// Random clinic diaries for property tests: three local days, often across a DST change.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { APPOINTMENT_STATUSES } from '../appointment.state-machine';
import type {
  AvailabilityException,
  ClinicClosure,
  WeeklyAvailabilityRule,
} from '../availability.schemas';
import type { ContraindicationCode, Treatment } from '../screening.catalogue';
import type { ConsentRecord } from '../screening.schemas';
import { SlotSearchInput, type ExistingBooking } from '../slot-search.schemas';
import {
  CLINIC_ID,
  OTHER_CLINIC_ID,
  bookingId,
  dryNeedling30,
  patientId,
  practitioner,
  practitionerId,
  room,
  roomId,
} from './slot-search.fixtures';

const STEP = 5 * 60_000; // every generated boundary falls on a 5-minute instant

// Three-day windows around each DST change of the two zones, and an ordinary week.
export const WINDOWS: ReadonlyArray<readonly [zone: string, firstDay: string]> = [
  ['America/New_York', '2026-03-07'],
  ['America/New_York', '2026-10-31'],
  ['Europe/London', '2026-03-28'],
  ['Europe/London', '2026-10-24'],
  ['America/New_York', '2026-06-08'],
  ['Europe/London', '2026-06-08'],
];

const hhmm = (unit: number): string =>
  `${String(Math.floor(unit / 12)).padStart(2, '0')}:${String((unit % 12) * 5).padStart(2, '0')}`;
const clinicOf = (where: 'here' | 'other' | 'none'): string | undefined =>
  where === 'here' ? CLINIC_ID : where === 'other' ? OTHER_CLINIC_ID : undefined;

/** Mostly the common case, sometimes the rare one. */
const mostly = <T>(common: fc.Arbitrary<T>, rare: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ weight: 3, arbitrary: common }, { weight: 1, arbitrary: rare });

export const slotSearchScenario = fc.record({
  window: fc.constantFrom(...WINDOWS),
  grid: fc.constantFrom(5 as const, 10 as const, 15 as const),
  type: fc.record({
    duration: fc.integer({ min: 1, max: 24 }),
    before: fc.nat(6),
    after: fc.nat(6),
    estim: fc.nat(2).map((n) => n === 0),
    cert: fc.boolean(),
  }),
  practitioners: fc.array(
    fc.record({
      certDay: mostly<number | null>(fc.constant(400), fc.option(fc.integer({ min: -1, max: 3 }))),
      estim: fc.nat(3).map((n) => n > 0),
      here: fc.nat(7),
    }),
    { minLength: 2, maxLength: 3 },
  ),
  rooms: fc.array(
    fc.record({ stim: fc.nat(2).map((n) => n > 0), active: fc.nat(5), here: fc.nat(5) }),
    { minLength: 1, maxLength: 3 },
  ),
  // Start/length in 5-minute units: daytime hours, or night hours to hit the DST changes.
  rules: fc.array(
    fc.record({
      p: fc.nat(2),
      onDay: fc.nat(2),
      start: fc.oneof(fc.nat(48), fc.integer({ min: 84, max: 200 })),
      length: fc.integer({ min: 6, max: 144 }),
      fromDay: fc.integer({ min: -1, max: 1 }),
      toDay: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 2 })),
    }),
    { minLength: 3, maxLength: 12 },
  ),
  exceptions: fc.array(
    fc.record({
      p: fc.nat(2),
      kind: fc.constantFrom('time_off' as const, 'extra_hours' as const),
      where: fc.constantFrom('here' as const, 'other' as const, 'none' as const),
      start: fc.integer({ min: -24, max: 864 }),
      length: fc.integer({ min: 1, max: 72 }),
    }),
    { maxLength: 4 },
  ),
  closures: fc.array(
    fc.oneof(
      fc.record({ day: fc.nat(2) }),
      fc.record({ start: fc.nat(864), length: fc.integer({ min: 1, max: 48 }) }),
    ),
    { maxLength: 2 },
  ),
  bookings: fc.array(
    fc.record({
      p: fc.nat(3),
      r: fc.nat(3),
      patient: fc.nat(2),
      start: fc.oneof(
        fc.integer({ min: -24, max: 864 }),
        fc.tuple(fc.nat(2), fc.integer({ min: 84, max: 220 })).map(([d, u]) => d * 288 + u),
      ),
      duration: fc.integer({ min: 1, max: 24 }),
      before: fc.nat(6),
      after: fc.nat(6),
      status: fc.constantFrom(...APPOINTMENT_STATUSES),
    }),
    { minLength: 5, maxLength: 60 },
  ),
  filter: mostly<number | null>(fc.constant(null), fc.nat(2)),
  patient: fc.option(
    fc.record({
      consents: mostly<Treatment[]>(
        fc.constant(['dry_needling', 'estim']),
        fc.subarray<Treatment>(['dry_needling', 'estim']),
      ),
      signedDay: fc.integer({ min: -2, max: 2 }),
      contraindications: mostly<ContraindicationCode[]>(
        fc.constant([]),
        fc.subarray<ContraindicationCode>(['pacemaker', 'diabetes', 'needle_phobia'], {
          maxLength: 1,
        }),
      ),
      override: fc.boolean(),
    }),
    { freq: 2 },
  ),
  // Seconds after the window opens: mostly before it, sometimes inside it.
  now: mostly(fc.integer({ min: -100_000, max: 0 }), fc.integer({ min: 0, max: 86_400 })),
});
export type SlotSearchScenario =
  typeof slotSearchScenario extends fc.Arbitrary<infer S> ? S : never;

/** The scenario as a validated search input (parsing also checks the generator). */
export function toSlotSearchInput(s: SlotSearchScenario): SlotSearchInput {
  const [zone, firstDay] = s.window;
  const start = DateTime.fromISO(firstDay, { zone });
  const day = (n: number): string => start.plus({ days: n }).toISODate()!;
  const at = (units: number): string => new Date(start.toMillis() + units * STEP).toISOString();
  const rules: WeeklyAvailabilityRule[] = s.rules
    .filter((r) => r.start < Math.min(r.start + r.length, 287))
    .map((r) => ({
      practitionerId: practitionerId(r.p),
      clinicId: CLINIC_ID,
      weekday: start.plus({ days: r.onDay }).weekday,
      start: hhmm(r.start),
      end: hhmm(Math.min(r.start + r.length, 287)),
      effectiveFrom: day(r.fromDay),
      effectiveTo: r.toDay === null ? null : day(Math.max(r.toDay, r.fromDay)),
    }));
  const exceptions: AvailabilityException[] = s.exceptions.map((e) => ({
    practitionerId: practitionerId(e.p),
    kind: e.kind,
    clinicId: e.kind === 'extra_hours' && e.where === 'none' ? CLINIC_ID : clinicOf(e.where),
    start: at(e.start),
    end: at(e.start + e.length),
  }));
  const closures: ClinicClosure[] = s.closures.map((c) =>
    'day' in c
      ? { clinicId: CLINIC_ID, date: day(c.day), reason: 'Closed' }
      : { clinicId: CLINIC_ID, start: at(c.start), end: at(c.start + c.length), reason: 'Closed' },
  );
  const bookings: ExistingBooking[] = s.bookings.map((b, i) => ({
    id: bookingId(i),
    practitionerId: practitionerId(b.p),
    roomId: roomId(b.r),
    patientId: patientId(b.patient),
    start: at(b.start),
    end: at(b.start + b.duration),
    bufferBeforeMinutes: b.before * 5,
    bufferAfterMinutes: b.after * 5,
    status: b.status,
  }));
  const consents: ConsentRecord[] = (s.patient?.consents ?? []).map((kind) => ({
    kind,
    signedOn: day(s.patient!.signedDay),
    version: 'v1',
  }));
  return SlotSearchInput.parse({
    clinic: { id: CLINIC_ID, timeZone: zone },
    appointmentType: dryNeedling30({
      durationMinutes: s.type.duration * 5,
      bufferBeforeMinutes: s.type.before * 5,
      bufferAfterMinutes: s.type.after * 5,
      usesEstim: s.type.estim,
      requiresDryNeedlingCert: s.type.cert || s.type.estim,
    }),
    from: start.toUTC().toISO(),
    to: start.plus({ days: 3 }).toUTC().toISO(),
    gridMinutes: s.grid,
    practitioners: s.practitioners.map((p, i) =>
      practitioner(i, {
        dryNeedlingCertExpiresOn: p.certDay === null ? null : day(p.certDay),
        estimQualified: p.estim,
        clinicIds: p.here > 0 ? [CLINIC_ID] : [OTHER_CLINIC_ID],
      }),
    ),
    rooms: s.rooms.map((r, i) =>
      room(i, {
        hasStimulator: r.stim,
        active: r.active > 0,
        clinicId: r.here > 0 ? CLINIC_ID : OTHER_CLINIC_ID,
      }),
    ),
    availability: { rules, exceptions, closures },
    bookings,
    ...(s.filter === null ? {} : { practitionerId: practitionerId(s.filter) }),
    ...(s.patient === null
      ? {}
      : {
          patient: {
            id: patientId(0),
            screening: {
              consents,
              contraindications: s.patient.contraindications,
              ...(s.patient.override
                ? {
                    override: {
                      reason: 'Discussed with the patient',
                      practitionerId: practitionerId(0),
                    },
                  }
                : {}),
            },
          },
        }),
    now: new Date(start.toMillis() + s.now * 1000).toISOString(),
  });
}

import { findSlots } from './slot-engine';
import {
  ALL_MORNING,
  OTHER_CLINIC_ID,
  booking,
  dryNeedling30,
  localTimes,
  patientId,
  practitioner,
  practitionerId,
  room,
  roomId,
  searchInput,
} from './testing/slot-search.fixtures';

// The default search: London (BST, UTC+1) on Monday 2026-06-08, one practitioner 09:00–12:00, one room.
const P1 = practitionerId(1);
const R1 = roomId(1);
const R2 = roomId(2);

describe('findSlots: buffers and other bookings', () => {
  it('keeps both buffers clear of each booking’s own buffers; touching is fine; buffers may leave the working hours', () => {
    const slots = findSlots(
      searchInput({
        appointmentType: dryNeedling30({ bufferBeforeMinutes: 5, bufferAfterMinutes: 5 }),
        // 10:00–10:30 local with 10 minutes clean-up: occupies 10:00–10:40.
        bookings: [
          booking(1, {
            practitionerId: P1,
            start: '2026-06-08T09:00:00Z',
            end: '2026-06-08T09:30:00Z',
            bufferAfterMinutes: 10,
          }),
        ],
      }),
    );
    // 09:15 needs 09:10–09:50 (free up to 10:00); 10:45 needs 10:40–11:20 (touches 10:40).
    expect(localTimes(slots)).toEqual(['09:00', '09:15', '10:45', '11:00', '11:15', '11:30']);
  });

  it('counts a booking’s buffer before it', () => {
    const slots = findSlots(
      searchInput({
        bookings: [
          booking(1, {
            practitionerId: P1,
            start: '2026-06-08T10:00:00Z',
            end: '2026-06-08T10:30:00Z',
            bufferBeforeMinutes: 15,
          }),
        ],
      }),
    );
    expect(localTimes(slots)).toEqual([
      '09:00',
      '09:15',
      '09:30',
      '09:45',
      '10:00',
      '10:15',
      '11:30',
    ]);
  });

  it('ignores cancelled bookings, but a no-show still holds its time', () => {
    const at10 = { practitionerId: P1, start: '2026-06-08T09:00:00Z', end: '2026-06-08T09:30:00Z' };
    expect(
      localTimes(
        findSlots(searchInput({ bookings: [booking(1, { ...at10, status: 'cancelled' })] })),
      ),
    ).toEqual(ALL_MORNING);
    expect(
      localTimes(
        findSlots(searchInput({ bookings: [booking(1, { ...at10, status: 'no_show' })] })),
      ),
    ).not.toContain('10:00');
  });

  it('lets the appointment being rescheduled move over its own time', () => {
    const own = booking(1, {
      practitionerId: P1,
      start: '2026-06-08T09:00:00Z',
      end: '2026-06-08T09:30:00Z',
    });
    expect(localTimes(findSlots(searchInput({ bookings: [own] })))).not.toContain('10:00');
    expect(
      localTimes(findSlots(searchInput({ bookings: [own], ignoreBookingId: own.id }))),
    ).toEqual(ALL_MORNING);
  });

  it('keeps the patient out of two places at once, whoever treats them elsewhere', () => {
    const patient = {
      id: patientId(99),
      screening: {
        consents: [{ kind: 'dry_needling' as const, signedOn: '2026-01-01', version: 'v3' }],
        contraindications: [],
      },
    };
    const elsewhere = booking(1, {
      patientId: patient.id,
      start: '2026-06-08T09:00:00Z',
      end: '2026-06-08T09:30:00Z',
      bufferAfterMinutes: 15,
    });
    expect(localTimes(findSlots(searchInput({ bookings: [elsewhere] })))).toEqual(ALL_MORNING);
    expect(localTimes(findSlots(searchInput({ bookings: [elsewhere], patient })))).toEqual([
      '09:00',
      '09:15',
      '09:30',
      '10:45',
      '11:00',
      '11:15',
      '11:30',
    ]);
  });
});

describe('findSlots: rooms', () => {
  const roomBooked = (n: number, start: string, end: string, r: string) =>
    booking(n, { roomId: r, start, end });

  it('takes the first free suitable room in the given order', () => {
    const slots = findSlots(
      searchInput({
        rooms: [room(1), room(2)],
        bookings: [roomBooked(1, '2026-06-08T09:00:00Z', '2026-06-08T09:30:00Z', R1)],
      }),
    );
    const roomAt = (local: string) => slots[localTimes(slots).indexOf(local)]?.roomId;
    expect([
      roomAt('09:00'),
      roomAt('09:45'),
      roomAt('10:00'),
      roomAt('10:15'),
      roomAt('10:30'),
    ]).toEqual([R1, R2, R2, R2, R1]);
  });

  it('offers no start when every room is taken, even with the practitioner free', () => {
    const slots = findSlots(
      searchInput({
        rooms: [room(1), room(2)],
        bookings: [
          roomBooked(1, '2026-06-08T09:00:00Z', '2026-06-08T09:30:00Z', R1),
          roomBooked(2, '2026-06-08T09:00:00Z', '2026-06-08T09:30:00Z', R2),
        ],
      }),
    );
    expect(localTimes(slots)).toEqual([
      '09:00',
      '09:15',
      '09:30',
      '10:30',
      '10:45',
      '11:00',
      '11:15',
      '11:30',
    ]);
  });

  it('skips inactive rooms and rooms of other clinics', () => {
    const slots = findSlots(
      searchInput({
        rooms: [room(1, { active: false }), room(3, { clinicId: OTHER_CLINIC_ID }), room(2)],
      }),
    );
    expect(new Set(slots.map((s) => s.roomId))).toEqual(new Set([R2]));
    expect(findSlots(searchInput({ rooms: [room(1, { active: false })] }))).toEqual([]);
  });

  it('puts e-stim appointments only in rooms with a stimulator, with e-stim qualified practitioners', () => {
    const estim = dryNeedling30({ durationMinutes: 45, usesEstim: true });
    const input = searchInput({
      appointmentType: estim,
      rooms: [room(1), room(2, { hasStimulator: true })],
    });
    const slots = findSlots(input);
    expect(localTimes(slots)).toEqual([
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
    ]);
    expect(new Set(slots.map((s) => s.roomId))).toEqual(new Set([R2]));
    expect(findSlots({ ...input, rooms: [room(1)] })).toEqual([]);
    expect(
      findSlots({ ...input, practitioners: [practitioner(1, { estimQualified: false })] }),
    ).toEqual([]);
    // A plain needling type is happy in the plain room.
    expect(
      new Set(findSlots({ ...input, appointmentType: dryNeedling30() }).map((s) => s.roomId)),
    ).toEqual(new Set([R1]));
  });
});

import { DateTime } from 'luxon';
import { findSlots } from './slot-engine';
import {
  ALL_MORNING,
  CLINIC_ID,
  OTHER_CLINIC_ID,
  everyDay,
  localDates,
  localTimes,
  practitioner,
  practitionerId,
  room,
  roomId,
  searchInput,
} from './testing/slot-search.fixtures';

// The default search: London (BST, UTC+1) on Monday 2026-06-08, one practitioner 09:00–12:00, one room.
const P1 = practitionerId(1);
const P2 = practitionerId(2);
const R1 = roomId(1);

describe('findSlots: the basics', () => {
  it('offers every grid start where the whole appointment fits the working hours', () => {
    const slots = findSlots(searchInput());
    expect(localTimes(slots)).toEqual(ALL_MORNING);
    expect(slots[0]).toEqual({
      start: '2026-06-08T08:00:00.000Z',
      end: '2026-06-08T08:30:00.000Z',
      practitionerId: P1,
      roomId: R1,
    });
  });

  it('returns starts in [from, to) even when the appointment ends after `to`', () => {
    const slots = findSlots(
      searchInput({ from: '2026-06-08T09:00:00Z', to: '2026-06-08T09:20:00Z' }),
    );
    expect(localTimes(slots)).toEqual(['10:00', '10:15']);
  });

  it('offers nothing in the past, and rounds `now` up to the grid', () => {
    expect(localTimes(findSlots(searchInput({ now: '2026-06-08T09:07:00Z' })))).toEqual([
      '10:15',
      '10:30',
      '10:45',
      '11:00',
      '11:15',
      '11:30',
    ]);
    expect(findSlots(searchInput({ now: '2026-06-08T11:00:00Z' }))).toEqual([]);
  });

  it('lists each practitioner who can take a start, in the given order, with the same first free room', () => {
    const slots = findSlots(
      searchInput({
        practitioners: [practitioner(2), practitioner(1)],
        rooms: [room(1), room(2)],
        availability: {
          rules: [...everyDay(P1, '09:00', '12:00'), ...everyDay(P2, '11:00', '12:00')],
          exceptions: [],
          closures: [],
        },
      }),
    );
    expect(slots.filter((s) => s.start === '2026-06-08T10:00:00.000Z')).toEqual([
      {
        start: '2026-06-08T10:00:00.000Z',
        end: '2026-06-08T10:30:00.000Z',
        practitionerId: P2,
        roomId: R1,
      },
      {
        start: '2026-06-08T10:00:00.000Z',
        end: '2026-06-08T10:30:00.000Z',
        practitionerId: P1,
        roomId: R1,
      },
    ]);
    expect(slots.map((s) => s.start)).toEqual([...slots.map((s) => s.start)].sort());
  });

  it('filters by practitioner when asked', () => {
    const input = searchInput({
      practitioners: [practitioner(1), practitioner(2)],
      availability: {
        rules: [...everyDay(P1, '09:00', '12:00'), ...everyDay(P2, '09:00', '10:00')],
        exceptions: [],
        closures: [],
      },
      practitionerId: P2,
    });
    const slots = findSlots(input);
    expect(new Set(slots.map((s) => s.practitionerId))).toEqual(new Set([P2]));
    expect(localTimes(slots)).toEqual(['09:00', '09:15', '09:30']);
  });

  it('ignores practitioners who do not work at this clinic, whatever their rules say', () => {
    expect(
      findSlots(
        searchInput({ practitioners: [practitioner(1, { clinicIds: [OTHER_CLINIC_ID] })] }),
      ),
    ).toEqual([]);
  });
});

describe('findSlots: the clinic clock', () => {
  it.each([
    ['America/New_York', '2026-03-07', '2026-03-09'],
    ['America/New_York', '2026-10-31', '2026-11-02'],
    ['Europe/London', '2026-03-28', '2026-03-30'],
    ['Europe/London', '2026-10-24', '2026-10-26'],
  ])(
    '%s: a 09:00–12:00 rule gives 09:00–11:30 starts on %s, the DST change day and %s',
    (timeZone, dayBefore, dayAfter) => {
      const from = DateTime.fromISO(dayBefore, { zone: timeZone });
      const slots = findSlots(
        searchInput({
          clinic: { id: CLINIC_ID, timeZone },
          from: from.toUTC().toISO()!,
          to: from.plus({ days: 3 }).toUTC().toISO()!,
          now: '2026-01-01T00:00:00Z',
        }),
      );
      expect(localDates(slots, timeZone)).toEqual([dayBefore, expect.any(String), dayAfter]);
      for (const date of localDates(slots, timeZone)) {
        expect(
          localTimes(
            slots.filter((s) => DateTime.fromISO(s.start, { zone: timeZone }).toISODate() === date),
            timeZone,
          ),
        ).toEqual(ALL_MORNING);
      }
      // Same local hour, different UTC hour on either side of the change.
      expect(
        new Set(
          slots
            .filter((s) => localTimes([s], timeZone)[0] === '09:00')
            .map((s) => s.start.slice(11, 16)),
        ).size,
      ).toBe(2);
    },
  );

  it('aligns starts to the grid in local time (10-minute grid, hours from 09:05)', () => {
    const slots = findSlots(
      searchInput({
        gridMinutes: 10,
        availability: { rules: everyDay(P1, '09:05', '10:00'), exceptions: [], closures: [] },
      }),
    );
    expect(localTimes(slots)).toEqual(['09:10', '09:20', '09:30']);
  });

  it('aligns to the local quarter hour in a zone with a 45-minute offset (Kathmandu, UTC+05:45)', () => {
    const slots = findSlots(
      searchInput({
        clinic: { id: CLINIC_ID, timeZone: 'Asia/Kathmandu' },
        from: '2026-06-07T18:15:00Z',
        to: '2026-06-08T18:15:00Z',
        availability: { rules: everyDay(P1, '09:00', '10:00'), exceptions: [], closures: [] },
      }),
    );
    expect(slots.map((s) => s.start)).toEqual([
      '2026-06-08T03:15:00.000Z',
      '2026-06-08T03:30:00.000Z',
      '2026-06-08T03:45:00.000Z',
    ]);
  });
});

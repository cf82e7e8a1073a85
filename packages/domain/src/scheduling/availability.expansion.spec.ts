import { DateTime } from 'luxon';
import type { WeeklyAvailabilityRule } from './availability.schemas';
import { expandWeeklyRules } from './availability.expansion';
import {
  CLINIC_ID,
  OTHER_CLINIC_ID,
  everyDay,
  practitionerId,
} from './testing/slot-search.fixtures';

const P1 = practitionerId(1);
const P2 = practitionerId(2);
const local = (iso: string, zone: string): string =>
  DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm');

describe('expandWeeklyRules across DST changes', () => {
  it.each([
    ['America/New_York', '2026-03-07', '2026-03-09', ['14:00', '13:00', '13:00']],
    ['America/New_York', '2026-10-31', '2026-11-02', ['13:00', '14:00', '14:00']],
    ['Europe/London', '2026-03-28', '2026-03-30', ['09:00', '08:00', '08:00']],
    ['Europe/London', '2026-10-24', '2026-10-26', ['08:00', '09:00', '09:00']],
  ])(
    '%s %s…%s: a 09:00–12:00 rule stays 09:00–12:00 local',
    (timeZone, fromDate, toDate, utcStarts) => {
      const intervals = expandWeeklyRules(
        everyDay(P1, '09:00', '12:00'),
        { id: CLINIC_ID, timeZone },
        { fromDate, toDate },
      );
      expect(intervals).toHaveLength(3);
      for (const i of intervals) {
        expect(local(i.start, timeZone)).toBe(`${i.date} 09:00`);
        expect(local(i.end, timeZone)).toBe(`${i.date} 12:00`);
        expect(Date.parse(i.end) - Date.parse(i.start)).toBe(3 * 3_600_000);
      }
      // The UTC hour moves with the offset: that is what keeps the local hour still.
      expect(intervals.map((i) => i.start.slice(11, 16))).toEqual(utcStarts);
    },
  );

  const zoneNY = { id: CLINIC_ID, timeZone: 'America/New_York' };
  const on = (date: string, start: string, end: string): WeeklyAvailabilityRule => ({
    practitionerId: P1,
    clinicId: CLINIC_ID,
    weekday: DateTime.fromISO(date).weekday,
    start,
    end,
    effectiveFrom: date,
    effectiveTo: date,
  });

  it('drops a rule lying wholly in the spring-forward gap and starts a straddling one when the clock jumps', () => {
    const day = { fromDate: '2026-03-08', toDate: '2026-03-08' };
    expect(expandWeeklyRules([on('2026-03-08', '02:00', '02:30')], zoneNY, day)).toEqual([]);
    const [straddling] = expandWeeklyRules([on('2026-03-08', '02:30', '04:00')], zoneNY, day);
    expect(straddling).toMatchObject({
      start: '2026-03-08T07:00:00.000Z',
      end: '2026-03-08T08:00:00.000Z',
    });
  });

  it('counts the repeated autumn hour once from its first occurrence, so 01:00–03:00 lasts three real hours', () => {
    const day = { fromDate: '2026-11-01', toDate: '2026-11-01' };
    const [night] = expandWeeklyRules([on('2026-11-01', '01:00', '03:00')], zoneNY, day);
    expect(night).toMatchObject({
      start: '2026-11-01T05:00:00.000Z',
      end: '2026-11-01T08:00:00.000Z',
    });
    const [shortNight] = expandWeeklyRules([on('2026-11-01', '00:30', '01:30')], zoneNY, day);
    expect(shortNight).toMatchObject({
      start: '2026-11-01T04:30:00.000Z',
      end: '2026-11-01T05:30:00.000Z',
    });
  });

  it('honours weekdays, several intervals a day, inclusive effective dates and the clinic', () => {
    const rules: WeeklyAvailabilityRule[] = [
      {
        practitionerId: P1,
        clinicId: CLINIC_ID,
        weekday: 1,
        start: '09:00',
        end: '12:00',
        effectiveFrom: '2026-06-01',
        effectiveTo: '2026-06-08',
      },
      {
        practitionerId: P1,
        clinicId: CLINIC_ID,
        weekday: 1,
        start: '13:00',
        end: '17:30',
        effectiveFrom: '2026-06-08',
        effectiveTo: null,
      },
      {
        practitionerId: P2,
        clinicId: CLINIC_ID,
        weekday: 2,
        start: '08:00',
        end: '10:00',
        effectiveFrom: '2026-01-01',
        effectiveTo: null,
      },
      {
        practitionerId: P1,
        clinicId: OTHER_CLINIC_ID,
        weekday: 1,
        start: '18:00',
        end: '20:00',
        effectiveFrom: '2026-01-01',
        effectiveTo: null,
      },
    ];
    const intervals = expandWeeklyRules(
      rules,
      { id: CLINIC_ID, timeZone: 'Europe/London' },
      { fromDate: '2026-06-08', toDate: '2026-06-16' },
    );
    expect(
      intervals.map(
        (i) =>
          `${i.practitionerId === P1 ? 'P1' : 'P2'} ${local(i.start, 'Europe/London')}–${local(i.end, 'Europe/London').slice(11)}`,
      ),
    ).toEqual([
      'P1 2026-06-08 09:00–12:00',
      'P1 2026-06-08 13:00–17:30',
      'P2 2026-06-09 08:00–10:00',
      'P1 2026-06-15 13:00–17:30', // the morning rule ended on the 8th
      'P2 2026-06-16 08:00–10:00',
    ]);
  });
});

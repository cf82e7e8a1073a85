import { DateTime } from 'luxon';
import { ClinicClock, calendarDays, nextDate } from './clinic-clock';

const iso = (ms: number): string => new Date(ms).toISOString();
const at = (clock: ClinicClock, date: string, time: string): string => {
  const [h = 0, m = 0] = time.split(':').map(Number);
  return iso(clock.instantAt(date, h * 60 + m));
};

describe('ClinicClock.instantAt', () => {
  const newYork = new ClinicClock('America/New_York');
  const london = new ClinicClock('Europe/London');

  it('reads ordinary wall-clock times in the zone, with the offset of that very day', () => {
    expect(at(newYork, '2026-03-07', '09:00')).toBe('2026-03-07T14:00:00.000Z'); // EST
    expect(at(newYork, '2026-03-08', '09:00')).toBe('2026-03-08T13:00:00.000Z'); // EDT
    expect(at(london, '2026-10-24', '09:00')).toBe('2026-10-24T08:00:00.000Z'); // BST
    expect(at(london, '2026-10-25', '09:00')).toBe('2026-10-25T09:00:00.000Z'); // GMT
  });

  it('resolves a time that does not exist (spring forward) to the moment the clock jumps', () => {
    // New York skips 02:00–03:00 on 2026-03-08: 02:30 never shows, 03:00 EDT is 07:00Z.
    expect(at(newYork, '2026-03-08', '02:30')).toBe('2026-03-08T07:00:00.000Z');
    expect(at(newYork, '2026-03-08', '02:00')).toBe('2026-03-08T07:00:00.000Z');
    expect(at(newYork, '2026-03-08', '03:00')).toBe('2026-03-08T07:00:00.000Z');
    // London skips 01:00–02:00 on 2026-03-29: 02:00 BST is 01:00Z.
    expect(at(london, '2026-03-29', '01:30')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('resolves a repeated time (fall back) to its first occurrence', () => {
    // 01:30 shows twice in New York on 2026-11-01: first in EDT (05:30Z), then in EST (06:30Z).
    expect(at(newYork, '2026-11-01', '01:30')).toBe('2026-11-01T05:30:00.000Z');
    expect(at(newYork, '2026-11-01', '02:00')).toBe('2026-11-01T07:00:00.000Z');
    // London repeats 01:00–02:00 on 2026-10-25: first in BST (00:30Z).
    expect(at(london, '2026-10-25', '01:30')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('is monotonic through both transitions, minute by minute', () => {
    for (const [clock, date] of [
      [newYork, '2026-03-08'],
      [newYork, '2026-11-01'],
      [london, '2026-03-29'],
      [london, '2026-10-25'],
    ] as const) {
      const instants = Array.from({ length: 1441 }, (_, minute) => clock.instantAt(date, minute));
      const decreasing = instants.filter((t, i) => i > 0 && t < (instants[i - 1] as number));
      expect(decreasing).toEqual([]);
    }
  });

  it('gives the first instant whose local reading is at or after the asked time', () => {
    for (const date of ['2026-03-08', '2026-11-01']) {
      for (let minute = 0; minute < 6 * 60; minute += 5) {
        const t = newYork.instantAt(date, minute);
        const reading = (ms: number): string =>
          DateTime.fromMillis(ms, { zone: 'America/New_York' }).toFormat('yyyy-MM-dd HH:mm');
        const wanted = `${date} ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
        expect(reading(t) >= wanted).toBe(true);
        expect(reading(t - 60_000) < wanted).toBe(true);
      }
    }
  });

  it('places midnight of the next day with minute 1440, so the spring-forward day lasts 23 hours', () => {
    expect(at(london, '2026-03-29', '00:00')).toBe('2026-03-29T00:00:00.000Z');
    expect(iso(london.instantAt('2026-03-29', 1440))).toBe('2026-03-29T23:00:00.000Z');
    expect(london.instantAt('2026-03-29', 1440)).toBe(london.instantAt('2026-03-30', 0));
  });

  it('rejects an unknown zone', () => {
    expect(() => new ClinicClock('Atlantis/Lost')).toThrow(RangeError);
  });
});

describe('ClinicClock local readings', () => {
  it('knows the local date across midnight in the zone', () => {
    const newYork = new ClinicClock('America/New_York');
    expect(newYork.localDate(Date.parse('2026-06-09T03:30:00Z'))).toBe('2026-06-08');
    expect(newYork.localDate(Date.parse('2026-06-09T04:00:00Z'))).toBe('2026-06-09');
  });

  it('aligns the grid to the local clock, not to UTC', () => {
    // Kathmandu is UTC+05:45: local 09:00 is 03:15Z, and 03:00Z (08:45 local) is on a 15-minute grid too.
    const kathmandu = new ClinicClock('Asia/Kathmandu');
    expect(kathmandu.isOnGrid(Date.parse('2026-06-08T03:15:00Z'), 15)).toBe(true);
    expect(kathmandu.isOnGrid(Date.parse('2026-06-08T03:10:00Z'), 15)).toBe(false);
    expect(kathmandu.isOnGrid(Date.parse('2026-06-08T03:10:00Z'), 5)).toBe(true);
    expect(iso(kathmandu.nextOnGrid(Date.parse('2026-06-08T03:01:00Z'), 10))).toBe(
      '2026-06-08T03:05:00.000Z',
    ); // 08:50 local
    expect(iso(kathmandu.nextOnGrid(Date.parse('2026-06-08T03:15:00Z'), 15))).toBe(
      '2026-06-08T03:15:00.000Z',
    );
  });

  it('rounds a start with seconds up to the next whole grid minute', () => {
    const london = new ClinicClock('Europe/London');
    expect(iso(london.nextOnGrid(Date.parse('2026-06-08T08:00:00.001Z'), 15))).toBe(
      '2026-06-08T08:15:00.000Z',
    );
    expect(london.isOnGrid(Date.parse('2026-06-08T08:00:30Z'), 5)).toBe(false);
  });
});

describe('calendar days', () => {
  it('lists every date with its ISO weekday, both ends included, across a DST change', () => {
    expect(calendarDays('2026-03-27', '2026-03-30')).toEqual([
      { date: '2026-03-27', weekday: 5 },
      { date: '2026-03-28', weekday: 6 },
      { date: '2026-03-29', weekday: 7 },
      { date: '2026-03-30', weekday: 1 },
    ]);
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
  });
});

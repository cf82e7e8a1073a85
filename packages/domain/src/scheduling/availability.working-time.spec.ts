import { DateTime } from 'luxon';
import type { Availability } from './availability.schemas';
import { workingTimeByPractitioner } from './availability.expansion';
import { ClinicClock } from './clinic-clock';
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

describe('workingTimeByPractitioner', () => {
  const london = { id: CLINIC_ID, timeZone: 'Europe/London' };
  const monday = {
    from: Date.parse('2026-06-08T00:00:00Z'),
    to: Date.parse('2026-06-09T00:00:00Z'),
  };
  const hours = (availability: Availability, who = P1): string[] =>
    (workingTimeByPractitioner(availability, london, monday).get(who) ?? []).map(
      (r) =>
        `${local(new Date(r.start).toISOString(), 'Europe/London').slice(11)}–${local(new Date(r.end).toISOString(), 'Europe/London').slice(11)}`,
    );
  const base = { rules: everyDay(P1, '09:00', '17:00'), exceptions: [], closures: [] };

  it('is the weekly rules when nothing else applies', () => {
    expect(hours(base)).toEqual(['09:00–17:00']);
  });

  it('removes time off, here or at every clinic, but not time off at another clinic', () => {
    expect(
      hours({
        ...base,
        exceptions: [
          {
            practitionerId: P1,
            clinicId: CLINIC_ID,
            kind: 'time_off',
            start: '2026-06-08T09:00:00Z',
            end: '2026-06-08T10:00:00Z',
          }, // 10–11 BST
          {
            practitionerId: P1,
            kind: 'time_off',
            start: '2026-06-08T12:00:00Z',
            end: '2026-06-08T13:00:00Z',
          }, // 13–14
          {
            practitionerId: P1,
            clinicId: OTHER_CLINIC_ID,
            kind: 'time_off',
            start: '2026-06-08T14:00:00Z',
            end: '2026-06-08T15:00:00Z',
          },
          {
            practitionerId: P2,
            kind: 'time_off',
            start: '2026-06-08T08:00:00Z',
            end: '2026-06-08T16:00:00Z',
          },
        ],
      }),
    ).toEqual(['09:00–10:00', '11:00–13:00', '14:00–17:00']);
  });

  it('adds extra hours at this clinic, joining touching ranges; time off still wins', () => {
    expect(
      hours({
        ...base,
        exceptions: [
          {
            practitionerId: P1,
            clinicId: CLINIC_ID,
            kind: 'extra_hours',
            start: '2026-06-08T16:00:00Z',
            end: '2026-06-08T18:00:00Z',
          }, // 17–19
          {
            practitionerId: P1,
            clinicId: OTHER_CLINIC_ID,
            kind: 'extra_hours',
            start: '2026-06-08T05:00:00Z',
            end: '2026-06-08T07:00:00Z',
          },
          {
            practitionerId: P1,
            kind: 'time_off',
            start: '2026-06-08T17:30:00Z',
            end: '2026-06-08T20:00:00Z',
          }, // 18:30 on
        ],
      }),
    ).toEqual(['09:00–18:30']);
  });

  it('gives a practitioner with only extra hours those hours', () => {
    expect(
      hours(
        {
          rules: [],
          closures: [],
          exceptions: [
            {
              practitionerId: P2,
              clinicId: CLINIC_ID,
              kind: 'extra_hours',
              start: '2026-06-08T07:00:00Z',
              end: '2026-06-08T09:00:00Z',
            },
          ],
        },
        P2,
      ),
    ).toEqual(['08:00–10:00']);
  });

  it('removes clinic closures, by local day or by period, and ignores other clinics’ closures', () => {
    expect(
      hours({
        ...base,
        closures: [{ clinicId: CLINIC_ID, date: '2026-06-08', reason: 'Bank holiday' }],
      }),
    ).toEqual([]);
    expect(
      hours({
        ...base,
        closures: [{ clinicId: OTHER_CLINIC_ID, date: '2026-06-08', reason: 'Bank holiday' }],
      }),
    ).toEqual(['09:00–17:00']);
    expect(
      hours({
        ...base,
        closures: [
          {
            clinicId: CLINIC_ID,
            start: '2026-06-08T11:00:00Z',
            end: '2026-06-08T13:30:00Z',
            reason: 'Burst pipe',
          },
        ],
      }),
    ).toEqual(['09:00–12:00', '14:30–17:00']);
  });

  it('closes the whole local day on a DST change day, not a UTC day', () => {
    const clock = new ClinicClock('Europe/London');
    const sunday = {
      from: Date.parse('2026-03-28T00:00:00Z'),
      to: Date.parse('2026-03-30T22:00:00Z'),
    };
    const working = workingTimeByPractitioner(
      {
        rules: everyDay(P1, '00:00', '23:59'),
        exceptions: [],
        closures: [{ clinicId: CLINIC_ID, date: '2026-03-29', reason: 'Closed' }],
      },
      london,
      sunday,
      clock,
    );
    const ranges = (working.get(P1) ?? []).map((r) => [
      new Date(r.start).toISOString(),
      new Date(r.end).toISOString(),
    ]);
    expect(ranges).toEqual([
      ['2026-03-28T00:00:00.000Z', '2026-03-28T23:59:00.000Z'], // Saturday, GMT
      // Sunday the 29th, 00:00Z–23:00Z (23 hours), is closed; Monday starts at 00:00 BST.
      ['2026-03-29T23:00:00.000Z', '2026-03-30T22:00:00.000Z'],
    ]);
  });
});

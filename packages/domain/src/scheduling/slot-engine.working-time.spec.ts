import { findSlots } from './slot-engine';
import {
  CLINIC_ID,
  dryNeedling30,
  everyDay,
  localDates,
  localTimes,
  practitioner,
  practitionerId,
  searchInput,
} from './testing/slot-search.fixtures';

// The default search: London (BST, UTC+1), one practitioner 09:00–12:00 every day, one room.
const P1 = practitionerId(1);

describe('findSlots: working time', () => {
  const week = { from: '2026-06-07T23:00:00Z', to: '2026-06-13T23:00:00Z' }; // Mon–Sat, London local days

  it('stops offering needling when the certification expires mid-range (valid through its date)', () => {
    const slots = findSlots(
      searchInput({
        ...week,
        practitioners: [practitioner(1, { dryNeedlingCertExpiresOn: '2026-06-10' })],
      }),
    );
    expect(localDates(slots)).toEqual(['2026-06-08', '2026-06-09', '2026-06-10']);
    const evaluation = dryNeedling30({
      name: 'Initial evaluation 60 min',
      durationMinutes: 60,
      requiresDryNeedlingCert: false,
    });
    const evaluations = findSlots(
      searchInput({
        ...week,
        appointmentType: evaluation,
        practitioners: [practitioner(1, { dryNeedlingCertExpiresOn: '2026-06-10' })],
      }),
    );
    expect(localDates(evaluations)).toHaveLength(6);
    expect(
      findSlots(
        searchInput({ practitioners: [practitioner(1, { dryNeedlingCertExpiresOn: null })] }),
      ),
    ).toEqual([]);
  });

  it('offers nothing while the clinic is closed, for a day or a period', () => {
    const closedDay = findSlots(
      searchInput({
        ...week,
        availability: {
          rules: everyDay(P1, '09:00', '12:00'),
          exceptions: [],
          closures: [{ clinicId: CLINIC_ID, date: '2026-06-09', reason: 'Staff training' }],
        },
      }),
    );
    expect(localDates(closedDay)).toEqual([
      '2026-06-08',
      '2026-06-10',
      '2026-06-11',
      '2026-06-12',
      '2026-06-13',
    ]);
    const closedHour = findSlots(
      searchInput({
        availability: {
          rules: everyDay(P1, '09:00', '12:00'),
          exceptions: [],
          closures: [
            {
              clinicId: CLINIC_ID,
              start: '2026-06-08T09:00:00Z',
              end: '2026-06-08T10:00:00Z',
              reason: 'Fire drill',
            },
          ],
        },
      }),
    );
    expect(localTimes(closedHour)).toEqual(['09:00', '09:15', '09:30', '11:00', '11:15', '11:30']);
  });

  it('honours time off and extra hours', () => {
    const slots = findSlots(
      searchInput({
        availability: {
          rules: everyDay(P1, '09:00', '12:00'),
          closures: [],
          exceptions: [
            {
              practitionerId: P1,
              kind: 'time_off',
              start: '2026-06-08T09:00:00Z',
              end: '2026-06-08T09:30:00Z',
            },
            {
              practitionerId: P1,
              clinicId: CLINIC_ID,
              kind: 'extra_hours',
              start: '2026-06-08T11:00:00Z',
              end: '2026-06-08T12:00:00Z',
            },
          ],
        },
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
      '11:45',
      '12:00',
      '12:15',
      '12:30',
    ]);
  });
});

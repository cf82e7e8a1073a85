import {
  AvailabilityException,
  ClinicClosure,
  WeeklyAvailabilityRule,
} from './availability.schemas';
import { AppointmentType, Practitioner, Room } from './resources.schemas';
import {
  searchInput,
  dryNeedling30,
  practitioner,
  room,
  CLINIC_ID,
  practitionerId,
} from './testing/slot-search.fixtures';
import { Slot, SlotSearchInput } from './slot-search.schemas';

const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] =>
  (r.error?.issues ?? []).map((i) => i.path.join('.'));

describe('resource schemas', () => {
  it('accept the fixtures and reject what the clinic cannot use', () => {
    expect(AppointmentType.safeParse(dryNeedling30()).success).toBe(true);
    expect(
      paths(AppointmentType.safeParse(dryNeedling30({ durationMinutes: 0, colour: 'teal' }))),
    ).toEqual(['durationMinutes', 'colour']);
    expect(
      paths(
        AppointmentType.safeParse(
          dryNeedling30({ usesEstim: true, requiresDryNeedlingCert: false }),
        ),
      ),
    ).toEqual(['requiresDryNeedlingCert']);
    expect(
      Practitioner.safeParse(practitioner(1, { dryNeedlingCertExpiresOn: null })).success,
    ).toBe(true);
    expect(
      paths(Practitioner.safeParse(practitioner(1, { dryNeedlingCertExpiresOn: '2026-02-30' }))),
    ).toEqual(['dryNeedlingCertExpiresOn']);
    expect(Room.safeParse(room(1)).success).toBe(true);
  });
});

describe('availability schemas', () => {
  const rule = {
    practitionerId: practitionerId(1),
    clinicId: CLINIC_ID,
    weekday: 1,
    start: '09:00',
    end: '12:00',
    effectiveFrom: '2026-01-01',
    effectiveTo: null,
  };

  it('validate weekly rules', () => {
    expect(WeeklyAvailabilityRule.safeParse(rule).success).toBe(true);
    expect(paths(WeeklyAvailabilityRule.safeParse({ ...rule, weekday: 0 }))).toEqual(['weekday']);
    expect(paths(WeeklyAvailabilityRule.safeParse({ ...rule, start: '9:00' }))).toEqual(['start']);
    expect(paths(WeeklyAvailabilityRule.safeParse({ ...rule, end: '24:00' }))).toEqual(['end']);
    expect(
      paths(WeeklyAvailabilityRule.safeParse({ ...rule, start: '12:00', end: '09:00' })),
    ).toEqual(['end']);
    expect(paths(WeeklyAvailabilityRule.safeParse({ ...rule, effectiveTo: '2025-12-31' }))).toEqual(
      ['effectiveTo'],
    );
  });

  it('validate exceptions: real instants, in order, extra hours tied to a clinic', () => {
    const off = {
      practitionerId: practitionerId(1),
      kind: 'time_off',
      start: '2026-06-08T09:00:00+01:00',
      end: '2026-06-08T17:00:00+01:00',
    };
    expect(AvailabilityException.safeParse(off).success).toBe(true);
    expect(
      paths(AvailabilityException.safeParse({ ...off, start: '2026-06-08T09:00:00' })),
    ).toEqual(['start']);
    expect(paths(AvailabilityException.safeParse({ ...off, end: off.start }))).toEqual(['end']);
    expect(paths(AvailabilityException.safeParse({ ...off, kind: 'extra_hours' }))).toEqual([
      'clinicId',
    ]);
  });

  it('validate closures by day or by period', () => {
    expect(
      ClinicClosure.safeParse({ clinicId: CLINIC_ID, date: '2026-12-25', reason: 'Christmas Day' })
        .success,
    ).toBe(true);
    expect(
      ClinicClosure.safeParse({
        clinicId: CLINIC_ID,
        start: '2026-06-08T12:00:00Z',
        end: '2026-06-08T14:00:00Z',
        reason: 'Power cut',
      }).success,
    ).toBe(true);
    expect(
      ClinicClosure.safeParse({ clinicId: CLINIC_ID, date: '2026-12-25', reason: '' }).success,
    ).toBe(false);
    expect(
      ClinicClosure.safeParse({
        clinicId: CLINIC_ID,
        start: '2026-06-08T14:00:00Z',
        end: '2026-06-08T12:00:00Z',
        reason: 'x',
      }).success,
    ).toBe(false);
  });
});

describe('slot search schemas', () => {
  it('accept a search and bound its window', () => {
    expect(SlotSearchInput.safeParse(searchInput()).success).toBe(true);
    expect(paths(SlotSearchInput.safeParse(searchInput({ to: '2026-06-07T00:00:00Z' })))).toEqual([
      'to',
    ]);
    expect(paths(SlotSearchInput.safeParse(searchInput({ to: '2026-07-10T00:00:00Z' })))).toEqual([
      'to',
    ]);
    expect(paths(SlotSearchInput.safeParse({ ...searchInput(), gridMinutes: 20 }))).toEqual([
      'gridMinutes',
    ]);
    expect(
      paths(
        SlotSearchInput.safeParse(
          searchInput({ clinic: { id: CLINIC_ID, timeZone: 'Europe/Londres' } }),
        ),
      ),
    ).toEqual(['clinic.timeZone']);
  });

  it('describes a slot in UTC', () => {
    expect(
      Slot.safeParse({
        start: '2026-06-08T08:00:00.000Z',
        end: '2026-06-08T08:30:00.000Z',
        practitionerId: practitionerId(1),
        roomId: room(1).id,
      }).success,
    ).toBe(true);
  });
});

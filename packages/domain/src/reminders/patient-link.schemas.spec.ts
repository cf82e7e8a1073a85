import {
  callTheClinic,
  canPatientCancel,
  PATIENT_CANCEL_REASON,
  PatientAppointmentView,
  patientActions,
  patientAppointmentView,
  PatientCancelRequest,
  patientCancelCutoff,
  PatientRescheduleRequest,
  PatientSlotQuery,
  patientSlotWindow,
  PRE_VISIT_ADVICE,
} from './patient-link.schemas';

const START = '2026-03-10T09:00:00.000Z';

describe('canPatientCancel / patientCancelCutoff', () => {
  it('puts the cut-off lateCancelHours before the start', () => {
    expect(patientCancelCutoff(START, 24)).toBe('2026-03-09T09:00:00.000Z');
    expect(patientCancelCutoff(START, 0)).toBe(START);
  });

  it('allows cancelling strictly before the cut-off only', () => {
    expect(canPatientCancel(START, '2026-03-09T08:59:59.999Z', 24)).toBe(true);
    expect(canPatientCancel(START, '2026-03-09T09:00:00.000Z', 24)).toBe(false);
    expect(canPatientCancel(START, '2026-03-09T12:00:00.000Z', 24)).toBe(false);
  });

  it('with no cut-off allows it until the start, never after', () => {
    expect(canPatientCancel(START, '2026-03-10T08:59:00.000Z', 0)).toBe(true);
    expect(canPatientCancel(START, START, 0)).toBe(false);
  });

  it('counts elapsed hours across a DST change, not wall-clock ones', () => {
    // London springs forward at 01:00 UTC on 29 March 2026: 24 h before 12:00 BST is 11:00 GMT the day before.
    expect(patientCancelCutoff('2026-03-29T11:00:00.000Z', 24)).toBe('2026-03-28T11:00:00.000Z');
  });
});

describe('patientActions', () => {
  const early = '2026-03-01T10:00:00.000Z';
  const late = '2026-03-10T06:00:00.000Z';

  it('booked, well ahead: everything is possible', () => {
    expect(
      patientActions({ status: 'booked', start: START, now: early, lateCancelHours: 24 }),
    ).toEqual({
      canConfirm: true,
      canCancel: true,
      canReschedule: true,
      cancelCutoff: '2026-03-09T09:00:00.000Z',
    });
  });

  it('confirmed: no second confirm, cancel and move still possible', () => {
    expect(
      patientActions({ status: 'confirmed', start: START, now: early, lateCancelHours: 24 }),
    ).toMatchObject({
      canConfirm: false,
      canCancel: true,
      canReschedule: true,
    });
  });

  it('after the cut-off: confirm only', () => {
    expect(
      patientActions({ status: 'booked', start: START, now: late, lateCancelHours: 24 }),
    ).toMatchObject({
      canConfirm: true,
      canCancel: false,
      canReschedule: false,
    });
  });

  it.each(['cancelled', 'completed', 'no_show', 'checked_in', 'in_session'] as const)(
    '%s: nothing',
    (status) => {
      expect(
        patientActions({ status, start: START, now: early, lateCancelHours: 24 }),
      ).toMatchObject({
        canConfirm: false,
        canCancel: false,
        canReschedule: false,
      });
    },
  );

  it('after the start: nothing, even when booked', () => {
    expect(
      patientActions({
        status: 'booked',
        start: START,
        now: '2026-03-10T09:00:00.000Z',
        lateCancelHours: 0,
      }),
    ).toMatchObject({ canConfirm: false, canCancel: false, canReschedule: false });
  });
});

describe('patientAppointmentView', () => {
  const view = patientAppointmentView({
    appointment: {
      id: '3f1b7c1e-8a55-4b7e-9a53-0e7b9e2b1c11',
      status: 'booked',
      start: START,
      end: '2026-03-10T09:30:00.000Z',
      version: 2,
      rescheduleRequestedAt: null,
    },
    clinic: { name: 'London Bridge', phone: '+442079460101', timeZone: 'Europe/London' },
    patientFirstName: 'Olivia',
    policy: { lateCancelHours: 24, locale: 'en-GB' },
    now: '2026-03-01T10:00:00.000Z',
  });

  it('is a valid view with the clinic wall-clock time and the advice', () => {
    expect(PatientAppointmentView.parse(view)).toEqual(view);
    expect(view).toMatchObject({
      timeZone: 'Europe/London',
      localDateTime: 'Tue 10 Mar 2026, 09:00 GMT',
      clinic: { name: 'London Bridge', phone: '+442079460101' },
      canConfirm: true,
      rescheduleRequested: false,
    });
    expect(view.preVisitAdvice).toEqual([...PRE_VISIT_ADVICE]);
  });

  it('holds only the listed fields: no type, practitioner, room, patient id or screening', () => {
    expect(Object.keys(view).sort()).toEqual(
      [
        'appointmentId',
        'status',
        'start',
        'end',
        'timeZone',
        'localDateTime',
        'clinic',
        'patientFirstName',
        'version',
        'canConfirm',
        'canCancel',
        'cancelCutoff',
        'canReschedule',
        'rescheduleRequested',
        'preVisitAdvice',
      ].sort(),
    );
  });

  it('advice is generic: it never names the treatment', () => {
    const text = PRE_VISIT_ADVICE.join(' ').toLowerCase();
    for (const word of ['needl', 'e-stim', 'stimulat', 'diagnos', 'acupunct'])
      expect(text).not.toContain(word);
    expect(text).toContain('light meal');
    expect(text).toContain('loose');
    expect(text).toContain('water');
    expect(text).toContain('medication');
    expect(text).toContain('pregnant');
  });
});

describe('request schemas', () => {
  it('cancel: the reason is optional with a default, trimmed, bounded', () => {
    expect(PatientCancelRequest.parse({})).toEqual({ reason: PATIENT_CANCEL_REASON });
    expect(PatientCancelRequest.parse({ reason: '  away that week ' })).toEqual({
      reason: 'away that week',
    });
    expect(PatientCancelRequest.safeParse({ reason: '   ' }).success).toBe(false);
    expect(PatientCancelRequest.safeParse({ reason: 'x'.repeat(501) }).success).toBe(false);
  });

  it('reschedule: start instant and version; other ids are refused, not silently dropped', () => {
    expect(PatientRescheduleRequest.parse({ start: START, version: 1 })).toEqual({
      start: START,
      version: 1,
    });
    const extra = PatientRescheduleRequest.safeParse({
      start: START,
      version: 1,
      practitionerId: 'x',
    });
    expect(extra.error?.issues).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['practitionerId'] }),
    ]);
    expect(
      PatientRescheduleRequest.safeParse({ start: '2026-03-10 09:00', version: 1 }).success,
    ).toBe(false);
    expect(PatientRescheduleRequest.safeParse({ start: START }).success).toBe(false);
    expect(PatientRescheduleRequest.safeParse({ start: START, version: 0 }).success).toBe(false);
  });

  it('slot query: optional instants, to after from', () => {
    expect(PatientSlotQuery.safeParse({}).success).toBe(true);
    expect(PatientSlotQuery.safeParse({ from: 'soon' }).success).toBe(false);
    expect(PatientSlotQuery.safeParse({ from: START, to: START }).success).toBe(false);
  });
});

describe('patientSlotWindow', () => {
  const now = '2026-03-01T10:00:00.000Z';

  it('defaults to now → 14 days', () => {
    expect(patientSlotWindow({}, now)).toEqual({
      ok: true,
      from: now,
      to: '2026-03-15T10:00:00.000Z',
    });
  });

  it('starts a window given in the past at now, and 14 days from a given from', () => {
    expect(
      patientSlotWindow({ from: '2026-02-01T00:00:00Z', to: '2026-03-05T00:00:00Z' }, now),
    ).toEqual({
      ok: true,
      from: now,
      to: '2026-03-05T00:00:00.000Z',
    });
    expect(patientSlotWindow({ from: '2026-03-05T00:00:00Z' }, now)).toMatchObject({
      to: '2026-03-19T00:00:00.000Z',
    });
  });

  it('refuses more than 31 days and a window already over', () => {
    expect(patientSlotWindow({ to: '2026-04-02T10:00:00Z' }, now)).toMatchObject({
      ok: false,
      field: 'query.to',
    });
    expect(patientSlotWindow({ to: '2026-04-01T10:00:00Z' }, now)).toMatchObject({ ok: true });
    expect(patientSlotWindow({ to: '2026-02-01T10:00:00Z' }, now)).toMatchObject({
      ok: false,
      field: 'query.to',
    });
  });
});

describe('callTheClinic', () => {
  it('names the phone when there is one', () => {
    expect(callTheClinic('+442079460101')).toBe('Please call the clinic on +442079460101.');
    expect(callTheClinic(null)).toBe('Please call the clinic.');
  });
});

import { CreateAppointmentRequest, CancelRequest, SlotQuery } from './appointments.schemas';
import {
  CreateClinicClosureRequest,
  CreateAvailabilityRuleRequest,
} from './availability-api.schemas';
import { CreateDeviceRequest } from './devices.schemas';
import { PostNoticeRequest } from './notice.schemas';
import { CreatePatientRequest, PatientSearchBody, PatientSearchQuery } from './patients.schemas';
import { PatientCancelRequest } from './reminders/patient-link.schemas';
import { ReminderPolicyRequest } from './reminders/reminder-policy.schemas';
import {
  CreateAppointmentTypeRequest,
  CreatePractitionerRequest,
  CreateRoomRequest,
} from './resources.schemas';
import { CalendarDate, Instant } from './scheduling/calendar.schemas';
import { AlertListQuery, AcknowledgeAlertRequest } from './sessions/alert.schemas';
import { TelemetryReviewQuery } from './sessions/telemetry.downsample';
import { SafetyThresholds, SafetyThresholdsRequest } from './sessions/safety.thresholds';
import { StopSessionRequest } from './sessions/treatment-session.schemas';
import { countParam } from './params.schemas';
import { hasControlCharacter, text } from './text.schemas';

const ID = '7d0c3a52-58c4-4c3f-9a41-3b2a2f6b1e01';
const issuesOf = (r: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string; code: string }[] };
}) =>
  (r.error?.issues ?? []).map((i) => ({
    path: i.path.join('.'),
    message: i.message,
    code: i.code,
  }));

describe('text()', () => {
  it.each([
    ['NUL', 'Room\u00001'],
    ['a C0 control', 'Room\u00071'],
    ['DEL', 'Room\u007f1'],
    ['a C1 control (NEL)', 'Room\u00851'],
    ['a line break in a single-line field', 'Room\n1'],
  ])('refuses %s', (_, value) => {
    expect(issuesOf(text({ max: 80 }).safeParse(value))).toEqual([
      { path: '', message: 'contains control characters', code: 'custom' },
    ]);
  });

  it('keeps accents and emoji, trims, and allows line breaks and tabs only in multi-line notes', () => {
    expect(text({ max: 80 }).parse('  Salle é 3 🪡 ')).toBe('Salle é 3 🪡');
    expect(text({ max: 80, multiline: true }).parse('line one\n\tline two')).toBe(
      'line one\n\tline two',
    );
    expect(text({ max: 80, multiline: true }).safeParse('a\u0000b').success).toBe(false);
    expect(hasControlCharacter('\u00a0non-breaking space is text')).toBe(false);
  });

  it('refuses a control character that trimming would otherwise hide (a trailing vertical tab)', () => {
    expect(text({ max: 80 }).safeParse('Fuzz\u000b').success).toBe(false);
    expect(text({ max: 80 }).safeParse('\u000cRoom').success).toBe(false);
  });

  it('takes patient-search paging as numbers in a body, never as digit strings', () => {
    expect(PatientSearchBody.safeParse({ q: 'ana', limit: '5' }).success).toBe(false);
    expect(PatientSearchBody.parse({ q: 'ana', limit: 5 }).limit).toBe(5);
    expect(PatientSearchQuery.parse({ q: 'ana', limit: '5' }).limit).toBe(5);
  });

  it('bounds the length after trimming, and refuses blank unless min is 0', () => {
    expect(text({ max: 3 }).safeParse('abcd').success).toBe(false);
    expect(text({ max: 3 }).safeParse('   ').success).toBe(false);
    expect(text({ min: 0, max: 3 }).parse('   ')).toBe('');
  });
});

describe('dates and instants are limited to 1900–2200', () => {
  it.each([
    '0000-01-01T00:00:00Z',
    '1899-12-31T23:59:59Z',
    '2201-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '9999-12-31T23:59:59-14:00',
  ])('refuses the instant %s', (value) => {
    expect(issuesOf(Instant.safeParse(value))).toEqual([
      { path: '', message: 'must be between 1900 and 2200', code: 'custom' },
    ]);
  });

  it.each(['1900-01-01T00:00:00Z', '2026-03-29T01:30:00+01:00', '2200-12-31T23:59:59Z'])(
    'accepts the instant %s',
    (value) => {
      expect(Instant.safeParse(value).success).toBe(true);
    },
  );

  it('limits calendar dates the same way, and a malformed value has one issue only', () => {
    expect(CalendarDate.safeParse('0000-01-01').success).toBe(false);
    expect(CalendarDate.safeParse('9999-12-31').success).toBe(false);
    expect(CalendarDate.safeParse('2200-12-31').success).toBe(true);
    expect(issuesOf(Instant.safeParse('soon'))).toHaveLength(1);
  });
});

describe('every request body refuses control characters in its free text', () => {
  const cases: [
    string,
    { safeParse(v: unknown): { success: boolean } },
    Record<string, unknown>,
    string,
  ][] = [
    ['notice', PostNoticeRequest, { message: 'Room 3 closed' }, 'message'],
    ['room', CreateRoomRequest, { name: 'Room 3' }, 'name'],
    [
      'appointment type',
      CreateAppointmentTypeRequest,
      { name: 'DN', durationMinutes: 30, colour: '#1f7a8c' },
      'name',
    ],
    [
      'practitioner',
      CreatePractitionerRequest,
      { name: 'Rhys', credentials: 'PT', clinicIds: [ID] },
      'name',
    ],
    [
      'practitioner credentials',
      CreatePractitionerRequest,
      { name: 'Rhys', credentials: 'PT', clinicIds: [ID] },
      'credentials',
    ],
    [
      'device model',
      CreateDeviceRequest,
      { serial: 'S-1', model: 'Stim', firmware: '1.0', channels: 2 },
      'model',
    ],
    [
      'device firmware',
      CreateDeviceRequest,
      { serial: 'S-1', model: 'Stim', firmware: '1.0', channels: 2 },
      'firmware',
    ],
    [
      'closure reason',
      CreateClinicClosureRequest,
      { date: '2026-12-25', reason: 'Christmas' },
      'reason',
    ],
    ['cancel reason', CancelRequest, { reason: 'Unwell' }, 'reason'],
    ['patient-link cancel', PatientCancelRequest, { reason: 'Away' }, 'reason'],
    [
      'patient name',
      CreatePatientRequest,
      {
        clinicId: ID,
        givenName: 'Ana',
        familyName: 'Gar',
        dateOfBirth: '1980-01-01',
        email: 'a@b.test',
        preferredChannel: 'email',
      },
      'givenName',
    ],
    ['alert note', AcknowledgeAlertRequest, { note: 'seen' }, 'note'],
  ];
  it.each(cases)('%s', (_, schema, valid, field) => {
    expect(schema.safeParse(valid).success).toBe(true);
    // Inside the text, and trailing where trimming would otherwise hide it.
    for (const value of ['a\u0000b', 'ab\u000b']) {
      const bad = schema.safeParse({ ...valid, [field]: value }) as Parameters<typeof issuesOf>[0];
      expect(issuesOf(bad)).toEqual([
        expect.objectContaining({ path: field, message: 'contains control characters' }),
      ]);
    }
  });

  it('adverse-event notes and screening override reasons', () => {
    const stop = StopSessionRequest.safeParse({
      adverseEvent: { kind: 'other', notes: 'x\u0000' },
    }) as Parameters<typeof issuesOf>[0];
    expect(issuesOf(stop).map((i) => i.path)).toContain('adverseEvent.notes');
    const booking = {
      clinicId: ID,
      patientId: ID,
      practitionerId: ID,
      appointmentTypeId: ID,
      start: '2026-03-10T09:00:00Z',
    };
    const override = CreateAppointmentRequest.safeParse({
      ...booking,
      screeningOverride: { reason: 'anticoagulated\u0000, INR ok' },
    }) as Parameters<typeof issuesOf>[0];
    expect(issuesOf(override).map((i) => i.path)).toEqual(['screeningOverride.reason']);
    const trailing = CreateAppointmentRequest.safeParse({
      ...booking,
      screeningOverride: { reason: 'anticoagulated, INR ok\u000b' },
    }) as Parameters<typeof issuesOf>[0];
    expect(issuesOf(trailing).map((i) => i.path)).toEqual(['screeningOverride.reason']);
  });
});

describe('request bodies are strict', () => {
  const booking = {
    clinicId: ID,
    patientId: ID,
    practitionerId: ID,
    appointmentTypeId: ID,
    start: '2026-03-10T09:00:00Z',
  };
  it.each([
    ['booking', CreateAppointmentRequest, { ...booking, roomID: ID }, 'roomID'],
    ['notice', PostNoticeRequest, { message: 'x', urgent: true }, 'urgent'],
    ['reminder policy', ReminderPolicyRequest, { offsets: ['P1D'], quietHour: null }, 'quietHour'],
    [
      'slot query',
      SlotQuery,
      {
        clinicId: ID,
        appointmentTypeId: ID,
        from: '2026-03-10T00:00:00Z',
        to: '2026-03-11T00:00:00Z',
        practitionerID: ID,
      },
      'practitionerID',
    ],
    [
      'availability rule',
      CreateAvailabilityRuleRequest,
      {
        clinicId: ID,
        weekday: 1,
        start: '09:00',
        end: '12:00',
        effectiveFrom: '2026-01-01',
        weekDay: 2,
      },
      'weekDay',
    ],
  ] as const)('%s: an unknown key is refused, naming it', (_, schema, body, key) => {
    const r = (schema as { safeParse(v: unknown): Parameters<typeof issuesOf>[0] }).safeParse(body);
    expect(r.error?.issues).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', keys: [key] }),
    ]);
  });

  it('safety thresholds: the PUT body is strict, stored thresholds are still read', () => {
    expect(
      SafetyThresholdsRequest.safeParse({ offlineAfterMs: 1500, ofline: 1 }).error?.issues,
    ).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['ofline'] })]);
    expect(
      SafetyThresholdsRequest.safeParse({ impedanceMinOhm: 500, impedanceMaxOhm: 400 }).success,
    ).toBe(false);
    expect(SafetyThresholds.parse({ offlineAfterMs: 1500, legacy: true }).offlineAfterMs).toBe(
      1500,
    );
  });

  it('a series inherits the booking strictness', async () => {
    const { SeriesRequest } = await import('./appointments.schemas');
    expect(SeriesRequest.safeParse({ ...booking, occurrences: 3, roomID: ID }).success).toBe(false);
    expect(SeriesRequest.safeParse({ ...booking, occurrences: 3 }).success).toBe(true);
  });
});

describe('ranges: from ≤ to', () => {
  it('refuses an alert or telemetry window that ends before it starts, naming to', () => {
    const window = { from: '2026-03-10T10:00:00Z', to: '2026-03-10T09:00:00Z' };
    expect(issuesOf(AlertListQuery.safeParse(window) as Parameters<typeof issuesOf>[0])).toEqual([
      { path: 'to', message: 'must not be before from', code: 'custom' },
    ]);
    expect(
      issuesOf(TelemetryReviewQuery.safeParse(window) as Parameters<typeof issuesOf>[0]).map(
        (i) => i.path,
      ),
    ).toEqual(['to']);
    expect(AlertListQuery.safeParse({ from: window.to, to: window.to }).success).toBe(true);
    expect(AlertListQuery.safeParse({ from: window.from }).success).toBe(true);
  });
});

describe('countParam', () => {
  const limit = countParam({ min: 1, max: 50 });
  it('reads numbers and decimal strings', () => {
    expect(limit.parse(16)).toBe(16);
    expect(limit.parse('16')).toBe(16);
  });
  it.each(['0x10', '1e1', '', ' 5', '-1', '5.5', [[5]], true, null])(
    'refuses %p instead of coercing it',
    (value) => {
      expect(limit.safeParse(value).success).toBe(false);
    },
  );
});

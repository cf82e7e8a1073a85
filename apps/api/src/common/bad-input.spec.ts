import { PatientLinkSigner, patientLinkExpiry } from '@tautline/queues';
import { randomUUID } from 'node:crypto';
import {
  type BookingFixture,
  loadBookingFixture,
  upcoming,
} from '../scheduling/testing/booking-fixture';
import { startTestApp, type TestApp } from '../testing/test-app';

/**
 * Issue 10 item 11: a NUL byte in any free-text field, a date at 0000 or 9999, `from > to` and an
 * unknown body field are each a 400 problem naming the field, and nothing is written.
 */
describe('bad input never 500s (real PostgreSQL)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let admin: string;
  let scheduler: string;
  let supervisor: string;

  beforeAll(async () => {
    t = await startTestApp('bad-input');
    f = await loadBookingFixture(t);
    [admin, scheduler, supervisor] = await Promise.all([
      t.login('admin@tautline.test'),
      t.login('scheduler@tautline.test'),
      t.login('supervisor@tautline.test'),
    ]);
  });
  afterAll(() => t.close());

  const NUL = 'bad\u0000text';
  const count = async (table: string) =>
    Number(
      (
        (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[]
      )[0]!.n,
    );
  const booking = () => ({
    clinicId: f.londonBridge,
    patientId: f.olivia,
    practitionerId: f.rhys,
    appointmentTypeId: f.dryNeedling30,
    start: upcoming(2, '10:00'),
  });

  /** Sends the request; expects a 400 problem whose errors name `field`, and `table` unchanged. */
  async function refused(
    request: { path: string; method?: string; json?: unknown; token?: string },
    field: string,
    table?: string,
  ) {
    const before = table ? await count(table) : 0;
    const res = await t.request(request.path, {
      method: request.method ?? (request.json === undefined ? 'GET' : 'POST'),
      token: request.token ?? admin,
      ...(request.json === undefined ? {} : { json: request.json }),
    });
    const body = await res.json();
    // The field is named; a range check on the same bad value may add its own line.
    expect({
      status: res.status,
      fields: (body.errors ?? []).map((e: { field: string }) => e.field),
    }).toEqual({
      status: 400,
      fields: expect.arrayContaining([field]),
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (table) expect(await count(table)).toBe(before);
  }

  describe('a NUL byte in free text', () => {
    it.each([
      [
        'room name',
        () => ({ path: `/api/v1/clinics/${f.londonBridge}/rooms`, json: { name: NUL } }),
        'body.name',
        'rooms',
      ],
      [
        'appointment type name',
        () => ({
          path: '/api/v1/appointment-types',
          json: { name: NUL, durationMinutes: 30, colour: '#1f7a8c' },
        }),
        'body.name',
        'appointment_types',
      ],
      [
        'practitioner name',
        () => ({ path: '/api/v1/practitioners', json: { name: NUL, clinicIds: [f.londonBridge] } }),
        'body.name',
        'practitioners',
      ],
      [
        'practitioner credentials',
        () => ({
          path: '/api/v1/practitioners',
          json: { name: 'Dr X', credentials: NUL, clinicIds: [f.londonBridge] },
        }),
        'body.credentials',
        'practitioners',
      ],
      [
        'device model',
        () => ({
          path: `/api/v1/clinics/${f.londonBridge}/devices`,
          json: { serial: 'NUL-1', model: NUL, firmware: '1.0', channels: 2 },
        }),
        'body.model',
        'devices',
      ],
      [
        'closure reason',
        () => ({
          path: `/api/v1/clinics/${f.londonBridge}/closures`,
          json: { date: '2030-12-25', reason: NUL },
        }),
        'body.reason',
        'clinic_closures',
      ],
      [
        'time-off reason',
        () => ({
          path: `/api/v1/practitioners/${f.rhys}/availability-exceptions`,
          json: {
            kind: 'time_off',
            start: '2030-01-01T09:00:00Z',
            end: '2030-01-01T10:00:00Z',
            reason: NUL,
          },
        }),
        'body.reason',
        'availability_exceptions',
      ],
      [
        'patient name',
        () => ({
          path: '/api/v1/patients',
          json: {
            clinicId: f.londonBridge,
            givenName: NUL,
            familyName: 'X',
            dateOfBirth: '1980-01-01',
            email: 'x@y.test',
            preferredChannel: 'email',
          },
        }),
        'body.givenName',
        'patients',
      ],
      [
        'patient search',
        () => ({ path: '/api/v1/patients/search', json: { q: NUL } }),
        'body.q',
        undefined,
      ],
      [
        'notice',
        () => ({
          path: `/api/v1/clinics/${f.londonBridge}/notices`,
          json: { message: NUL },
          token: supervisor,
        }),
        'body.message',
        undefined,
      ],
      [
        'screening override reason',
        () => ({
          path: '/api/v1/appointments',
          json: { ...booking(), screeningOverride: { reason: `anticoagulated ${NUL}` } },
        }),
        'body.screeningOverride.reason',
        'appointments',
      ],
    ])('%s', async (_, request, field, table) => {
      await refused(request(), field, table);
    });

    it('cancel reason, staff and patient link: the appointment stays booked', async () => {
      const res = await t.request('/api/v1/appointments', {
        method: 'POST',
        token: scheduler,
        json: booking(),
      });
      expect(res.status).toBe(201);
      const appointment = (await res.json()) as { id: string; start: string };
      await refused(
        {
          path: `/api/v1/appointments/${appointment.id}/cancel`,
          json: { reason: NUL },
          token: scheduler,
        },
        'body.reason',
      );
      const token = new PatientLinkSigner(t.env.JWT_SECRET).sign({
        appointmentId: appointment.id,
        exp: patientLinkExpiry(new Date(appointment.start)),
      });
      await refused(
        {
          path: `/api/v1/patient-links/${encodeURIComponent(token)}/cancel`,
          json: { reason: NUL },
        },
        'body.reason',
      );
      const [row] = await t.db.dataSource.query(`SELECT status FROM appointments WHERE id = $1`, [
        appointment.id,
      ]);
      expect(row.status).toBe('booked');
    });
  });

  describe('dates at or beyond 0000 / 9999', () => {
    it.each([
      [
        'certification expiry',
        () => ({
          path: '/api/v1/practitioners',
          json: {
            name: 'Dr Y',
            dryNeedlingCertExpiresOn: '9999-12-31',
            clinicIds: [f.londonBridge],
          },
        }),
        'body.dryNeedlingCertExpiresOn',
        'practitioners',
      ],
      [
        'certification expiry (0000)',
        () => ({
          path: '/api/v1/practitioners',
          json: {
            name: 'Dr Y',
            dryNeedlingCertExpiresOn: '0000-01-01',
            clinicIds: [f.londonBridge],
          },
        }),
        'body.dryNeedlingCertExpiresOn',
        'practitioners',
      ],
      [
        'rule effective from',
        () => ({
          path: `/api/v1/practitioners/${f.rhys}/availability-rules`,
          json: {
            clinicId: f.londonBridge,
            weekday: 6,
            start: '09:00',
            end: '12:00',
            effectiveFrom: '0000-01-01',
          },
        }),
        'body.effectiveFrom',
        'availability_rules',
      ],
      [
        'rule effective to',
        () => ({
          path: `/api/v1/practitioners/${f.rhys}/availability-rules`,
          json: {
            clinicId: f.londonBridge,
            weekday: 6,
            start: '09:00',
            end: '12:00',
            effectiveFrom: '2030-01-01',
            effectiveTo: '9999-12-31',
          },
        }),
        'body.effectiveTo',
        'availability_rules',
      ],
      [
        'closure date',
        () => ({
          path: `/api/v1/clinics/${f.londonBridge}/closures`,
          json: { date: '9999-12-31', reason: 'x' },
        }),
        'body.date',
        'clinic_closures',
      ],
      [
        'closure period',
        () => ({
          path: `/api/v1/clinics/${f.londonBridge}/closures`,
          json: { start: '9999-12-31T00:00:00Z', end: '9999-12-31T23:00:00Z', reason: 'x' },
        }),
        'body.start',
        'clinic_closures',
      ],
      [
        'exception start',
        () => ({
          path: `/api/v1/practitioners/${f.rhys}/availability-exceptions`,
          json: { kind: 'time_off', start: '0000-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' },
        }),
        'body.start',
        'availability_exceptions',
      ],
      [
        'booking start',
        () => ({
          path: '/api/v1/appointments',
          json: { ...booking(), start: '9999-12-31T23:55:00Z' },
          token: scheduler,
        }),
        'body.start',
        'appointments',
      ],
      [
        'consent signed on',
        () => ({
          path: `/api/v1/patients/${f.olivia}/consents`,
          json: { kind: 'estim', signedOn: '0000-01-01', version: 'v1' },
        }),
        'body.signedOn',
        'patient_consents',
      ],
    ])('%s', async (_, request, field, table) => {
      await refused(request(), field, table);
    });

    const from0 = encodeURIComponent('0000-01-01T00:00:00Z');
    const to9 = encodeURIComponent('9999-12-31T00:00:00Z');
    const ok = encodeURIComponent('2030-01-01T00:00:00Z');
    it.each([
      [
        'slot window',
        () =>
          `/api/v1/slots?clinicId=${f.londonBridge}&appointmentTypeId=${f.dryNeedling30}&from=${from0}&to=${ok}`,
        'query.from',
      ],
      [
        'calendar read',
        () => `/api/v1/appointments?clinicId=${f.londonBridge}&from=${ok}&to=${to9}`,
        'query.to',
      ],
      [
        'alert history',
        () => `/api/v1/alerts?clinicId=${f.londonBridge}&from=${from0}`,
        'query.from',
      ],
      ['closures', () => `/api/v1/clinics/${f.londonBridge}/closures?from=${from0}`, 'query.from'],
      ['availability', () => `/api/v1/practitioners/${f.rhys}/availability?to=${to9}`, 'query.to'],
      [
        'telemetry review',
        () => `/api/v1/sessions/${randomUUID()}/telemetry?from=${from0}`,
        'query.from',
      ],
    ])('%s (query)', async (_, path, field) => {
      await refused({ path: path(), token: supervisor }, field);
    });
  });

  it('from after to is a 400 on the alert history (it used to answer 200 [])', async () => {
    const later = encodeURIComponent('2030-01-02T00:00:00Z');
    const earlier = encodeURIComponent('2030-01-01T00:00:00Z');
    await refused(
      {
        path: `/api/v1/alerts?clinicId=${f.londonBridge}&from=${later}&to=${earlier}`,
        token: supervisor,
      },
      'query.to',
    );
  });

  // Found by the OpenAPI fuzz test: numbers were coerced (`0x10` = 16, `[[1]]` = 1), a JSON null body read as {}.
  it.each([
    [
      'a hex limit',
      () => ({ path: `/api/v1/clinics/${f.londonBridge}/message-log?limit=0x10` }),
      'query.limit',
    ],
    [
      'a nested-array limit',
      () => ({ path: '/api/v1/patients/search', json: { q: 'oli', limit: [[[1]]] } }),
      'body.limit',
    ],
    [
      'a hex slot grid',
      () => ({
        path: `/api/v1/slots?clinicId=${f.londonBridge}&appointmentTypeId=${f.dryNeedling30}&from=${encodeURIComponent(upcoming(2, '08:00'))}&to=${encodeURIComponent(upcoming(2, '12:00'))}&grid=0xf`,
        token: scheduler,
      }),
      'query.grid',
    ],
  ])('%s is refused, not coerced', async (_, request, field) => {
    await refused(request(), field);
  });

  it.each([
    ['a misspelt limit', { offlineAfterMs: 1500, fuzzExtra: 1 }, 'body.fuzzExtra'],
    ['a deeply nested object', JSON.parse(`${'{"a":'.repeat(64)}1${'}'.repeat(64)}`), 'body.a'],
  ])('safety thresholds: %s is refused and nothing is written', async (_, json, field) => {
    await refused(
      { path: `/api/v1/clinics/${f.londonBridge}/safety-thresholds`, method: 'PUT', json },
      field,
      'clinic_safety_thresholds',
    );
  });

  it('a JSON null body is refused, not read as an empty policy', async () => {
    const res = await t.request(`/api/v1/clinics/${f.londonBridge}/reminder-policy`, {
      method: 'PUT',
      token: admin,
      headers: { 'content-type': 'application/json' },
      body: 'null',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.map((e: { field: string }) => e.field)).toEqual(['body']);
    expect(await count('reminder_policies')).toBe(0);
  });

  it('an unknown body field is refused, naming it, instead of booking another room', async () => {
    const before = await count('appointments');
    const res = await t.request('/api/v1/appointments', {
      method: 'POST',
      token: scheduler,
      json: { ...booking(), roomID: f.rooms.plain[0] },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([
      { field: 'body.roomID', message: 'unrecognized key' },
    ]);
    expect(await count('appointments')).toBe(before);
  });
});

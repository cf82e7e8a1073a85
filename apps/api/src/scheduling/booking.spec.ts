import { startTestApp, type TestApp } from '../testing/test-app';
import { type BookingFixture, loadBookingFixture, upcoming } from './testing/booking-fixture';

describe('booking (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let scheduler: string;
  let supervisor: string;

  beforeAll(async () => {
    t = await startTestApp('booking');
    f = await loadBookingFixture(t);
    scheduler = await t.login('scheduler@tautline.test');
    supervisor = await t.login('supervisor@tautline.test');
  });
  afterAll(() => t.close());

  const book = (
    json: Record<string, unknown>,
    token = scheduler,
    headers: Record<string, string> = {},
  ) => t.request('/api/v1/appointments', { method: 'POST', token, json, headers });
  const count = async () =>
    (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM appointments`))[0].n as number;
  const base = (start: string) => ({
    clinicId: f.londonBridge,
    patientId: f.olivia,
    practitionerId: f.rhys,
    appointmentTypeId: f.dryNeedling30,
    start,
  });

  it('offers slots inside working hours on the 15-minute grid in the clinic zone', async () => {
    const from = upcoming(1, '00:00');
    const to = upcoming(1, '23:59');
    const res = await t.request(
      `/api/v1/slots?clinicId=${f.londonBridge}&appointmentTypeId=${f.dryNeedling30}&from=${from}&to=${to}&practitionerId=${f.rhys}&patientId=${f.olivia}`,
      { token: scheduler },
    );
    expect(res.status).toBe(200);
    const { slots, timeZone, gridMinutes } = await res.json();
    expect(timeZone).toBe('Europe/London');
    expect(gridMinutes).toBe(15);
    expect(slots.map((s: { start: string }) => s.start)).toContain(upcoming(1, '09:00'));
    const local = slots.map((s: { start: string }) =>
      new Date(s.start).toLocaleTimeString('en-GB', {
        timeZone: 'Europe/London',
        hour: '2-digit',
        minute: '2-digit',
      }),
    );
    expect(local[0]).toBe('08:00');
    expect(local).not.toContain('12:00'); // lunch: 12:00–13:00
    expect(local.every((l: string) => /:(00|15|30|45)$/.test(l))).toBe(true);
  });

  it('books, lists it on the calendar and stops offering the time', async () => {
    const start = upcoming(1, '09:00');
    const res = await book(base(start));
    expect(res.status).toBe(201);
    const appointment = await res.json();
    expect(appointment).toMatchObject({
      status: 'booked',
      version: 1,
      practitionerId: f.rhys,
      start,
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
    });
    expect(new Date(appointment.end).getTime() - new Date(start).getTime()).toBe(30 * 60_000);

    const list = await t.request(
      `/api/v1/appointments?clinicId=${f.londonBridge}&from=${upcoming(1, '00:00')}&to=${upcoming(1, '23:59')}`,
      { token: scheduler },
    );
    expect((await list.json()).map((a: { id: string }) => a.id)).toContain(appointment.id);

    const slots = await t.request(
      `/api/v1/slots?clinicId=${f.londonBridge}&appointmentTypeId=${f.dryNeedling30}&from=${upcoming(1, '08:00')}&to=${upcoming(1, '11:00')}&practitionerId=${f.rhys}`,
      { token: scheduler },
    );
    const starts = (await slots.json()).slots.map((s: { start: string }) => s.start);
    // 09:00–09:30 plus 5 min before and 10 after: 08:30 (ends 09:10 with its 10 min) up to 09:30 are gone.
    for (const taken of ['08:30', '08:45', '09:00', '09:15', '09:30'])
      expect(starts).not.toContain(upcoming(1, taken));
    expect(starts).toContain(upcoming(1, '08:15'));
    expect(starts).toContain(upcoming(1, '09:45'));
  });

  it('answers an idempotent retry with the original, and refuses the key for another body', async () => {
    const body = base(upcoming(2, '10:00'));
    const key = 'retry-me-1';
    const first = await book(body, scheduler, { 'idempotency-key': key });
    const again = await book(body, scheduler, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await again.json()).id).toBe((await first.json()).id);
    const other = await book({ ...body, start: upcoming(2, '11:00') }, scheduler, {
      'idempotency-key': key,
    });
    expect(other.status).toBe(409);
    expect((await other.json()).errors[0].field).toBe('header.idempotency-key');
  });

  it('names the clashing practitioner, patient or room and the appointment in the way', async () => {
    const start = upcoming(3, '14:00');
    const first = await (await book({ ...base(start), roomId: f.rooms.plain[0] })).json();

    const practitionerClash = await book({ ...base(upcoming(3, '14:15')), patientId: f.hannah });
    expect(practitionerClash.status).toBe(409);
    expect(await practitionerClash.json()).toMatchObject({
      resource: 'practitioner',
      conflictingAppointmentId: first.id,
    });

    const patientClash = await book({ ...base(start), practitionerId: f.eleanor });
    expect(patientClash.status).toBe(409);
    expect((await patientClash.json()).resource).toBe('patient');

    const roomClash = await book({
      ...base(start),
      practitionerId: f.eleanor,
      patientId: f.hannah,
      roomId: f.rooms.plain[0],
    });
    expect(roomClash.status).toBe(409);
    expect(await roomClash.json()).toMatchObject({
      resource: 'room',
      conflictingAppointmentId: first.id,
    });
  });

  it('rejects bad input with a clear problem and writes nothing', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, number, string | RegExp][] = [
      [{ ...base('2020-01-06T09:00:00Z') }, 422, /past/],
      [{ ...base(upcoming(1, '09:07')) }, 400, /grid/],
      [{ ...base(upcoming(1, '09:00')), start: 'tomorrow at nine' }, 400, /body\.start/],
      [
        {
          ...base(upcoming(1, '10:00')),
          appointmentTypeId: '00000000-0000-4000-8000-000000000000',
        },
        404,
        /appointment type/,
      ],
      [
        { ...base(upcoming(1, '10:00')), clinicId: f.manchester },
        422,
        /does not work at this clinic/,
      ],
      [
        {
          ...base(upcoming(1, '10:00')),
          appointmentTypeId: f.estim45,
          practitionerId: f.eleanor,
          roomId: f.rooms.plain[0],
        },
        422,
        /stimulator/,
      ],
      [
        { ...base(upcoming(2, '10:00')), clinicId: f.manchester, practitionerId: f.priya },
        422,
        /certification/,
      ],
      [{ ...base(upcoming(1, '10:00')), patientId: f.declan }, 422, /consent/i],
      [{ ...base(upcoming(1, '20:00')) }, 422, /not available/],
    ];
    for (const [body, status, message] of cases) {
      const res = await book(body);
      const problem = await res.json();
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(JSON.stringify(problem)).toMatch(message);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect(await count()).toBe(before);
  });

  it('blocks e-stim for a pacemaker, and a relative contraindication without a clinician override', async () => {
    const estim = {
      ...base(upcoming(1, '15:00')),
      appointmentTypeId: f.estim45,
      practitionerId: f.eleanor,
      patientId: f.kwame,
    };
    const blocked = await book(estim);
    expect(blocked.status).toBe(422);
    expect((await blocked.json()).screening.needsOverride).toBe(false);

    const george = {
      ...base(upcoming(2, '15:00')),
      clinicId: f.manchester,
      practitionerId: f.eleanor,
      patientId: f.george,
    };
    const needsOverride = await book(george);
    expect(needsOverride.status).toBe(422);
    expect((await needsOverride.json()).screening.needsOverride).toBe(true);

    const override = {
      screeningOverride: { reason: 'INR 2.1 this week; superficial points only, pressure after' },
    };
    expect((await book({ ...george, ...override })).status).toBe(403); // schedulers may not decide
    const accepted = await book({ ...george, ...override }, supervisor);
    expect(accepted.status).toBe(201);
    const appointment = await accepted.json();
    expect(appointment.screeningOverrideReason).toBe(override.screeningOverride.reason);
    // Accountability: the supervisor who signed the override, not Eleanor (booked), is on record.
    const [row] = await t.db.dataSource.query(
      `SELECT overridden_by FROM appointments WHERE id = $1`,
      [appointment.id],
    );
    expect(row.overridden_by).toBe(t.demo.userIds['supervisor@tautline.test']);
  });
});

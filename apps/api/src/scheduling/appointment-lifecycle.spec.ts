import {
  type AppointmentChangedEvent,
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type ServerToClientEvents,
} from '@tautline/domain';
import { io, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../testing/test-app';
import { type BookingFixture, loadBookingFixture, upcoming } from './testing/booking-fixture';

describe('appointment lifecycle, series, live updates and tenancy', () => {
  let t: TestApp;
  let f: BookingFixture;
  let scheduler: string;

  beforeAll(async () => {
    t = await startTestApp('lifecycle');
    f = await loadBookingFixture(t);
    scheduler = await t.login('scheduler@tautline.test');
  });
  afterAll(() => t.close());

  const post = (path: string, json: unknown, token = scheduler) =>
    t.request(path, { method: 'POST', token, json });
  const book = async (start: string, extra: Record<string, unknown> = {}) => {
    const res = await post('/api/v1/appointments', {
      clinicId: f.londonBridge,
      patientId: f.olivia,
      practitionerId: f.rhys,
      appointmentTypeId: f.dryNeedling30,
      start,
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.json();
  };

  it('reschedules with the version seen, and refuses a stale one', async () => {
    const a = await book(upcoming(1, '09:00', 'Europe/London', 5));
    const moved = await t.request(`/api/v1/appointments/${a.id}`, {
      method: 'PATCH',
      token: scheduler,
      json: { version: 1, start: upcoming(1, '11:00', 'Europe/London', 5) },
    });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({
      version: 2,
      start: upcoming(1, '11:00', 'Europe/London', 5),
      roomId: a.roomId,
    });
    const stale = await t.request(`/api/v1/appointments/${a.id}`, {
      method: 'PATCH',
      token: scheduler,
      json: { version: 1, start: upcoming(1, '14:00', 'Europe/London', 5) },
    });
    expect(stale.status).toBe(409);
    expect((await stale.json()).resource).toBe('version');
  });

  it('follows the state machine: cancel frees the time, illegal moves are 409', async () => {
    const start = upcoming(2, '09:00', 'Europe/London', 5);
    const a = await book(start, { practitionerId: f.rhys });
    expect((await post(`/api/v1/appointments/${a.id}/complete`, {})).status).toBe(409);
    const noReason = await post(`/api/v1/appointments/${a.id}/cancel`, {});
    expect((await noReason.json()).errors[0].field).toBe('body.reason');
    const unknownAction = await post(`/api/v1/appointments/${a.id}/teleport`, {});
    expect(unknownAction.status).toBe(400);
    expect((await unknownAction.json()).errors[0].field).toBe('param.action');
    const cancelled = await post(`/api/v1/appointments/${a.id}/cancel`, {
      reason: 'Patient unwell',
    });
    expect(await cancelled.json()).toMatchObject({
      status: 'cancelled',
      cancelledReason: 'Patient unwell',
    });
    expect((await post(`/api/v1/appointments/${a.id}/confirm`, {})).status).toBe(409);
    const again = await book(start, { practitionerId: f.rhys });
    expect((await post(`/api/v1/appointments/${again.id}/confirm`, {})).status).toBe(200);
    const checkedIn = await post(`/api/v1/appointments/${again.id}/check-in`, {});
    expect((await checkedIn.json()).status).toBe('checked_in');
    // A future appointment cannot be a no-show.
    const later = await book(upcoming(2, '15:00', 'Europe/London', 5));
    expect((await post(`/api/v1/appointments/${later.id}/no-show`, {})).status).toBe(409);
  });

  it('books a weekly course at the same local time across the DST change', async () => {
    // Six Mondays 10:00 London from 8 March 2027: the clocks go forward on 28 March.
    const res = await post('/api/v1/appointments/series', {
      clinicId: f.londonBridge,
      patientId: f.hannah,
      practitionerId: f.rhys,
      appointmentTypeId: f.dryNeedling30,
      start: '2027-03-08T10:00:00Z',
      occurrences: 6,
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.occurrences.map((o: { outcome: string }) => o.outcome)).toEqual(
      Array(6).fill('booked'),
    );
    const local = body.occurrences.map((o: { start: string }) =>
      new Date(o.start).toLocaleTimeString('en-GB', {
        timeZone: 'Europe/London',
        hour: '2-digit',
        minute: '2-digit',
      }),
    );
    expect(local).toEqual(Array(6).fill('10:00'));
    expect(body.occurrences[5].start).toBe('2027-04-12T09:00:00.000Z');
  });

  it('writes nothing of a course with a conflict unless asked to book what fits', async () => {
    const first = '2027-05-03T09:00:00Z'; // Monday 10:00 BST
    await book('2027-05-17T09:00:00Z', { patientId: f.olivia }); // the third occurrence's slot
    const course = {
      clinicId: f.londonBridge,
      patientId: f.hannah,
      practitionerId: f.rhys,
      appointmentTypeId: f.dryNeedling30,
      start: first,
      occurrences: 4,
    };
    const count = async () =>
      (
        await t.db.dataSource.query(
          `SELECT count(*)::int AS n FROM appointments WHERE patient_id = $1`,
          [f.hannah],
        )
      )[0].n;
    const before = await count();
    const refused = await post('/api/v1/appointments/series', course);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const refusedBody = await refused.json();
    expect(refusedBody).toMatchObject({ status: 409, title: 'Conflict', seriesId: null });
    expect(refusedBody.occurrences[2]).toMatchObject({
      outcome: 'conflict',
      resource: 'practitioner',
    });
    expect(await count()).toBe(before);
    const partial = await post('/api/v1/appointments/series', {
      ...course,
      mode: 'book_what_fits',
    });
    expect(partial.status).toBe(201);
    expect((await partial.json()).occurrences.map((o: { outcome: string }) => o.outcome)).toEqual([
      'booked',
      'booked',
      'conflict',
      'booked',
    ]);
    expect(await count()).toBe(before + 3);
  });

  it('tells other schedulers of the clinic live, and nobody else', async () => {
    const connect = async (token: string, clinicIds: string[]) => {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(
        `${t.url}${LIVE_NAMESPACE}`,
        { auth: { token }, transports: ['websocket'] },
      );
      await new Promise<void>((resolve) => socket.on('connect', resolve));
      await socket.emitWithAck('clinics.subscribe', { clinicIds });
      return socket;
    };
    const colleague = await connect(await t.login('admin@tautline.test'), [f.londonBridge]);
    const outsider = await connect(await t.login('practitioner@tautline.test'), [
      f.londonBridge,
      t.demo.clinicIds['new-york-chelsea']!,
    ]);
    const strays: AppointmentChangedEvent[] = [];
    outsider.on('appointment.changed', (e) => strays.push(e));
    const received = new Promise<AppointmentChangedEvent>((resolve) =>
      colleague.on('appointment.changed', resolve),
    );
    const a = await book(upcoming(4, '16:00', 'Europe/London', 5));
    expect(await received).toMatchObject({
      change: 'created',
      appointment: { id: a.id, clinicId: f.londonBridge },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(strays).toEqual([]);
    colleague.disconnect();
    outsider.disconnect();
  });

  it('answers 404 to a user of another clinic on every scheduling route', async () => {
    const a = await book(upcoming(5, '09:00', 'Europe/London', 5));
    const outsider = await t.login('practitioner@tautline.test'); // New York Chelsea only
    const from = upcoming(5, '00:00', 'Europe/London', 5);
    const to = upcoming(5, '23:00', 'Europe/London', 5);
    const responses = await Promise.all([
      t.request(`/api/v1/appointments/${a.id}`, { token: outsider }),
      t.request(`/api/v1/appointments/${a.id}`, {
        method: 'PATCH',
        token: outsider,
        json: { version: 1, start: to },
      }),
      post(`/api/v1/appointments/${a.id}/cancel`, { reason: 'x' }, outsider),
      post(`/api/v1/appointments/${a.id}/check-in`, {}, outsider),
      t.request(`/api/v1/appointments?clinicId=${f.londonBridge}&from=${from}&to=${to}`, {
        token: outsider,
      }),
      t.request(
        `/api/v1/slots?clinicId=${f.londonBridge}&appointmentTypeId=${f.dryNeedling30}&from=${from}&to=${to}`,
        { token: outsider },
      ),
      post(
        '/api/v1/appointments',
        {
          clinicId: f.londonBridge,
          patientId: f.olivia,
          practitionerId: f.rhys,
          appointmentTypeId: f.dryNeedling30,
          start: upcoming(5, '11:00', 'Europe/London', 5),
        },
        outsider,
      ),
      post(
        '/api/v1/appointments/series',
        {
          clinicId: f.londonBridge,
          patientId: f.olivia,
          practitionerId: f.rhys,
          appointmentTypeId: f.dryNeedling30,
          start: upcoming(5, '11:00', 'Europe/London', 5),
          occurrences: 2,
        },
        outsider,
      ),
    ]);
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(404));
    // The appointment is untouched.
    expect(
      (await (await t.request(`/api/v1/appointments/${a.id}`, { token: scheduler })).json()).status,
    ).toBe('booked');
  });
});

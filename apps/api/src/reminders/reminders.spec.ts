import { lockAppointmentForSend, unlockAppointmentSends } from '@tautline/db';
import {
  createQueue,
  createRedisConnection,
  reminderJobId,
  type TypedQueue,
} from '@tautline/queues';
import { type Redis } from 'ioredis';
import { DateTime } from 'luxon';
import {
  type BookingFixture,
  loadBookingFixture,
  upcoming,
} from '../scheduling/testing/booking-fixture';
import { startTestApp, type TestApp } from '../testing/test-app';
import { gridStartAfter, openExtraHours, setClinicPolicy } from './testing/soon';

/** The outbox in the API: rows written with the booking change, delayed jobs after commit (real PostgreSQL + Redis). */
describe('reminder outbox (API)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let scheduler: string;
  let admin: string;
  let redis: Redis;
  let queue: TypedQueue<'reminders'>;

  beforeAll(async () => {
    t = await startTestApp('reminders');
    f = await loadBookingFixture(t);
    [scheduler, admin] = await Promise.all([
      t.login('scheduler@tautline.test'),
      t.login('admin@tautline.test'),
    ]);
    redis = createRedisConnection(t.env.REDIS_URL);
    queue = createQueue('reminders', { connection: redis, prefix: t.env.REDIS_PREFIX });
  });
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await t.close();
  });

  const book = async (start: string, patientId = f.olivia) => {
    const res = await t.request('/api/v1/appointments', {
      method: 'POST',
      token: scheduler,
      json: {
        clinicId: f.londonBridge,
        patientId,
        practitionerId: f.rhys,
        appointmentTypeId: f.dryNeedling30,
        start,
      },
    });
    if (res.status !== 201) throw new Error(`booking refused: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ id: string; version: number; start: string }>;
  };
  const reminders = async (id: string, token = scheduler) => {
    const res = await t.request(`/api/v1/appointments/${id}/reminders`, { token });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>[] };
  };
  const local = (iso: unknown) =>
    DateTime.fromISO(String(iso), { zone: 'Europe/London' }).toFormat('ccc HH:mm');
  /** Jobs are queued just after the answer: wait for them. */
  const jobState = async (rowId: string, want: string, ms = 3_000) => {
    const deadline = Date.now() + ms;
    let state = await queue.getJobState(reminderJobId(rowId));
    while (state !== want && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      state = await queue.getJobState(reminderJobId(rowId));
    }
    return state;
  };

  it('plans the day-before and two-hour reminders in the clinic zone and queues a delayed job for each', async () => {
    const appointment = await book(upcoming(2, '10:00'));
    const { status, body } = await reminders(appointment.id);
    expect(status).toBe(200);
    expect(body.map((r) => [r.offset, r.channel, r.status, local(r.dueAt)])).toEqual([
      ['P1D', 'sms', 'scheduled', 'Mon 10:00'],
      ['PT2H', 'sms', 'scheduled', 'Tue 08:00'],
    ]);
    for (const r of body) {
      expect(await jobState(String(r.id), 'delayed')).toBe('delayed');
      const job = await queue.getJob(reminderJobId(String(r.id)));
      // The job fires at the row's due time (the delay is measured from the job's creation).
      expect(job!.timestamp + (job!.opts.delay ?? 0)).toBeCloseTo(Date.parse(String(r.dueAt)), -3);
      expect(job!.data).toEqual({ reminderId: r.id });
    }
  });

  it('re-plans on reschedule: the old rows are cancelled and their jobs withdrawn', async () => {
    const appointment = await book(upcoming(3, '11:00'));
    const before = (await reminders(appointment.id)).body;
    await Promise.all(before.map((r) => jobState(String(r.id), 'delayed')));
    const moved = await t.request(`/api/v1/appointments/${appointment.id}`, {
      method: 'PATCH',
      token: scheduler,
      json: { version: appointment.version, start: upcoming(3, '15:00') },
    });
    expect(moved.status).toBe(200);
    const after = (await reminders(appointment.id)).body;
    expect(after.map((r) => [r.status, r.reason, local(r.dueAt)])).toEqual([
      ['cancelled', 'rescheduled', 'Tue 11:00'],
      ['cancelled', 'rescheduled', 'Wed 09:00'],
      ['scheduled', null, 'Tue 15:00'],
      ['scheduled', null, 'Wed 13:00'],
    ]);
    for (const r of after.slice(0, 2))
      expect(await jobState(String(r.id), 'unknown')).toBe('unknown');
    for (const r of after.slice(2)) expect(await jobState(String(r.id), 'delayed')).toBe('delayed');
  });

  it('withdraws everything on cancel', async () => {
    const appointment = await book(upcoming(4, '09:30'));
    const rows = (await reminders(appointment.id)).body;
    await Promise.all(rows.map((r) => jobState(String(r.id), 'delayed')));
    const res = await t.request(`/api/v1/appointments/${appointment.id}/cancel`, {
      method: 'POST',
      token: scheduler,
      json: { reason: 'Patient unwell' },
    });
    expect(res.status).toBe(200);
    const after = (await reminders(appointment.id)).body;
    expect(after.map((r) => [r.status, r.reason])).toEqual([
      ['cancelled', 'appointment_cancelled'],
      ['cancelled', 'appointment_cancelled'],
    ]);
    for (const r of after) expect(await jobState(String(r.id), 'unknown')).toBe('unknown');
  });

  it('waits the change grace, so a move and its undo leave only the last plan queued', async () => {
    await openExtraHours(t, admin, f.rhys, f.londonBridge);
    const start = gridStartAfter(40 * 60_000);
    // A reminder nominally due 30 s from now: inside the 2-minute grace.
    const offset = `PT${Math.floor((start.getTime() - Date.now()) / 1000) - 30}S`;
    await setClinicPolicy(t, admin, f.londonBridge, {
      offsets: [offset],
      quietHours: null,
      minimumLeadMinutes: 0,
      changeGraceMinutes: 2,
    });
    const appointment = await book(start.toISOString(), f.hannah);
    const planned = (await reminders(appointment.id)).body;
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({ status: 'scheduled', delayedForChangeGrace: true });
    expect(Date.parse(String(planned[0]!.dueAt)) - Date.now()).toBeGreaterThan(100_000);

    const move = (version: number, to: Date) =>
      t.request(`/api/v1/appointments/${appointment.id}`, {
        method: 'PATCH',
        token: scheduler,
        json: { version, start: to.toISOString() },
      });
    expect((await move(appointment.version, new Date(start.getTime() + 5 * 60_000))).status).toBe(
      200,
    );
    expect((await move(appointment.version + 1, start)).status).toBe(200);
    const rows = (await reminders(appointment.id)).body;
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'scheduled']);
    expect(await jobState(String(rows[2]!.id), 'delayed')).toBe('delayed');
    for (const r of rows.slice(0, 2))
      expect(await jobState(String(r.id), 'unknown')).toBe('unknown');
    await t.request(`/api/v1/clinics/${f.londonBridge}/reminder-policy`, {
      method: 'DELETE',
      token: admin,
    });
  });

  it('records skips with their reason (a booking too close to plan the day-before reminder)', async () => {
    await openExtraHours(t, admin, f.eleanor, f.londonBridge);
    const start = gridStartAfter(3 * 3_600_000);
    await setClinicPolicy(t, admin, f.londonBridge, { quietHours: null, minimumLeadMinutes: 60 });
    const res = await t.request('/api/v1/appointments', {
      method: 'POST',
      token: scheduler,
      json: {
        clinicId: f.londonBridge,
        patientId: f.kwame,
        practitionerId: f.eleanor,
        appointmentTypeId: f.dryNeedling30,
        start: start.toISOString(),
      },
    });
    expect(res.status).toBe(201);
    const rows = (await reminders((await res.json()).id)).body;
    expect(rows.map((r) => [r.offset, r.status, r.reason])).toEqual([
      ['P1D', 'skipped', 'in_past'],
      ['PT2H', 'scheduled', null],
    ]);
    await t.request(`/api/v1/clinics/${f.londonBridge}/reminder-policy`, {
      method: 'DELETE',
      token: admin,
    });
  });

  it('answers 404 for another clinic’s appointment and a missing one', async () => {
    const appointment = await book(upcoming(5, '14:00'));
    const newYorkOnly = await t.login('practitioner@tautline.test');
    expect((await reminders(appointment.id, newYorkOnly)).status).toBe(404);
    expect((await reminders('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await reminders('not-a-uuid')).status).toBe(400);
  });

  describe('policies', () => {
    const policyUrl = (clinicId: string) => `/api/v1/clinics/${clinicId}/reminder-policy`;

    it('falls back clinic → organisation → built-in default', async () => {
      const read = async () =>
        (await (await t.request(policyUrl(f.manchester), { token: scheduler })).json()) as {
          source: string;
          policy: { offsets: string[] };
        };
      expect(await read()).toMatchObject({
        source: 'default',
        policy: { offsets: ['P1D', 'PT2H'] },
      });
      const org = await t.request('/api/v1/reminder-policy', {
        method: 'PUT',
        token: admin,
        json: { offsets: ['P2D'] },
      });
      expect(org.status).toBe(200);
      expect(await read()).toMatchObject({ source: 'organisation', policy: { offsets: ['P2D'] } });
      await setClinicPolicy(t, admin, f.manchester, { offsets: ['PT3H'], channels: ['email'] });
      expect(await read()).toMatchObject({ source: 'clinic', policy: { offsets: ['PT3H'] } });
      expect(
        (await t.request(policyUrl(f.manchester), { method: 'DELETE', token: admin })).status,
      ).toBe(200);
      expect(await read()).toMatchObject({ source: 'organisation' });
      await t.db.dataSource.query(`DELETE FROM reminder_policies`);
    });

    it('refuses bad policies naming the field, other roles and other clinics', async () => {
      const bad = await t.request(policyUrl(f.manchester), {
        method: 'PUT',
        token: admin,
        json: { offsets: ['P2M'] },
      });
      expect(bad.status).toBe(400);
      expect((await bad.json()).errors[0].field).toBe('body.offsets.0');
      const quiet = await t.request(policyUrl(f.manchester), {
        method: 'PUT',
        token: admin,
        json: { quietHours: { start: '25:00', end: '08:00' } },
      });
      expect(quiet.status).toBe(400);
      expect(
        (await t.request(policyUrl(f.manchester), { method: 'PUT', token: scheduler, json: {} }))
          .status,
      ).toBe(403);
      const [org] = await t.db.dataSource.query(
        `INSERT INTO organisations (slug, name) VALUES ('rival-r', 'Rival') RETURNING id`,
      );
      const [foreign] = await t.db.dataSource.query(
        `INSERT INTO clinics (organisation_id, slug, name, time_zone) VALUES ($1, 'r', 'R', 'Europe/Paris') RETURNING id`,
        [org.id],
      );
      expect(
        (await t.request(policyUrl(foreign.id), { method: 'PUT', token: admin, json: {} })).status,
      ).toBe(404);
      expect((await t.request(policyUrl(foreign.id), { token: admin })).status).toBe(404);
      const [{ n }] = await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM reminder_policies`,
      );
      expect(n).toBe(0);
    });
  });

  it('shows what the log channel stored to the clinic’s staff only', async () => {
    const appointment = await book(upcoming(5, '16:00'));
    const [row] = (await reminders(appointment.id)).body;
    await t.db.dataSource.query(
      `INSERT INTO message_log (reminder_id, organisation_id, clinic_id, channel, destination, body)
       VALUES ($1, $2, $3, 'sms', '+447700900101', 'Hi Olivia, a reminder…')`,
      [row!.id, t.demo.organisationId, f.londonBridge],
    );
    const res = await t.request(`/api/v1/clinics/${f.londonBridge}/message-log`, {
      token: scheduler,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      expect.objectContaining({
        reminderId: row!.id,
        appointmentId: appointment.id,
        body: 'Hi Olivia, a reminder…',
      }),
    ]);
    const newYorkOnly = await t.login('practitioner@tautline.test');
    expect(
      (await t.request(`/api/v1/clinics/${f.londonBridge}/message-log`, { token: newYorkOnly }))
        .status,
    ).toBe(404);
  });

  it('a cancel during a send waits for it and answers that the reminder already went out; otherwise withdraws it', async () => {
    const cancel = (id: string) =>
      t.request(`/api/v1/appointments/${id}/cancel`, {
        method: 'POST',
        token: scheduler,
        json: { reason: 'patient called' },
      });
    const sending = await book(upcoming(1, '09:00'));
    const [row] = (await t.db.dataSource.query(
      `SELECT id FROM reminders WHERE appointment_id = $1 ORDER BY due_at LIMIT 1`,
      [sending.id],
    )) as {
      id: string;
    }[];
    // What the worker's sender does: the send lock on its own connection, claim, call, `sent`, unlock.
    const sender = t.db.dataSource.createQueryRunner();
    await sender.connect();
    await lockAppointmentForSend(sender, sending.id, 2_000);
    await sender.query(
      `UPDATE reminders SET status = 'sending', attempts = 1, send_started_at = now() WHERE id = $1`,
      [row!.id],
    );
    const answer = cancel(sending.id).then((r) => ({ r, at: Date.now() }));
    await new Promise((r) => setTimeout(r, 300)); // the provider call
    await sender.query(
      `UPDATE reminders SET status = 'sent', sent_at = now(), destination = '+447700900101', lease_until = NULL WHERE id = $1`,
      [row!.id],
    );
    const unlockedAt = Date.now();
    await unlockAppointmentSends(sender, sending.id);
    await sender.release();
    const { r: res, at: answeredAt } = await answer;
    // It waited for the send to finish, then counted it.
    expect(answeredAt).toBeGreaterThanOrEqual(unlockedAt);
    expect(res.status).toBe(200);
    expect((await reminders(sending.id)).body.map((r) => r.status).sort()).toEqual([
      'cancelled',
      'sent',
    ]);
    expect(((await res.json()) as { reminders: unknown }).reminders).toEqual({
      withdrawn: 1,
      alreadySent: 1,
    });

    const quiet = await book(upcoming(1, '11:00'));
    const res2 = await cancel(quiet.id);
    expect(((await res2.json()) as { reminders: unknown }).reminders).toEqual({
      withdrawn: 2,
      alreadySent: 0,
    });
    expect((await reminders(quiet.id)).body.map((r) => [r.status, r.reason])).toEqual([
      ['cancelled', 'appointment_cancelled'],
      ['cancelled', 'appointment_cancelled'],
    ]);
  });
});

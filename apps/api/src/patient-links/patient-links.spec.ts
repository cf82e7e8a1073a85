import {
  type AppointmentChangedEvent,
  type ClientToServerEvents,
  formatReminderDateTime,
  LIVE_NAMESPACE,
  type ServerToClientEvents,
} from '@tautline/domain';
import { PatientLinkSigner, patientLinkExpiry } from '@tautline/queues';
import { DateTime } from 'luxon';
import { io, type Socket } from 'socket.io-client';
import {
  type BookingFixture,
  loadBookingFixture,
  upcoming,
} from '../scheduling/testing/booking-fixture';
import { startTestApp, type TestApp } from '../testing/test-app';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

const LONDON_PHONE = '+442079460101';
const MINUTE = 60_000;

/** 10:00 London on the first weekday at least two days ahead (inside a week, for a long cut-off). */
function soon(): string {
  let day = DateTime.now().setZone('Europe/London').plus({ days: 2 }).startOf('day');
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day.set({ hour: 10 }).toUTC().toISO()!;
}

describe('patient self-service links (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let scheduler: string;
  let signer: PatientLinkSigner;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    t = await startTestApp('patient-links');
    f = await loadBookingFixture(t);
    scheduler = await t.login('scheduler@tautline.test');
    signer = new PatientLinkSigner(t.env.JWT_SECRET);
  });
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await t.close();
  });

  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    t.db.dataSource.query(sql, params) as Promise<T[]>;

  /** Books through the staff API as the scheduler, like the front desk does. */
  async function book(start: string, extra: Record<string, unknown> = {}) {
    const res = await t.request('/api/v1/appointments', {
      method: 'POST',
      token: scheduler,
      json: {
        clinicId: f.londonBridge,
        patientId: f.olivia,
        practitionerId: f.rhys,
        appointmentTypeId: f.dryNeedling30,
        start,
        ...extra,
      },
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; roomId: string; start: string; version: number };
  }
  const linkFor = (a: { id: string; start: string }) =>
    signer.sign({ appointmentId: a.id, exp: patientLinkExpiry(new Date(a.start)) });
  const path = (token: string, action = '') =>
    `/api/v1/patient-links/${encodeURIComponent(token)}${action}`;
  const get = (token: string, action = '') => t.request(path(token, action));
  const post = (token: string, action: string, json: unknown = {}) =>
    t.request(path(token, action), { method: 'POST', json });
  const stored = async (id: string) =>
    (
      await q<{
        status: string;
        version: number;
        starts_at: Date;
        updated_at: Date;
        cancelled_reason: string | null;
      }>(
        `SELECT status, version, starts_at, updated_at, cancelled_reason FROM appointments WHERE id = $1`,
        [id],
      )
    )[0]!;
  const auditRows = (id: string) =>
    q<{ action: string; actor_user_id: string | null; details: Record<string, unknown> }>(
      `SELECT action, actor_user_id, details FROM audit_events WHERE subject_id = $1 ORDER BY id`,
      [id],
    );

  it('shows the appointment with minimal data, never the treatment, practitioner or screening', async () => {
    const appointment = await book(upcoming(1, '09:00'));
    const res = await get(linkFor(appointment));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const text = await res.text();
    const view = JSON.parse(text);
    expect(view).toMatchObject({
      appointmentId: appointment.id,
      status: 'booked',
      start: appointment.start,
      end: new Date(Date.parse(appointment.start) + 30 * MINUTE).toISOString(),
      timeZone: 'Europe/London',
      localDateTime: formatReminderDateTime(appointment.start, 'Europe/London', 'en-GB'),
      clinic: { name: 'London Bridge', phone: LONDON_PHONE },
      patientFirstName: 'Olivia',
      version: 1,
      canConfirm: true,
      canCancel: true,
      canReschedule: true,
      rescheduleRequested: false,
      cancelCutoff: new Date(Date.parse(appointment.start) - 24 * 3_600_000).toISOString(),
    });
    expect(view.preVisitAdvice.join(' ')).toMatch(/light meal/);
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
    for (const hidden of [
      'appointmentTypeId',
      'practitionerId',
      'roomId',
      'patientId',
      'screening',
    ])
      expect(text).not.toContain(hidden);
    for (const hidden of [
      /needling/i,
      /e-stim/i,
      /Rhys/,
      /Calloway/,
      /Marsh/,
      new RegExp(f.rhys),
      new RegExp(f.olivia),
    ])
      expect(text).not.toMatch(hidden);

    const audit = await auditRows(appointment.id);
    expect(audit.at(-1)).toMatchObject({
      action: 'patient_link.viewed',
      actor_user_id: null,
      details: { actor: 'patient' },
    });
  });

  it('confirms once; a second confirm is a no-op; the clinic sees it live', async () => {
    const appointment = await book(upcoming(1, '10:00'));
    const token = linkFor(appointment);
    const colleague: LiveClient = io(`${t.url}${LIVE_NAMESPACE}`, {
      auth: { token: scheduler },
      transports: ['websocket'],
      reconnection: false,
    });
    clients.push(colleague);
    await new Promise<void>((resolve, reject) => {
      colleague.on('connect', resolve);
      colleague.on('connect_error', reject);
    });
    await colleague.emitWithAck('clinics.subscribe', { clinicIds: [f.londonBridge] });
    const events: AppointmentChangedEvent[] = [];
    colleague.on('appointment.changed', (e) => {
      if (e.appointment.id === appointment.id) events.push(e);
    });

    const first = await post(token, '/confirm');
    expect(first.status).toBe(200);
    const view = await first.json();
    expect(view).toMatchObject({
      status: 'confirmed',
      version: 2,
      canConfirm: false,
      canCancel: true,
    });
    expect(await stored(appointment.id)).toMatchObject({ status: 'confirmed', version: 2 });

    const before = await stored(appointment.id);
    const again = await post(token, '/confirm');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(view);
    expect(await stored(appointment.id)).toEqual(before);

    await new Promise((r) => setTimeout(r, 300));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      change: 'status_changed',
      appointment: { status: 'confirmed', version: 2 },
    });
    const confirms = (await auditRows(appointment.id)).filter(
      (r) => r.action === 'appointment.confirm',
    );
    expect(confirms).toEqual([
      expect.objectContaining({ actor_user_id: null, details: { actor: 'patient' } }),
    ]);
  });

  it('cancels before the cut-off, freeing the time; then every action is refused', async () => {
    const start = upcoming(2, '09:00');
    const appointment = await book(start);
    const token = linkFor(appointment);

    const res = await post(token, '/cancel');
    expect(res.status).toBe(200);
    const view = await res.json();
    expect(view).toMatchObject({
      status: 'cancelled',
      canConfirm: false,
      canCancel: false,
      canReschedule: false,
    });
    expect(await stored(appointment.id)).toMatchObject({
      status: 'cancelled',
      cancelled_reason: 'Cancelled by the patient',
    });
    const cancel = (await auditRows(appointment.id)).find((r) => r.action === 'appointment.cancel');
    expect(cancel).toMatchObject({ actor_user_id: null, details: { actor: 'patient' } });
    expect(JSON.stringify(cancel)).not.toMatch(/Olivia|Cancelled by the patient/);
    const reminders = await q(
      `SELECT 1 FROM reminders WHERE appointment_id = $1 AND status = 'scheduled'`,
      [appointment.id],
    );
    expect(reminders).toEqual([]);

    // Rhys is free again at that time.
    await book(start, { patientId: f.hannah });

    const before = await stored(appointment.id);
    const again = await post(token, '/cancel', { reason: 'again' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(view);
    for (const [action, body] of [
      ['/confirm', {}],
      ['/reschedule', { start: upcoming(2, '11:00'), version: before.version }],
    ] as const) {
      const refused = await post(token, action, body);
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect((await refused.json()).detail).toMatch(/cancelled/);
    }
    expect((await get(token, '/slots')).status).toBe(409);
    expect(await stored(appointment.id)).toEqual(before);
  });

  it('after the late-cancel cut-off answers 409 naming the clinic phone, and changes nothing', async () => {
    const appointment = await book(soon());
    const token = linkFor(appointment);
    await q(
      `INSERT INTO reminder_policies (organisation_id, clinic_id, policy) VALUES ($1, $2, $3)`,
      [t.demo.organisationId, f.londonBridge, JSON.stringify({ lateCancelHours: 168 })],
    );
    try {
      const view = await (await get(token)).json();
      expect(view).toMatchObject({ canConfirm: true, canCancel: false, canReschedule: false });
      const before = await stored(appointment.id);
      const audits = (await auditRows(appointment.id)).length;

      const cancel = await post(token, '/cancel', { reason: 'cannot make it' });
      expect(cancel.status).toBe(409);
      const problem = await cancel.json();
      expect(problem.detail).toContain(`call the clinic on ${LONDON_PHONE}`);
      expect(problem).toMatchObject({
        status: 409,
        resource: 'cancel_cutoff',
        clinicPhone: LONDON_PHONE,
      });

      const move = await post(token, '/reschedule', {
        start: new Date(Date.parse(appointment.start) + 60 * MINUTE).toISOString(),
        version: before.version,
      });
      expect(move.status).toBe(409);
      expect((await move.json()).detail).toContain(LONDON_PHONE);

      expect(await stored(appointment.id)).toEqual(before);
      expect(await auditRows(appointment.id)).toHaveLength(audits);
    } finally {
      await q(`DELETE FROM reminder_policies WHERE clinic_id = $1`, [f.londonBridge]);
    }
  });

  it("offers the same practitioner's free times only, each as long as the appointment", async () => {
    const appointment = await book(upcoming(3, '09:00'));
    // Rhys is busy at 11:00 (another patient) while a colleague is free then.
    await book(upcoming(3, '11:00'), { patientId: f.hannah });
    const from = upcoming(3, '00:00');
    const to = upcoming(3, '23:59');
    const res = await get(linkFor(appointment), `/slots?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const { timeZone, slots } = await res.json();
    expect(timeZone).toBe('Europe/London');
    const starts = slots.map((s: { start: string }) => s.start);
    expect(starts).toContain(upcoming(3, '10:00'));
    expect(starts).toContain(upcoming(3, '14:00'));
    expect(starts).not.toContain(upcoming(3, '09:00'));
    expect(starts).not.toContain(upcoming(3, '11:00'));
    for (const slot of slots) {
      expect(Object.keys(slot).sort()).toEqual(['end', 'start']);
      expect(Date.parse(slot.end) - Date.parse(slot.start)).toBe(30 * MINUTE);
    }

    const staff = await (
      await t.request(
        `/api/v1/slots?clinicId=${f.londonBridge}&appointmentTypeId=${f.dryNeedling30}&from=${from}&to=${to}`,
        { token: scheduler },
      )
    ).json();
    const rhys = new Set(
      staff.slots
        .filter((s: { practitionerId: string }) => s.practitionerId === f.rhys)
        .map((s: { start: string }) => s.start),
    );
    expect(starts.every((s: string) => rhys.has(s))).toBe(true);
    // Someone else could take 11:00, but not this patient's practitioner.
    expect(staff.slots.some((s: { start: string }) => s.start === upcoming(3, '11:00'))).toBe(true);

    const byDefault = await (await get(linkFor(appointment), '/slots')).json();
    const horizon = Date.now() + 14 * 24 * 60 * MINUTE + MINUTE;
    expect(byDefault.slots.length).toBeGreaterThan(0);
    expect(
      byDefault.slots.every(
        (s: { start: string }) => Date.parse(s.start) > Date.now() && Date.parse(s.start) < horizon,
      ),
    ).toBe(true);

    const tooWide = await get(
      linkFor(appointment),
      `/slots?to=${new Date(Date.now() + 40 * 24 * 60 * MINUTE).toISOString()}`,
    );
    expect(tooWide.status).toBe(400);
    expect((await tooWide.json()).errors[0].field).toBe('query.to');
    expect((await get(linkFor(appointment), '/slots?from=soon')).status).toBe(400);
  });

  it('reschedules to a free time and re-plans its reminders; double submit, stale version and taken time', async () => {
    const appointment = await book(upcoming(4, '09:00'));
    const token = linkFor(appointment);
    const scheduledStarts = async () =>
      (
        await q<{ appointment_starts_at: Date }>(
          `SELECT appointment_starts_at FROM reminders WHERE appointment_id = $1 AND status = 'scheduled'`,
          [appointment.id],
        )
      ).map((r) => r.appointment_starts_at.toISOString());
    expect(await scheduledStarts()).not.toHaveLength(0);

    const target = upcoming(4, '14:00');
    const res = await post(token, '/reschedule', { start: target, version: 1 });
    expect(res.status).toBe(200);
    const view = await res.json();
    expect(view).toMatchObject({ start: target, status: 'booked', version: 2 });
    expect(await stored(appointment.id)).toMatchObject({ starts_at: new Date(target), version: 2 });
    const starts = await scheduledStarts();
    expect(starts.length).toBeGreaterThan(0);
    expect(new Set(starts)).toEqual(new Set([target]));
    expect(
      (await auditRows(appointment.id)).find((r) => r.action === 'appointment.rescheduled'),
    ).toMatchObject({
      actor_user_id: null,
      details: { actor: 'patient' },
    });

    const before = await stored(appointment.id);
    const same = await post(token, '/reschedule', { start: target, version: 1 });
    expect(same.status).toBe(200);
    expect(await same.json()).toEqual(view);

    const stale = await post(token, '/reschedule', { start: upcoming(4, '15:00'), version: 1 });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ resource: 'version' });

    const other = await book(upcoming(4, '16:00'), { patientId: f.hannah });
    const taken = await post(token, '/reschedule', { start: upcoming(4, '16:00'), version: 2 });
    expect(taken.status).toBe(409);
    const clash = await taken.json();
    expect(clash).toMatchObject({ resource: 'practitioner' });
    expect(JSON.stringify(clash)).not.toContain(other.id);

    const lunch = await post(token, '/reschedule', { start: upcoming(4, '12:15'), version: 2 });
    expect(lunch.status).toBe(422);
    expect(JSON.stringify(await lunch.json())).not.toMatch(/Rhys|Calloway/);

    const invalid = await post(token, '/reschedule', { start: 'Thursday at two', version: 2 });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).errors[0].field).toBe('body.start');

    expect(await stored(appointment.id)).toEqual(before);
    expect(new Set(await scheduledStarts())).toEqual(new Set([target]));
  });

  it('moves to another room when its own is taken at the new time', async () => {
    const appointment = await book(upcoming(5, '09:00'));
    const target = upcoming(5, '10:00');
    await book(target, {
      patientId: f.hannah,
      practitionerId: f.eleanor,
      roomId: appointment.roomId,
    });
    const res = await post(linkFor(appointment), '/reschedule', { start: target, version: 1 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ start: target, version: 2 });
    const [row] = await q<{ room_id: string }>(`SELECT room_id FROM appointments WHERE id = $1`, [
      appointment.id,
    ]);
    expect(row!.room_id).not.toBe(appointment.roomId);
  });

  it('serves a patient whose home clinic is another one', async () => {
    const [aisha] = await q<{ id: string }>(`SELECT id FROM patients WHERE given_name = 'Aisha'`);
    const appointment = await book(upcoming(5, '14:00'), { patientId: aisha!.id });
    const token = linkFor(appointment);
    expect((await (await get(token)).json()).patientFirstName).toBe('Aisha');
    const slots = await get(
      token,
      `/slots?from=${upcoming(5, '00:00')}&to=${upcoming(5, '23:59')}`,
    );
    expect(slots.status).toBe(200);
    expect((await slots.json()).slots.length).toBeGreaterThan(0);
    const moved = await post(token, '/reschedule', { start: upcoming(5, '16:00'), version: 1 });
    expect(moved.status).toBe(200);
  });

  it('answers a tampered, expired, foreign or garbage token with the same 404 and changes nothing', async () => {
    const appointment = await book(upcoming(1, '15:00'));
    const good = linkFor(appointment);
    const [body, sig] = good.split('.') as [string, string];
    const flipped = `${body}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    const otherBody = Buffer.from(
      `${f.olivia}.${patientLinkExpiry(new Date(appointment.start))}`,
    ).toString('base64url');
    const tokens = [
      flipped,
      `${otherBody}.${sig}`,
      signer.sign({ appointmentId: appointment.id, exp: Math.floor(Date.now() / 1000) - 60 }),
      new PatientLinkSigner('another-secret-of-at-least-32-characters!').sign({
        appointmentId: appointment.id,
        exp: patientLinkExpiry(new Date(appointment.start)),
      }),
      // Authentic, but for an appointment that does not exist.
      signer.sign({
        appointmentId: '00000000-0000-4000-8000-000000000000',
        exp: patientLinkExpiry(new Date(appointment.start)),
      }),
      'garbage',
      'x'.repeat(200),
    ];
    const before = await stored(appointment.id);
    const audits = (await auditRows(appointment.id)).length;
    const answers = new Set<string>();
    for (const token of tokens) {
      for (const res of [
        await get(token),
        await get(token, '/slots'),
        await post(token, '/confirm'),
        await post(token, '/cancel'),
        await post(token, '/reschedule', { start: upcoming(1, '16:00'), version: 1 }),
      ]) {
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
        const { detail, title } = await res.json();
        answers.add(`${title}: ${detail}`);
      }
    }
    expect([...answers]).toEqual(['Not found: this link is not valid or has expired']);
    expect(await stored(appointment.id)).toEqual(before);
    expect(await auditRows(appointment.id)).toHaveLength(audits);
    // The genuine link still works.
    expect((await get(good)).status).toBe(200);
  });

  it('is documented in OpenAPI without a bearer requirement', async () => {
    const docs = await (await t.request('/api/docs-json')).json();
    for (const route of ['', '/confirm', '/cancel', '/slots', '/reschedule'])
      expect(Object.keys(docs.paths)).toContain(`/api/v1/patient-links/{token}${route}`);
    expect(docs.paths['/api/v1/patient-links/{token}/cancel'].post.security).toBeUndefined();
  });
});

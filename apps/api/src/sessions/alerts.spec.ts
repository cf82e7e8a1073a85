import {
  type AlertEvent,
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type LiveSession,
  type ServerToClientEvents,
} from '@tautline/domain';
import { io, type Socket } from 'socket.io-client';
import { type BookingFixture, loadBookingFixture } from '../scheduling/testing/booking-fixture';
import { startTestApp, type TestApp } from '../testing/test-app';
import { checkedInEstimVisit, TWO_CHANNEL_PLAN } from './testing/session-fixture';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Alerts, the live snapshot (REST and socket), thresholds and post-session review, through the real API. */
describe('alerts and the live board', () => {
  let t: TestApp;
  let f: BookingFixture;
  let tokens: { admin: string; scheduler: string; supervisor: string; newYork: string };
  let sessionId: string;
  let alertId: string;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    t = await startTestApp('alerts');
    f = await loadBookingFixture(t);
    const [admin, scheduler, supervisor, newYork] = await Promise.all(
      [
        'admin@tautline.test',
        'scheduler@tautline.test',
        'supervisor@tautline.test',
        'practitioner@tautline.test',
      ].map((e) => t.login(e)),
    );
    tokens = { admin: admin!, scheduler: scheduler!, supervisor: supervisor!, newYork: newYork! };
    const visit = await checkedInEstimVisit(t, f, tokens, { weekday: 1, time: '09:00' });
    const created = await t.request('/api/v1/sessions', {
      method: 'POST',
      token: tokens.supervisor,
      json: { appointmentId: visit.appointmentId, plan: TWO_CHANNEL_PLAN },
    });
    sessionId = (await created.json()).id;
    await t.request(`/api/v1/sessions/${sessionId}/start`, {
      method: 'POST',
      token: tokens.supervisor,
      json: {},
    });
    // The worker raises alerts; here one is written as it would.
    const [alert] = await t.db.dataSource.query(
      `INSERT INTO alerts (organisation_id, clinic_id, room_id, session_id, kind, severity, channel, muscle, message, raised_at)
       VALUES ($1, $2, $3, $4, 'intensity_over_ceiling', 'critical', 1, 'upper_trapezius', 'Room 1 · channel 1 (left upper trapezius): 12 mA is above the planned ceiling of 10 mA', now())
       RETURNING id`,
      [t.demo.organisationId, f.londonBridge, visit.roomId, sessionId],
    );
    alertId = alert.id;
  });
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await t.close();
  });

  const connect = async (token: string) => {
    const client: LiveClient = io(`${t.url}${LIVE_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.on('connect', resolve);
      client.on('connect_error', reject);
    });
    return client;
  };

  it('snapshots the running sessions with their open alerts, over REST and in the subscribe ack', async () => {
    const res = await t.request(`/api/v1/live/sessions?clinicId=${f.londonBridge}`, {
      token: tokens.supervisor,
    });
    expect(res.status).toBe(200);
    const [session] = (await res.json()) as LiveSession[];
    expect(session).toMatchObject({
      sessionId,
      status: 'running',
      patientInitials: 'OM',
      practitionerName: 'Eleanor Whitcombe',
    });
    expect(session!.openAlerts.map((a) => a.id)).toEqual([alertId]);
    expect(session!.roomName).toEqual(expect.any(String));

    const client = await connect(tokens.supervisor);
    const ack = await client.emitWithAck('clinics.subscribe', { clinicIds: [f.londonBridge] });
    expect(ack.sessions?.map((s) => s.sessionId)).toEqual([sessionId]);
    // Another clinic's user sees none of it.
    const foreign = await connect(tokens.newYork);
    expect(
      (await foreign.emitWithAck('clinics.subscribe', { clinicIds: [f.londonBridge] })).sessions,
    ).toEqual([]);
    expect(
      (
        await t.request(`/api/v1/live/sessions?clinicId=${f.londonBridge}`, {
          token: tokens.newYork,
        })
      ).status,
    ).toBe(404);
    expect(
      await (await t.request(`/api/v1/live/sessions`, { token: tokens.newYork })).json(),
    ).toEqual([]);
  });

  it('lists alert history with filters, scoped to the caller', async () => {
    const open = await (
      await t.request(`/api/v1/alerts?clinicId=${f.londonBridge}&status=open&severity=critical`, {
        token: tokens.scheduler,
      })
    ).json();
    expect(open.map((a: { id: string }) => a.id)).toEqual([alertId]);
    expect(
      await (
        await t.request(`/api/v1/alerts?clinicId=${f.londonBridge}&severity=warning`, {
          token: tokens.scheduler,
        })
      ).json(),
    ).toEqual([]);
    expect(await (await t.request(`/api/v1/alerts`, { token: tokens.newYork })).json()).toEqual([]);
    expect(
      (await t.request(`/api/v1/alerts?status=bogus`, { token: tokens.scheduler })).status,
    ).toBe(400);
  });

  it('lets a supervisor acknowledge once, with a note, telling the clinic live', async () => {
    const watcher = await connect(tokens.scheduler);
    await watcher.emitWithAck('clinics.subscribe', { clinicIds: [f.londonBridge] });
    const updated = new Promise<AlertEvent>((resolve) => watcher.on('alert.updated', resolve));
    expect(
      (
        await t.request(`/api/v1/alerts/${alertId}/acknowledge`, {
          method: 'POST',
          token: tokens.scheduler,
          json: {},
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await t.request(`/api/v1/alerts/${alertId}/acknowledge`, {
          method: 'POST',
          token: tokens.newYork,
          json: {},
        })
      ).status,
    ).toBe(404);
    const res = await t.request(`/api/v1/alerts/${alertId}/acknowledge`, {
      method: 'POST',
      token: tokens.supervisor,
      json: { note: 'Turned channel 1 down, patient comfortable' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'acknowledged',
      acknowledgementNote: 'Turned channel 1 down, patient comfortable',
      acknowledgedAt: expect.any(String),
    });
    expect((await updated).alert).toMatchObject({ id: alertId, status: 'acknowledged' });
    expect(
      (
        await t.request(`/api/v1/alerts/${alertId}/acknowledge`, {
          method: 'POST',
          token: tokens.supervisor,
          json: {},
        })
      ).status,
    ).toBe(409);
  });

  it('keeps thresholds per clinic (admin writes, validated) and copies them into new sessions', async () => {
    const url = `/api/v1/clinics/${f.londonBridge}/safety-thresholds`;
    expect(await (await t.request(url, { token: tokens.scheduler })).json()).toMatchObject({
      deviceMaxIntensityMa: 50,
      offlineAfterMs: 5000,
    });
    const bad = await t.request(url, {
      method: 'PUT',
      token: tokens.admin,
      json: { impedanceMinOhm: 5000, impedanceMaxOhm: 1000 },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].field).toBe('body.impedanceMaxOhm');
    expect(
      (await t.request(url, { method: 'PUT', token: tokens.supervisor, json: {} })).status,
    ).toBe(403);
    const set = await t.request(url, {
      method: 'PUT',
      token: tokens.admin,
      json: { deviceMaxIntensityMa: 30, escalateAfterSeconds: 60 },
    });
    expect(set.status).toBe(200);
    expect(await (await t.request(url, { token: tokens.scheduler })).json()).toMatchObject({
      deviceMaxIntensityMa: 30,
      escalateAfterSeconds: 60,
    });
    expect(
      (
        await t.request(`/api/v1/clinics/${f.manchester}/safety-thresholds`, {
          token: tokens.newYork,
        })
      ).status,
    ).toBe(404);
  });

  it('ends the session: alerts resolved, telemetry downsampled for review', async () => {
    const [{ device_id: deviceId }] = await t.db.dataSource.query(
      `SELECT device_id FROM treatment_sessions WHERE id = $1`,
      [sessionId],
    );
    await t.db.dataSource.query(
      `INSERT INTO telemetry_samples (device_id, seq, session_id, at, battery_pct, channels)
       SELECT $1, s, $2, now() - make_interval(secs => (600 - s) / 10.0), 90,
              jsonb_build_array(jsonb_build_object('channel', 1, 'intensityMa', s % 10, 'frequencyHz', 4, 'pulseWidthUs', 250, 'impedanceOhm', 1000))
         FROM generate_series(1, 600) s`,
      [deviceId, sessionId],
    );
    const stop = await t.request(`/api/v1/sessions/${sessionId}/stop`, {
      method: 'POST',
      token: tokens.supervisor,
      json: { adverseEvent: { kind: 'none' } },
    });
    expect(stop.status).toBe(200);
    const [alert] = await t.db.dataSource.query(`SELECT status FROM alerts WHERE id = $1`, [
      alertId,
    ]);
    expect(alert.status).toBe('resolved');
    const review = await (
      await t.request(`/api/v1/sessions/${sessionId}/telemetry?resolution=10000`, {
        token: tokens.scheduler,
      })
    ).json();
    expect(review.samples).toBe(600);
    expect(review.bucketMs).toBe(10_000);
    const points = review.points.filter((p: { channel: number }) => p.channel === 1);
    expect(points.length).toBeGreaterThanOrEqual(6);
    expect(points.length).toBeLessThanOrEqual(7);
    expect(Math.max(...points.map((p: { intensity: { max: number } }) => p.intensity.max))).toBe(9);
    expect(
      (await t.request(`/api/v1/sessions/${sessionId}/telemetry`, { token: tokens.newYork }))
        .status,
    ).toBe(404);
    // Off the board now.
    expect(
      await (
        await t.request(`/api/v1/live/sessions?clinicId=${f.londonBridge}`, {
          token: tokens.supervisor,
        })
      ).json(),
    ).toEqual([]);
  });

  it('keeps a clinic-level "monitoring degraded" alert (no session, no room) in the clinic, 404 to another clinic', async () => {
    const insert = (sessionId: string | null, kind: string) =>
      t.db.dataSource.query(
        `INSERT INTO alerts (organisation_id, clinic_id, session_id, kind, severity, message, raised_at)
         VALUES ($1, $2, $3, $4, 'technical', 'Live monitoring degraded at London Bridge', now()) RETURNING id`,
        [t.demo.organisationId, f.londonBridge, sessionId, kind],
      ) as Promise<{ id: string }[]>;
    // Only the clinic-level kind may lack a session, and it never has one.
    await expect(insert(null, 'device_offline')).rejects.toThrow(/alerts_clinic_level/);
    await expect(insert(sessionId, 'monitoring_degraded')).rejects.toThrow(
      /alerts_clinic_level|room/,
    );
    const [degraded] = await insert(null, 'monitoring_degraded');
    // One open per clinic.
    await expect(insert(null, 'monitoring_degraded')).rejects.toThrow(/alerts_one_open_per_clinic/);

    const listed = await (
      await t.request(`/api/v1/alerts?clinicId=${f.londonBridge}&severity=technical`, {
        token: tokens.scheduler,
      })
    ).json();
    expect(listed).toEqual([
      expect.objectContaining({
        id: degraded!.id,
        kind: 'monitoring_degraded',
        severity: 'technical',
        sessionId: null,
        roomId: null,
      }),
    ]);
    expect(
      await (
        await t.request(`/api/v1/alerts?severity=technical`, { token: tokens.newYork })
      ).json(),
    ).toEqual([]);
    const foreign = await t.request(`/api/v1/alerts/${degraded!.id}/acknowledge`, {
      method: 'POST',
      token: tokens.newYork,
      json: {},
    });
    expect(foreign.status).toBe(404);
    const ack = await t.request(`/api/v1/alerts/${degraded!.id}/acknowledge`, {
      method: 'POST',
      token: tokens.supervisor,
      json: { note: 'Load shedding' },
    });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({
      id: degraded!.id,
      status: 'acknowledged',
      sessionId: null,
    });
  });
});

import {
  type Alert,
  type AlertEvent,
  compareAlarms,
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

async function eventually(check: () => boolean, ms = 5_000): Promise<void> {
  for (const deadline = Date.now() + ms; !check(); ) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Alerts, the live snapshot (REST and socket), thresholds and post-session review, through the real API. */
describe('alerts and the live board', () => {
  let t: TestApp;
  let f: BookingFixture;
  let tokens: { admin: string; scheduler: string; supervisor: string; newYork: string };
  let sessionId: string;
  let alertId: string;
  let offlineId: string;
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

  const history = (id: string) =>
    t.db.dataSource.query(
      `SELECT kind, note FROM alert_acknowledgements WHERE alert_id = $1 ORDER BY at, id`,
      [id],
    ) as Promise<{ kind: string; note: string | null }[]>;
  const acknowledge = (id: string, token: string, json: object = {}) =>
    t.request(`/api/v1/alerts/${id}/acknowledge`, { method: 'POST', token, json });

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
    expect(session!.practitionerUserId).toBeNull(); // Eleanor has no login in the demo
    // With a login linked, the board learns whose session it is (who may operate it).
    const linked = t.demo.userIds['supervisor@tautline.test'];
    await t.db.dataSource.query(`UPDATE practitioners SET user_id = $2 WHERE id = $1`, [
      f.eleanor,
      linked,
    ]);
    const [relinked] = (await (
      await t.request(`/api/v1/live/sessions?clinicId=${f.londonBridge}`, {
        token: tokens.supervisor,
      })
    ).json()) as LiveSession[];
    await t.db.dataSource.query(`UPDATE practitioners SET user_id = NULL WHERE id = $1`, [
      f.eleanor,
    ]);
    expect(relinked!.practitionerUserId).toBe(linked);

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
      acknowledgedByName: expect.any(String),
      resolvedAt: null,
    });
    expect(await history(alertId)).toEqual([
      { kind: 'acknowledged', note: 'Turned channel 1 down, patient comfortable' },
    ]);
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
    // Nobody answered this one: ending the session latches it instead of closing it.
    const [offline] = await t.db.dataSource.query(
      `INSERT INTO alerts (organisation_id, clinic_id, room_id, session_id, kind, severity, message, value, "limit", raised_at)
       SELECT organisation_id, clinic_id, room_id, id, 'device_offline', 'critical', 'Room 1: no telemetry from the stimulator for 12 s', 12, 5, now()
         FROM treatment_sessions WHERE id = $1 RETURNING id`,
      [sessionId],
    );
    offlineId = offline.id;
    const watcher = await connect(tokens.scheduler);
    await watcher.emitWithAck('clinics.subscribe', { clinicIds: [f.londonBridge] });
    const updates: AlertEvent[] = [];
    watcher.on('alert.updated', (e) => updates.push(e));
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
    const [latched] = await t.db.dataSource.query(
      `SELECT status, cleared_at IS NOT NULL AS cleared, resolved_at FROM alerts WHERE id = $1`,
      [offlineId],
    );
    expect(latched).toEqual({ status: 'latched', cleared: true, resolved_at: null });
    await eventually(() => updates.length >= 2);
    expect(updates.map((e) => [e.alert.id, e.alert.status]).sort()).toEqual(
      [
        [alertId, 'resolved'],
        [offlineId, 'latched'],
      ].sort(),
    );
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
    // Off the board now; its latched alert is not: a (re)connecting board still gets it.
    expect(
      await (
        await t.request(`/api/v1/live/sessions?clinicId=${f.londonBridge}`, {
          token: tokens.supervisor,
        })
      ).json(),
    ).toEqual([]);
    const board = await connect(tokens.supervisor);
    const ack = await board.emitWithAck('clinics.subscribe', { clinicIds: [f.londonBridge] });
    expect(ack.sessions).toEqual([]);
    expect(ack.alerts?.filter((a) => a.sessionId === sessionId).map((a) => a.id)).toEqual([
      offlineId,
    ]);
    const foreign = await connect(tokens.newYork);
    expect(
      (await foreign.emitWithAck('clinics.subscribe', { clinicIds: [f.londonBridge] })).alerts,
    ).toEqual([]);
    const listed = await (
      await t.request(`/api/v1/alerts?clinicId=${f.londonBridge}&status=latched`, {
        token: tokens.scheduler,
      })
    ).json();
    expect(listed.map((a: { id: string }) => a.id)).toEqual([offlineId]);
  });

  it('acknowledging a latched alert resolves it, keeping the history; twice is a 409', async () => {
    expect((await acknowledge(offlineId, tokens.scheduler)).status).toBe(403);
    expect((await acknowledge(offlineId, tokens.newYork)).status).toBe(404);
    const res = await acknowledge(offlineId, tokens.supervisor, { note: 'Device unplugged' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: offlineId,
      status: 'resolved',
      resolvedAt: expect.any(String),
      clearedAt: expect.any(String),
      acknowledgedAt: expect.any(String),
      acknowledgementNote: 'Device unplugged',
    });
    expect(await history(offlineId)).toEqual([{ kind: 'acknowledged', note: 'Device unplugged' }]);
    const again = await acknowledge(offlineId, tokens.supervisor);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ currentStatus: 'resolved' });
    const [audit] = await t.db.dataSource.query(
      `SELECT action, details FROM audit_events WHERE subject_id = $1`,
      [offlineId],
    );
    expect(audit).toMatchObject({
      action: 'alert.acknowledged',
      details: { from: 'latched', to: 'resolved' },
    });
  });

  it('dismisses a warning that cleared by itself: once, recorded as a dismissal', async () => {
    const [warning] = await t.db.dataSource.query(
      `INSERT INTO alerts (organisation_id, clinic_id, room_id, session_id, kind, severity, channel, message, raised_at, status, cleared_at, resolved_at)
       SELECT organisation_id, clinic_id, room_id, id, 'intensity_jump', 'warning', 1, 'Room 1 · channel 1: intensity rose 5 mA', now() - interval '1 min',
              'resolved', now(), now()
         FROM treatment_sessions WHERE id = $1 RETURNING id`,
      [sessionId],
    );
    expect((await acknowledge(warning.id, tokens.newYork)).status).toBe(404);
    const res = await acknowledge(warning.id, tokens.supervisor, { note: 'Seen' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'resolved', acknowledgementNote: 'Seen' });
    expect(body.acknowledgedAt).not.toBeNull();
    expect(await history(warning.id)).toEqual([{ kind: 'dismissed', note: 'Seen' }]);
    const [audit] = await t.db.dataSource.query(
      `SELECT action FROM audit_events WHERE subject_id = $1`,
      [warning.id],
    );
    expect(audit.action).toBe('alert.dismissed');
    expect((await acknowledge(warning.id, tokens.supervisor)).status).toBe(409);
  });

  it('lists alerts in tray order: sounding first by priority, then acknowledged, then resolved', async () => {
    const insert = (kind: string, severity: string, status: string) =>
      t.db.dataSource.query(
        `INSERT INTO alerts (organisation_id, clinic_id, room_id, session_id, kind, severity, channel, message, raised_at, status,
                             acknowledged_at, acknowledged_by)
         SELECT organisation_id, clinic_id, room_id, id, $2, $3, 2, 'Room 1 · channel 2', now() - interval '10 min', $4,
                CASE WHEN $4 = 'acknowledged' THEN now() END, CASE WHEN $4 = 'acknowledged' THEN $5::uuid END
           FROM treatment_sessions WHERE id = $1 RETURNING id`,
        [sessionId, kind, severity, status, t.demo.userIds['supervisor@tautline.test']],
      ) as Promise<{ id: string }[]>;
    const [technical] = await insert('impedance_out_of_range', 'technical', 'open');
    const [acked] = await insert('intensity_over_device_limit', 'critical', 'acknowledged');
    const alerts = (await (
      await t.request(`/api/v1/alerts?clinicId=${f.londonBridge}&sessionId=${sessionId}`, {
        token: tokens.scheduler,
      })
    ).json()) as Alert[];
    expect(alerts.length).toBeGreaterThanOrEqual(5);
    expect(alerts.slice(0, 4).map((a) => a.id)).toEqual([
      technical!.id,
      acked!.id,
      offlineId,
      alertId,
    ]);
    expect([...alerts].sort(compareAlarms).map((a) => a.id)).toEqual(alerts.map((a) => a.id));
    await t.db.dataSource.query(`DELETE FROM alerts WHERE id = ANY($1::uuid[])`, [
      [technical!.id, acked!.id],
    ]);
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

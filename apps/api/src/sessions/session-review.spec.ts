import { SessionReview, SessionReviewRow } from '@tautline/domain';
import { type BookingFixture, loadBookingFixture } from '../scheduling/testing/booking-fixture';
import { startTestApp, type TestApp } from '../testing/test-app';
import { checkedInEstimVisit, type EstimVisit, TWO_CHANNEL_PLAN } from './testing/session-fixture';

/** Session review through the real API: the list and header name who and where; alerts carry who acknowledged. */
describe('session review', () => {
  let t: TestApp;
  let f: BookingFixture;
  let tokens: { admin: string; scheduler: string; supervisor: string; newYork: string };
  let visit: EstimVisit;
  let sessionId: string;
  let roomName: string;
  let critical: string;

  beforeAll(async () => {
    t = await startTestApp('session-review');
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
    visit = await checkedInEstimVisit(t, f, tokens, { weekday: 1, time: '09:00' });
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
    const [room] = (await t.db.dataSource.query(`SELECT name FROM rooms WHERE id = $1`, [
      visit.roomId,
    ])) as { name: string }[];
    roomName = room!.name;
    // The worker raises alerts; here they are written as it would (a critical, a warning, a technical).
    const insert = (kind: string, severity: string, channel: number | null, secondsAgo: number) =>
      t.db.dataSource.query(
        `INSERT INTO alerts (organisation_id, clinic_id, room_id, session_id, kind, severity, channel, muscle, message, raised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() - make_interval(secs => $10))
         RETURNING id`,
        [
          t.demo.organisationId,
          f.londonBridge,
          visit.roomId,
          sessionId,
          kind,
          severity,
          channel,
          channel === null ? null : 'upper_trapezius',
          `${kind} on the review test`,
          secondsAgo,
        ],
      ) as Promise<{ id: string }[]>;
    critical = (await insert('intensity_over_ceiling', 'critical', 1, 30))[0]!.id;
    await insert('intensity_jump', 'warning', 1, 20);
    await insert('impedance_out_of_range', 'technical', 2, 10);
    const ack = await t.request(`/api/v1/alerts/${critical}/acknowledge`, {
      method: 'POST',
      token: tokens.supervisor,
      json: { note: 'Turned down, patient fine' },
    });
    expect(ack.status).toBe(200);
    const stop = await t.request(`/api/v1/sessions/${sessionId}/stop`, {
      method: 'POST',
      token: tokens.supervisor,
      json: { adverseEvent: { kind: 'none' } },
    });
    expect(stop.status).toBe(200);
  });
  afterAll(() => t.close());

  it('lists a clinic’s sessions with clinic, room, practitioner, patient initials and alert counts', async () => {
    const res = await t.request(
      `/api/v1/session-reviews?clinicId=${f.londonBridge}&status=completed`,
      { token: tokens.scheduler },
    );
    expect(res.status).toBe(200);
    const rows = SessionReviewRow.array().parse(await res.json());
    const row = rows.find((r) => r.id === sessionId);
    expect(row).toMatchObject({
      status: 'completed',
      clinicName: 'London Bridge',
      roomName,
      practitionerName: 'Eleanor Whitcombe',
      patientInitials: 'OM',
      alertCounts: { critical: 1, warning: 1, technical: 1, total: 3 },
      // The clinic's defaults, copied into the session when it was created.
      impedanceLimitsOhm: { min: 200, max: 10_000 },
    });
    // Another status filters it out.
    const aborted = await t.request(
      `/api/v1/session-reviews?clinicId=${f.londonBridge}&status=aborted`,
      { token: tokens.scheduler },
    );
    expect(((await aborted.json()) as { id: string }[]).map((r) => r.id)).not.toContain(sessionId);
  });

  it('shows one session’s header and its alerts in the order raised, with who acknowledged and when', async () => {
    const res = await t.request(`/api/v1/session-reviews/${sessionId}`, {
      token: tokens.supervisor,
    });
    expect(res.status).toBe(200);
    const review = SessionReview.parse(await res.json());
    expect(review.session).toMatchObject({
      id: sessionId,
      clinicName: 'London Bridge',
      roomName,
      practitionerName: 'Eleanor Whitcombe',
      patientInitials: 'OM',
    });
    expect(review.alerts.map((a) => a.severity)).toEqual(['critical', 'warning', 'technical']);
    const [acknowledged] = review.alerts;
    expect(acknowledged!.id).toBe(critical);
    expect(acknowledged!.acknowledgements).toEqual([
      {
        at: acknowledged!.acknowledgedAt,
        byUserId: expect.any(String),
        byName: 'Dr Sofia Supervisor',
        note: 'Turned down, patient fine',
        kind: 'acknowledged',
      },
    ]);
    expect(review.alerts[1]!.acknowledgements).toEqual([]);
  });

  it('documents the review routes in OpenAPI with their response schemas', async () => {
    const doc = await (await t.request('/api/docs-json')).json();
    const schema = (path: string) =>
      doc.paths[path]?.get?.responses['200']?.content?.['application/json']?.schema;
    expect(schema('/api/v1/session-reviews').items.properties).toHaveProperty('alertCounts');
    expect(Object.keys(schema('/api/v1/session-reviews/{id}').properties)).toEqual([
      'session',
      'alerts',
    ]);
    expect(schema('/api/v1/sessions/{id}/telemetry').properties).toHaveProperty('points');
    expect(
      doc.paths['/api/v1/session-reviews'].get.parameters.map((p: { name: string }) => p.name),
    ).toEqual(['clinicId', 'status', 'limit']);
  });

  it('answers 404 for another clinic’s session and list, 400 for bad input', async () => {
    const foreign = await t.request(`/api/v1/session-reviews/${sessionId}`, {
      token: tokens.newYork,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect(
      (
        await t.request(`/api/v1/session-reviews?clinicId=${f.londonBridge}`, {
          token: tokens.newYork,
        })
      ).status,
    ).toBe(404);
    const unknown = await t.request(
      `/api/v1/session-reviews/00000000-0000-4000-8000-000000000000`,
      { token: tokens.supervisor },
    );
    expect(unknown.status).toBe(404);

    const badId = await t.request(`/api/v1/session-reviews/not-a-uuid`, {
      token: tokens.supervisor,
    });
    expect(badId.status).toBe(400);
    const badStatus = await t.request(
      `/api/v1/session-reviews?clinicId=${f.londonBridge}&status=finished`,
      { token: tokens.supervisor },
    );
    expect(badStatus.status).toBe(400);
    expect((await badStatus.json()).errors[0].field).toBe('query.status');
    for (const limit of ['0', '201', 'ten', '1e2']) {
      const res = await t.request(
        `/api/v1/session-reviews?clinicId=${f.londonBridge}&limit=${limit}`,
        { token: tokens.supervisor },
      );
      expect([limit, res.status]).toEqual([limit, 400]);
    }
    const one = await t.request(`/api/v1/session-reviews?clinicId=${f.londonBridge}&limit=1`, {
      token: tokens.supervisor,
    });
    expect(((await one.json()) as unknown[]).length).toBe(1);
    const noClinic = await t.request(`/api/v1/session-reviews`, { token: tokens.supervisor });
    expect(noClinic.status).toBe(400);
    expect((await t.request(`/api/v1/session-reviews/${sessionId}`)).status).toBe(401);
  });
});

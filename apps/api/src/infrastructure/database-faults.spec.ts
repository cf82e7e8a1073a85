import { LIVE_NAMESPACE, LIVE_UNAVAILABLE, PROBLEM_CONTENT_TYPE } from '@tautline/domain';
import { PatientLinkSigner, patientLinkExpiry } from '@tautline/queues';
import { io } from 'socket.io-client';
import { samples } from '../sessions/testing/session-fixture';
import { loadBookingFixture, upcoming } from '../scheduling/testing/booking-fixture';
import { signSmsWebhook } from '../sms-webhook/sms-signature';
import {
  FAST_DATABASE_BOUNDS,
  startTcpProxy,
  throughRelay,
  type TcpProxy,
} from '../testing/tcp-proxy';
import { startTestApp, type TestApp } from '../testing/test-app';

/** Every answer during an outage comes within this (DB_QUERY_TIMEOUT_MS of the fast bounds plus a margin). */
const BOUND_MS = 8_000;

describe('PostgreSQL refused or partitioned (real PostgreSQL behind a TCP relay)', () => {
  let t: TestApp;
  let pg: TcpProxy;
  let admin: string;
  let deviceKey: string;
  let linkToken: string;

  beforeAll(async () => {
    pg = await startTcpProxy(5432);
    t = await startTestApp('db-faults', FAST_DATABASE_BOUNDS, throughRelay(pg));
    const f = await loadBookingFixture(t);
    admin = await t.login('admin@tautline.test');
    const scheduler = await t.login('scheduler@tautline.test');
    const device = await t.request(`/api/v1/clinics/${f.londonBridge}/devices`, {
      method: 'POST',
      token: admin,
      json: {
        roomId: f.rooms.withStimulator[0],
        serial: 'TS4-FAULTS',
        model: 'Tautline Stim 4',
        firmware: '2.3.1',
        channels: 4,
      },
    });
    expect(device.status).toBe(201);
    deviceKey = ((await device.json()) as { key: string }).key;
    const booked = await t.request('/api/v1/appointments', {
      method: 'POST',
      token: scheduler,
      json: {
        clinicId: f.londonBridge,
        patientId: f.hannah,
        practitionerId: f.rhys,
        appointmentTypeId: f.dryNeedling30,
        start: upcoming(3, '11:00'),
      },
    });
    expect(booked.status).toBe(201);
    const appointment = (await booked.json()) as { id: string; start: string };
    linkToken = new PatientLinkSigner(t.env.JWT_SECRET).sign({
      appointmentId: appointment.id,
      exp: patientLinkExpiry(new Date(appointment.start)),
    });
  }, 60_000);
  afterAll(async () => {
    pg.restore();
    await t.close();
    await pg.close();
  });

  /** One request of each kind that needs the database, none of them through Nest's usual path alone. */
  const calls = () => {
    const sms = JSON.stringify({
      messageId: `SM-${Date.now()}`,
      from: '+447700900999',
      to: t.env.SMS_FROM,
      text: 'C',
    });
    const init = (extra: RequestInit) => ({ ...extra, signal: AbortSignal.timeout(20_000) });
    return {
      rest: t.request('/api/v1/clinics', init({ headers: { authorization: `Bearer ${admin}` } })),
      telemetry: t.request('/api/v1/telemetry', {
        ...init({ method: 'POST', headers: { authorization: `Device ${deviceKey}` } }),
        json: { samples: samples(1, 2) },
      }),
      patientLink: t.request(`/api/v1/patient-links/${encodeURIComponent(linkToken)}`, init({})),
      smsWebhook: t.request(
        '/api/v1/webhooks/sms',
        init({
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-tautline-signature': signSmsWebhook(t.env.SMS_WEBHOOK_SECRET, sms, new Date()),
          },
          body: sms,
        }),
      ),
    };
  };

  async function expectUnavailableWithinBound(): Promise<void> {
    const started = performance.now();
    const answers = await Promise.all(
      Object.entries(calls()).map(async ([name, pending]) => {
        const res = await pending;
        return {
          name,
          res,
          body: (await res.json()) as Record<string, unknown>,
          ms: performance.now() - started,
        };
      }),
    );
    for (const { name, res, body, ms } of answers) {
      expect({ name, status: res.status }).toEqual({ name, status: 503 });
      expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      expect(res.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
      expect(body).toMatchObject({ status: 503, title: 'Service Unavailable' });
      // The link's token is never repeated back.
      expect(JSON.stringify(body)).not.toContain(linkToken);
      expect(ms).toBeLessThan(BOUND_MS);
    }
  }

  async function expectRecovered(): Promise<void> {
    // The first requests after a restore may still meet a connection the outage broke: retry briefly.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answers = await Promise.all(Object.values(calls()).map(async (p) => (await p).status));
      if (answers.every((s) => s < 500)) {
        expect(answers).toEqual([200, expect.any(Number), 200, 404]);
        return;
      }
      if (Date.now() > deadline) throw new Error(`not recovered: ${answers.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function expectHealthNamesPostgres(): Promise<void> {
    const started = performance.now();
    const res = await t.request('/api/health', { signal: AbortSignal.timeout(10_000) });
    expect(performance.now() - started).toBeLessThan(3_500);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.checks.postgres.status).toBe('down');
    expect(body.checks.redis.status).toBe('up');
  }

  it('answers every kind of request normally while the relay passes', async () => {
    await expectRecovered();
    expect((await t.request('/api/health')).status).toBe(200);
  });

  it('refused connections (reset): 503 problem+json with Retry-After at once, then recovers', async () => {
    pg.reset();
    await expectUnavailableWithinBound();
    await expectHealthNamesPostgres();
    pg.restore();
    await expectRecovered();
    expect(t.logs.some((l) => l.event === 'db.unavailable')).toBe(true);
  }, 40_000);

  it('a partition (stall): 503 within the bound instead of hanging, health names postgres, then recovers', async () => {
    pg.stall();
    await Promise.all([expectUnavailableWithinBound(), expectHealthNamesPostgres()]);
    pg.restore();
    await expectRecovered();
  }, 40_000);

  it('live sockets during an outage: the handshake says unavailable (not unauthorized), a subscribe answers unavailable, the API keeps serving', async () => {
    const options = { auth: { token: admin }, transports: ['websocket'], reconnection: false };
    const connected = io(`${t.url}${LIVE_NAMESPACE}`, options);
    await new Promise<void>((resolve, reject) => {
      connected.on('connect', resolve);
      connected.on('connect_error', reject);
    });
    pg.reset();
    const refused = io(`${t.url}${LIVE_NAMESPACE}`, options);
    const error = await new Promise<Error>((resolve) => refused.on('connect_error', resolve));
    refused.disconnect();
    // Not "unauthorized": the dashboard would sign the user out over a database outage.
    expect(error.message).toBe(LIVE_UNAVAILABLE);
    // The subscribe needs the database: it answers that it cannot, rather than never.
    const ack = await connected.timeout(5_000).emitWithAck('clinics.subscribe', { clinicIds: [] });
    expect(ack).toEqual({ joined: [], rejected: [], error: LIVE_UNAVAILABLE });
    connected.disconnect();
    pg.restore();
    await expectRecovered();
  }, 30_000);
});

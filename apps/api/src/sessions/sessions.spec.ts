import {
  createQueue,
  createRedisConnection,
  liveKeys,
  redisNow,
  telemetryJobOptions,
  type TypedQueue,
} from '@tautline/queues';
import { type Redis } from 'ioredis';
import { type BookingFixture, loadBookingFixture } from '../scheduling/testing/booking-fixture';
import { startTestApp, type TestApp } from '../testing/test-app';
import { checkedInEstimVisit, samples, TWO_CHANNEL_PLAN } from './testing/session-fixture';

/** Treatment sessions and telemetry ingestion through the real API (PostgreSQL + Redis + BullMQ). */
describe('treatment sessions and telemetry ingestion', () => {
  let t: TestApp;
  let f: BookingFixture;
  let tokens: { admin: string; scheduler: string; practitioner: string };
  let redis: Redis;
  let queue: TypedQueue<'telemetry'>;

  beforeAll(async () => {
    t = await startTestApp('sessions', { TELEMETRY_MAX_BACKLOG: '40' });
    f = await loadBookingFixture(t);
    const [admin, scheduler, practitioner] = await Promise.all(
      ['admin@tautline.test', 'scheduler@tautline.test', 'supervisor@tautline.test'].map((e) =>
        t.login(e),
      ),
    );
    tokens = { admin: admin!, scheduler: scheduler!, practitioner: practitioner! };
    redis = createRedisConnection(t.env.REDIS_URL);
    queue = createQueue('telemetry', { connection: redis, prefix: t.env.REDIS_PREFIX });
  });
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await t.close();
  });

  const createSession = (
    appointmentId: string,
    plan: unknown = TWO_CHANNEL_PLAN,
    token = tokens.practitioner,
  ) => t.request('/api/v1/sessions', { method: 'POST', token, json: { appointmentId, plan } });
  const command = (id: string, name: string, json: unknown = {}) =>
    t.request(`/api/v1/sessions/${id}/${name}`, {
      method: 'POST',
      token: tokens.practitioner,
      json,
    });
  const appointmentStatus = async (id: string) =>
    (
      (await t.db.dataSource.query(`SELECT status FROM appointments WHERE id = $1`, [id])) as {
        status: string;
      }[]
    )[0]!.status;
  const send = (key: string | null, body: unknown) =>
    t.request('/api/v1/telemetry', {
      method: 'POST',
      json: body,
      headers: key === null ? {} : { authorization: `Device ${key}` },
    });

  it('runs a session through its lifecycle, the appointment following, and ends with a summary', async () => {
    const visit = await checkedInEstimVisit(t, f, tokens, { weekday: 1, time: '09:00' });
    const created = await createSession(visit.appointmentId);
    expect(created.status).toBe(201);
    const session = await created.json();
    expect(session).toMatchObject({
      status: 'ready',
      roomId: visit.roomId,
      deviceId: visit.deviceId,
      practitionerId: f.eleanor,
    });
    expect((await createSession(visit.appointmentId)).status).toBe(409);

    expect((await command(session.id, 'start')).status).toBe(200);
    expect(await appointmentStatus(visit.appointmentId)).toBe('in_session');
    const illegal = await command(session.id, 'resume');
    expect(illegal.status).toBe(409);
    expect((await illegal.json()).detail).toMatch(/cannot resume a session that is running/);
    expect((await command(session.id, 'pause')).status).toBe(200);
    expect((await command(session.id, 'resume')).status).toBe(200);
    expect((await send(visit.deviceKey, { samples: samples(1, 20) })).status).toBe(202);
    await t.db.dataSource.query(
      `INSERT INTO telemetry_samples (device_id, seq, session_id, at, battery_pct, channels)
       SELECT $1, s, $2, now() - make_interval(secs => (20 - s) / 10.0), 87, $3::jsonb FROM generate_series(1, 20) s`,
      [visit.deviceId, session.id, JSON.stringify(samples(1, 1, 12)[0]!.channels)],
    );

    const missing = await command(session.id, 'stop', {});
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors[0].field).toBe('body.adverseEvent');
    const stopped = await command(session.id, 'stop', {
      adverseEvent: { kind: 'vasovagal', notes: 'Felt faint, lay flat, recovered in 2 min' },
    });
    expect(stopped.status).toBe(200);
    const ended = await stopped.json();
    expect(ended).toMatchObject({ status: 'completed', adverseEvent: { kind: 'vasovagal' } });
    expect(ended.summary.samples).toBe(20);
    expect(ended.summary.channels[0]).toMatchObject({
      channel: 1,
      muscle: 'upper_trapezius',
      maxIntensityMa: 12,
    });
    expect(ended.summary.channels[0].secondsAboveCeiling).toBeGreaterThan(1);
    expect(await appointmentStatus(visit.appointmentId)).toBe('completed');
    // Streaming after the end is refused: the device has no running session any more.
    expect((await send(visit.deviceKey, { samples: samples(100, 1) })).status).toBe(409);
  });

  it('refuses what cannot be a session: not checked in, not e-stim, foreign, no device, a plan beyond the device', async () => {
    const visit = await checkedInEstimVisit(t, f, tokens, { weekday: 1, time: '10:00' });
    const tooWide = await createSession(visit.appointmentId, {
      ...TWO_CHANNEL_PLAN,
      channels: [...TWO_CHANNEL_PLAN.channels, { ...TWO_CHANNEL_PLAN.channels[0]!, channel: 6 }],
    });
    expect(tooWide.status).toBe(422);
    expect((await tooWide.json()).errors[0].field).toBe('body.plan.channels');
    const badPlan = await createSession(visit.appointmentId, {
      ...TWO_CHANNEL_PLAN,
      plannedDurationMinutes: 0,
    });
    expect(badPlan.status).toBe(400);
    expect((await badPlan.json()).errors[0].field).toBe('body.plan.plannedDurationMinutes');
    const newYorkOnly = await t.login('practitioner@tautline.test');
    expect((await createSession(visit.appointmentId, TWO_CHANNEL_PLAN, newYorkOnly)).status).toBe(
      404,
    );
    expect(
      (await createSession(visit.appointmentId, TWO_CHANNEL_PLAN, tokens.scheduler)).status,
    ).toBe(403);
    await t.db.dataSource.query(
      `UPDATE devices SET revoked_at = now(), room_id = NULL WHERE id = $1`,
      [visit.deviceId],
    );
    const noDevice = await createSession(visit.appointmentId);
    expect(noDevice.status).toBe(422);
    expect((await noDevice.json()).detail).toMatch(/no stimulator/);
    const [{ n }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM treatment_sessions WHERE appointment_id = $1`,
      [visit.appointmentId],
    );
    expect(n).toBe(0);
  });

  it('lets only the treating practitioner or a supervisor create and operate a session', async () => {
    // Two London Bridge practitioners with accounts: Eleanor (booked) and Rhys (a colleague).
    const [{ password_hash: hash }] = await t.db.dataSource.query(
      `SELECT password_hash FROM users WHERE email = 'supervisor@tautline.test'`,
    );
    const account = async (email: string, practitionerId: string) => {
      const [user] = await t.db.dataSource.query(
        `INSERT INTO users (organisation_id, email, name, role, password_hash) VALUES ($1, $2, $2, 'practitioner', $3) RETURNING id`,
        [t.demo.organisationId, email, hash],
      );
      await t.db.dataSource.query(
        `INSERT INTO clinic_memberships (user_id, clinic_id, organisation_id) VALUES ($1, $2, $3)`,
        [user.id, f.londonBridge, t.demo.organisationId],
      );
      await t.db.dataSource.query(`UPDATE practitioners SET user_id = $1 WHERE id = $2`, [
        user.id,
        practitionerId,
      ]);
      return t.login(email);
    };
    const eleanor = await account('eleanor@tautline.test', f.eleanor);
    const rhys = await account('rhys@tautline.test', f.rhys);
    const as = (token: string, id: string, name: string, json: unknown = {}) =>
      t.request(`/api/v1/sessions/${id}/${name}`, { method: 'POST', token, json });
    const status = async (id: string) =>
      (
        (await t.db.dataSource.query(`SELECT status FROM treatment_sessions WHERE id = $1`, [
          id,
        ])) as { status: string }[]
      )[0]!.status;

    const visit = await checkedInEstimVisit(t, f, tokens, { weekday: 3, time: '09:00' });
    const refused = await createSession(visit.appointmentId, TWO_CHANNEL_PLAN, rhys);
    expect(refused.status).toBe(403);
    expect((await refused.json()).detail).toBe(
      'only the treating practitioner or a supervisor may operate this session',
    );
    const created = await createSession(visit.appointmentId, TWO_CHANNEL_PLAN, eleanor);
    expect(created.status).toBe(201);
    const { id } = await created.json();

    for (const name of ['start', 'pause', 'resume', 'abort']) {
      const res = await as(rhys, id, name);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await as(rhys, id, 'stop', { adverseEvent: { kind: 'none' } })).status).toBe(403);
    expect(await status(id)).toBe('ready');
    expect(await appointmentStatus(visit.appointmentId)).toBe('checked_in');

    expect((await as(eleanor, id, 'start')).status).toBe(200);
    expect((await as(eleanor, id, 'pause')).status).toBe(200);
    expect((await as(tokens.practitioner, id, 'resume')).status).toBe(200); // the supervisor
    expect((await as(rhys, id, 'pause')).status).toBe(403);
    expect((await as(eleanor, id, 'stop', { adverseEvent: { kind: 'none' } })).status).toBe(200);
    expect(await status(id)).toBe('completed');
    // A practitioner who cannot see the clinic gets the same 404 as before, not a 403 that confirms it exists.
    expect((await as(await t.login('practitioner@tautline.test'), id, 'start')).status).toBe(404);
  });

  describe('telemetry', () => {
    let key: string;
    let sessionId: string;

    beforeAll(async () => {
      const visit = await checkedInEstimVisit(t, f, tokens, { weekday: 1, time: '14:00' });
      sessionId = (await (await createSession(visit.appointmentId)).json()).id;
      key = visit.deviceKey;
      // Before start: nothing to stream to.
      expect((await send(key, { samples: samples(1, 2) })).status).toBe(409);
      expect((await command(sessionId, 'start')).status).toBe(200);
    });

    it('accepts a valid batch (202 with the count) and queues it for the worker', async () => {
      const res = await send(key, { samples: samples(1, 150) });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: 150, sessionId });
      const jobs = await queue.getJobs(['wait', 'delayed', 'active']);
      const mine = jobs.filter((j) => j.data.sessionId === sessionId);
      expect(mine.map((j) => j.data.samples.length).sort()).toEqual([100, 50]);
      expect(mine.map((j) => j.id).sort()).toEqual([
        expect.stringMatching(/_1-100$/),
        expect.stringMatching(/_101-150$/),
      ]);
      // A 202 means the samples will be stored: tries that outlast a long database outage, failures kept for the re-drive.
      const retries = telemetryJobOptions({
        retryForMs: t.env.TELEMETRY_RETRY_FOR_MS,
        maxDelayMs: t.env.TELEMETRY_RETRY_MAX_DELAY_MS,
      });
      expect(retries.attempts).toBeGreaterThan(20);
      for (const job of mine)
        expect(job.opts).toMatchObject({
          attempts: retries.attempts,
          backoff: retries.backoff,
          removeOnFail: retries.removeOnFail,
        });
    });

    it('refuses a missing, malformed, unknown or revoked key with 401', async () => {
      expect((await send(null, { samples: samples(200, 1) })).status).toBe(401);
      expect((await send('not-a-key', { samples: samples(200, 1) })).status).toBe(401);
      expect((await send(`tld_${'A'.repeat(43)}`, { samples: samples(200, 1) })).status).toBe(401);
    });

    it('refuses a whole batch with every problem named, and queues nothing of it', async () => {
      const before = await queue.count();
      const batch = samples(300, 3);
      batch[1]!.at = new Date(Date.now() + 60_000).toISOString();
      batch[2]!.channels[0]!.intensityMa = 250;
      (batch[2]!.channels as { channel: number }[]).push({
        channel: 3,
        intensityMa: 1,
        frequencyHz: 4,
        pulseWidthUs: 250,
        impedanceOhm: 900,
      } as never);
      const res = await send(key, { samples: batch });
      expect(res.status).toBe(400);
      const fields = (await res.json()).errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['body.samples.2.channels.0.intensityMa']));
      const future = await send(key, { samples: [batch[0], batch[1]] });
      expect((await future.json()).errors.map((e: { field: string }) => e.field)).toEqual([
        'body.samples.1.at',
      ]);
      const otherChannel = samples(400, 1);
      (otherChannel[0]!.channels as unknown[]).push({
        channel: 3,
        intensityMa: 1,
        frequencyHz: 4,
        pulseWidthUs: 250,
        impedanceOhm: 900,
      });
      expect((await (await send(key, { samples: otherChannel })).json()).errors[0].field).toBe(
        'body.samples.0.channels.2.channel',
      );
      // A device cannot name a session: it writes to its own, whatever it sends.
      const foreign = await send(key, {
        sessionId: '00000000-0000-4000-8000-000000000000',
        samples: samples(500, 1),
      });
      expect(foreign.status).toBe(400);
      expect((await foreign.json()).errors[0].field).toBe('body.sessionId');
      const notJson = await t.request('/api/v1/telemetry', {
        method: 'POST',
        body: '{"samples": [',
        headers: { 'content-type': 'application/json', authorization: `Device ${key}` },
      });
      expect(notJson.status).toBe(400);
      expect(await queue.count()).toBe(before);
    });

    it('answers 429 with Retry-After when the worker is behind, instead of dropping', async () => {
      // The API's limit is 40 waiting jobs in this test app; nobody consumes the queue here.
      let seq = 1_000;
      let last = 202;
      for (let i = 0; i < 60 && last === 202; i++) {
        const res = await send(key, { samples: samples(seq, 1) });
        seq += 1;
        last = res.status;
        if (last === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(last).toBe(429);
      // Refused but heard: the watchdog reads this stamp (Redis clock) and does not call the device offline.
      const throttledAt = Number(
        await redis.get(liveKeys(t.env.REDIS_PREFIX).lastThrottled(sessionId)),
      );
      expect(Math.abs(throttledAt - (await redisNow(redis)))).toBeLessThan(5_000);
    });
  });
});

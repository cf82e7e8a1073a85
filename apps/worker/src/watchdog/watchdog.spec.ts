import { type INestApplicationContext } from '@nestjs/common';
import { loadEnv } from '@tautline/config';
import {
  createSchedulingWorld,
  createTestDatabase,
  type SchedulingWorld,
  type TestDatabase,
} from '@tautline/db';
import {
  createQueue,
  createRedisConnection,
  deleteKeysWithPrefix,
  LiveSessionStore,
  startTestSmtpServer,
  testRedisPrefix,
  type TestSmtpServer,
  type TypedQueue,
} from '@tautline/queues';
import { PassThrough } from 'node:stream';
import { forSession, type LiveClient, LiveObserver } from '../telemetry/testing/live-observer';
import {
  alertRows,
  cleanTrace,
  eventually,
  feed,
  insertLiveSession,
  type LiveSessionFixture,
  samplesAt,
  sleep,
  TWO_CHANNEL_PLAN,
} from '../telemetry/testing/live-session-fixtures';
import { createWorkerContext } from '../worker.factory';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const INTERVAL_MS = 100;

interface NotificationRow {
  id: string;
  alert_id: string;
  user_id: string;
  destination: string;
  subject: string;
  body: string;
  status: string;
  provider_message_id: string | null;
}

/** The watchdog and escalation in a real worker: PostgreSQL, Redis, BullMQ, socket.io and an SMTP server. */
describe('device watchdog and escalation', () => {
  const prefix = testRedisPrefix('worker-watchdog');
  const redis = createRedisConnection(REDIS_URL);
  const store = new LiveSessionStore(redis, prefix);
  let db: TestDatabase;
  let world: SchedulingWorld;
  let smtp: TestSmtpServer;
  let worker: INestApplicationContext;
  let queue: TypedQueue<'telemetry'>;
  let observer: LiveObserver;
  let board: LiveClient;
  let workerStartedAt: number;
  let forgotten: LiveSessionFixture;
  const users: Record<'lead' | 'abe' | 'bea' | 'aaron', string> = {
    lead: '',
    abe: '',
    bea: '',
    aaron: '',
  };
  let room = 1;
  const session = (
    thresholds: Parameters<typeof insertLiveSession>[2]['thresholds'],
    extra: Partial<Parameters<typeof insertLiveSession>[2]> = {},
  ) =>
    insertLiveSession(db.dataSource, world, {
      room: room++,
      ...extra,
      thresholds: { offlineAfterMs: 600_000, escalateAfterSeconds: 600, ...thresholds },
    });
  const notifications = async (alertId: string) =>
    (await db.dataSource.query(
      `SELECT *, recipient_user_id AS user_id FROM reminders WHERE purpose = 'alert_escalation' AND alert_id = $1`,
      [alertId],
    )) as NotificationRow[];

  beforeAll(async () => {
    db = await createTestDatabase('worker-watchdog');
    world = await createSchedulingWorld(db.dataSource, 'watchdog', { rooms: 10 });
    const user = async (name: string, role: string, member: boolean) => {
      const [u] = (await db.dataSource.query(
        `INSERT INTO users (organisation_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, 'x') RETURNING id`,
        [world.organisationId, `${name.split(' ')[0]!.toLowerCase()}@watchdog.test`, name, role],
      )) as { id: string }[];
      if (member) {
        await db.dataSource.query(
          `INSERT INTO clinic_memberships (user_id, clinic_id, organisation_id) VALUES ($1, $2, $3)`,
          [u!.id, world.clinicId, world.organisationId],
        );
      }
      return u!.id;
    };
    users.lead = await user('Lena Lead', 'supervisor', false);
    users.bea = await user('Bea Supervisor', 'supervisor', true);
    users.abe = await user('Abe Supervisor', 'supervisor', true);
    users.aaron = await user('Aaron Scheduler', 'scheduler', true);
    await db.dataSource.query(`UPDATE clinics SET lead_user_id = $1 WHERE id = $2`, [
      users.lead,
      world.clinicId,
    ]);
    // Running for ten minutes, but Redis has no record of its last batch (lost, or never written).
    forgotten = await insertLiveSession(db.dataSource, world, {
      room: 0,
      runningSince: new Date(Date.now() - 600_000),
      thresholds: { offlineAfterMs: 1500, escalateAfterSeconds: 600 },
    });
    smtp = await startTestSmtpServer();
    const env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      LIVE_UPDATE_INTERVAL_MS: '100',
      WATCHDOG_INTERVAL_MS: String(INTERVAL_MS),
      EMAIL_TRANSPORT: 'smtp',
      SMTP_HOST: smtp.host,
      SMTP_PORT: String(smtp.port),
      MESSAGE_PROVIDER_TIMEOUT_MS: '2000',
    });
    workerStartedAt = Date.now();
    worker = await createWorkerContext(env, { logStream: new PassThrough() });
    queue = createQueue('telemetry', { connection: redis, prefix });
    observer = await LiveObserver.start(redis, prefix);
    board = await observer.client(world.clinicId);
  });

  afterAll(async () => {
    await observer.stop();
    await worker.close();
    await queue.close();
    await smtp.stop();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await db.drop();
  });

  it('does not blame a device for a record Redis lost: its silence counts from the watchdog’s start', async () => {
    const raised = await eventually(
      () => forSession(board.events['alert.raised'], forgotten.sessionId)[0],
    );
    expect(raised.alert).toMatchObject({
      kind: 'device_offline',
      severity: 'critical',
      channel: null,
    });
    expect(forSession(board.events['alert.raised'], forgotten.sessionId)).toHaveLength(1);
    expect(Date.parse(raised.alert.raisedAt)).toBeGreaterThanOrEqual(workerStartedAt + 1500);
  });

  it('raises device_offline within offlineAfterMs + 2 intervals of silence, and latches it when samples come back unacknowledged', async () => {
    const s = await session({ offlineAfterMs: 500 });
    await feed(queue, store, s, cleanTrace(5));
    const lastBatchAt = Date.now();
    const raised = await eventually(() => forSession(board.events['alert.raised'], s.sessionId)[0]);
    const heardAt = board.all.find(
      (e) => e.event === 'alert.raised' && e.sessionId === s.sessionId,
    )!.at;
    expect(raised.alert).toMatchObject({
      kind: 'device_offline',
      severity: 'critical',
      status: 'open',
    });
    expect(raised.alert.message).toMatch(
      /^Room \d+: no telemetry from the stimulator for \d+ s \(limit 0\.5 s\)$/,
    );
    expect(heardAt - lastBatchAt).toBeGreaterThan(500);
    expect(heardAt - lastBatchAt).toBeLessThanOrEqual(500 + 2 * INTERVAL_MS + 50);
    await sleep(INTERVAL_MS * 3);
    expect(forSession(board.events['alert.raised'], s.sessionId)).toHaveLength(1);

    await feed(queue, store, s, cleanTrace(1, 1000));
    const updated = await eventually(
      () => forSession(board.events['alert.updated'], s.sessionId)[0],
    );
    expect(updated.alert).toMatchObject({ id: raised.alert.id, status: 'latched' });
    expect(await alertRows(db.dataSource, s)).toEqual([
      expect.objectContaining({ kind: 'device_offline', status: 'latched' }),
    ]);
  });

  it('raises session_overrun once when a session runs past its plan and grace', async () => {
    const plan = { plannedDurationMinutes: 1, channels: [TWO_CHANNEL_PLAN.channels[0]!] };
    const s = await session(
      { overrunGraceMinutes: 0 },
      { plan, runningSince: new Date(Date.now() - 90_000) },
    );
    const raised = await eventually(() => forSession(board.events['alert.raised'], s.sessionId)[0]);
    expect(raised.alert).toMatchObject({
      kind: 'session_overrun',
      severity: 'warning',
      channel: null,
    });
    expect(raised.alert.message).toMatch(/session has run 1 min, planned 1 min \+ \d+ min grace$/);
    await sleep(INTERVAL_MS * 4);
    expect(await alertRows(db.dataSource, s)).toHaveLength(1);
    expect(forSession(board.events['alert.escalated'], s.sessionId)).toEqual([]);
  });

  it('escalates an unacknowledged critical alert once: alert.escalated and one email to the clinic lead', async () => {
    const s = await session({ escalateAfterSeconds: 1 });
    await feed(queue, store, s, samplesAt(15, 3, 0));
    const raised = await eventually(() => forSession(board.events['alert.raised'], s.sessionId)[0]);
    const escalated = await eventually(
      () => forSession(board.events['alert.escalated'], s.sessionId)[0],
      5_000,
    );
    expect(escalated.alert).toMatchObject({
      id: raised.alert.id,
      status: 'open',
      kind: 'intensity_over_ceiling',
    });
    expect(
      Date.parse(escalated.alert.escalatedAt!) - Date.parse(raised.alert.raisedAt),
    ).toBeGreaterThanOrEqual(1000);

    const [row] = await eventually(async () => {
      const rows = await notifications(raised.alert.id);
      return rows[0]?.status === 'sent' && rows;
    });
    const mail = smtp.messages.filter((m) => m.messageId === `<reminder-${row!.id}@tautline>`);
    expect(mail).toHaveLength(1);
    expect(row).toMatchObject({
      user_id: users.lead,
      destination: 'lena@watchdog.test',
      provider_message_id: `<reminder-${row!.id}@tautline>`,
    });
    expect(mail[0]!.to).toEqual(['lena@watchdog.test']);
    expect(mail[0]!.subject).toMatch(/^Unacknowledged critical alert: Room \d+, Main$/);
    expect(mail[0]!.text).toContain('Clinic: Main');
    expect(mail[0]!.text).toContain('Channel: 1');
    expect(mail[0]!.text).toContain('Muscle: Upper trapezius (left)');
    expect(mail[0]!.text).toContain(`Alert: ${raised.alert.message}`);
    expect(mail[0]!.text).not.toMatch(/Given|Family/);

    await sleep(INTERVAL_MS * 6);
    expect(forSession(board.events['alert.escalated'], s.sessionId)).toHaveLength(1);
    expect(
      smtp.messages.filter((m) => m.messageId === `<reminder-${row!.id}@tautline>`),
    ).toHaveLength(1);
    expect(await notifications(raised.alert.id)).toHaveLength(1);
    // The board's next picture of the session shows the escalation too.
    await eventually(() =>
      forSession(board.events['session.updated'], s.sessionId).some((u) =>
        u.openAlerts.some((a) => a.id === raised.alert.id && a.escalatedAt !== null),
      ),
    );
  });

  it('does not escalate an alert someone acknowledged', async () => {
    const s = await session({ escalateAfterSeconds: 1.5 });
    await feed(queue, store, s, samplesAt(15, 1, 0));
    const raised = await eventually(() => forSession(board.events['alert.raised'], s.sessionId)[0]);
    await db.dataSource.query(
      `UPDATE alerts SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1 AND status = 'open'`,
      [raised.alert.id, users.abe],
    );
    await sleep(2_500);
    expect(forSession(board.events['alert.escalated'], s.sessionId)).toEqual([]);
    expect(await notifications(raised.alert.id)).toEqual([]);
    expect((await alertRows(db.dataSource, s))[0]).toMatchObject({
      status: 'acknowledged',
      escalated_at: null,
    });
  });

  it('escalates a latched critical too: cleared before anyone acknowledged it', async () => {
    const s = await session({ escalateAfterSeconds: 1.5, clearAfterMs: 200 });
    const samples = [...samplesAt(15, 3, 0), ...samplesAt(7, 5, 3)];
    samples.forEach((x, i) => (x.at = new Date(Date.now() - 1000 + i * 100).toISOString()));
    await feed(queue, store, s, samples);
    const latched = await eventually(() =>
      forSession(board.events['alert.updated'], s.sessionId).find(
        (e) => e.alert.status === 'latched',
      ),
    );
    const escalated = await eventually(
      () => forSession(board.events['alert.escalated'], s.sessionId)[0],
      5_000,
    );
    expect(escalated.alert).toMatchObject({ id: latched.alert.id, status: 'latched' });
    const row = await eventually(async () => (await notifications(latched.alert.id))[0]);
    expect(row!.body).toContain('State: condition cleared, not acknowledged');
  });

  it('re-alerts an acknowledged alert still holding after realertAfterSeconds, once, keeping the history', async () => {
    const s = await session({ realertAfterSeconds: 30 });
    await feed(queue, store, s, samplesAt(15, 1, 0));
    const raised = await eventually(() => forSession(board.events['alert.raised'], s.sessionId)[0]);
    // Acknowledged 29 s ago: not yet due.
    const acknowledge = (secondsAgo: number) =>
      db.dataSource.query(
        `WITH a AS (
           UPDATE alerts SET status = 'acknowledged', acknowledged_at = now() - make_interval(secs => $3),
                  acknowledged_by = $2, acknowledged_by_name = 'Abe Supervisor'
            WHERE id = $1 RETURNING organisation_id, clinic_id, id, acknowledged_at)
         INSERT INTO alert_acknowledgements (organisation_id, clinic_id, alert_id, user_id, kind, at)
         SELECT organisation_id, clinic_id, id, $2, 'acknowledged', acknowledged_at FROM a`,
        [raised.alert.id, users.abe, secondsAgo],
      );
    await acknowledge(29);
    await sleep(INTERVAL_MS * 5);
    expect(forSession(board.events['alert.updated'], s.sessionId)).toEqual([]);

    await db.dataSource.query(
      `UPDATE alerts SET acknowledged_at = acknowledged_at - interval '2 s' WHERE id = $1`,
      [raised.alert.id],
    );
    const realerted = await eventually(
      () => forSession(board.events['alert.updated'], s.sessionId)[0],
      5_000,
    );
    expect(realerted.alert).toMatchObject({
      id: raised.alert.id,
      status: 'open',
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgedByName: null,
    });
    expect(realerted.alert.realertedAt).not.toBeNull();
    await sleep(INTERVAL_MS * 5);
    expect(forSession(board.events['alert.updated'], s.sessionId)).toHaveLength(1);
    const [{ n }] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM alert_acknowledgements WHERE alert_id = $1`,
      [raised.alert.id],
    )) as [{ n: number }];
    expect(n).toBe(1);

    // Acknowledged again just now: silent for another interval.
    await acknowledge(0);
    await sleep(INTERVAL_MS * 5);
    expect(forSession(board.events['alert.updated'], s.sessionId)).toHaveLength(1);
    expect((await alertRows(db.dataSource, s))[0]).toMatchObject({ status: 'acknowledged' });
  });

  it('without a lead, notifies the clinic’s first supervisor by name', async () => {
    await db.dataSource.query(`UPDATE clinics SET lead_user_id = NULL WHERE id = $1`, [
      world.clinicId,
    ]);
    const s = await session({ escalateAfterSeconds: 0.5 });
    await feed(queue, store, s, samplesAt(15, 1, 0));
    const escalated = await eventually(
      () => forSession(board.events['alert.escalated'], s.sessionId)[0],
      5_000,
    );
    const [row] = await eventually(async () => {
      const rows = await notifications(escalated.alert.id);
      return rows[0]?.status === 'sent' && rows;
    });
    expect(row).toMatchObject({ user_id: users.abe, destination: 'abe@watchdog.test' });
    expect(
      smtp.messages.filter((m) => m.messageId === `<reminder-${row!.id}@tautline>`),
    ).toHaveLength(1);
  });
});

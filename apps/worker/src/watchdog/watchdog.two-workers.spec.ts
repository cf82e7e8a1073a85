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
  testRedisPrefix,
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
  sampleCount,
  samplesAt,
  sleep,
} from '../telemetry/testing/live-session-fixtures';
import { createWorkerContext } from '../worker.factory';
import { AlertRealerter } from './alert.realerter';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const INTERVAL_MS = 100;

/**
 * Two worker processes (two Nest contexts) on one database and one Redis prefix, as a deployment
 * with two workers: one watchdog evaluation per tick, one alert, one escalation, one notification.
 * With the `log` email transport the notification is marked sent with its body stored in the row.
 */
describe('two workers sharing the watchdog (log transport)', () => {
  const prefix = testRedisPrefix('worker-watchdog-two');
  const redis = createRedisConnection(REDIS_URL);
  const store = new LiveSessionStore(redis, prefix);
  let db: TestDatabase;
  let world: SchedulingWorld;
  let workers: INestApplicationContext[] = [];
  let queue: TypedQueue<'telemetry'>;
  let observer: LiveObserver;
  let board: LiveClient;

  beforeAll(async () => {
    db = await createTestDatabase('worker-watchdog-two');
    world = await createSchedulingWorld(db.dataSource, 'watchdog-two', { rooms: 3 });
    const [lead] = (await db.dataSource.query(
      `INSERT INTO users (organisation_id, email, name, role, password_hash) VALUES ($1, 'lead@two.test', 'Lee Lead', 'supervisor', 'x') RETURNING id`,
      [world.organisationId],
    )) as { id: string }[];
    await db.dataSource.query(`UPDATE clinics SET lead_user_id = $1 WHERE id = $2`, [
      lead!.id,
      world.clinicId,
    ]);
    const env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      LIVE_UPDATE_INTERVAL_MS: '100',
      WATCHDOG_INTERVAL_MS: String(INTERVAL_MS),
      EMAIL_TRANSPORT: 'log',
    });
    workers = [
      await createWorkerContext(env, { logStream: new PassThrough() }),
      await createWorkerContext(env, { logStream: new PassThrough() }),
    ];
    queue = createQueue('telemetry', { connection: redis, prefix });
    observer = await LiveObserver.start(redis, prefix);
    board = await observer.client(world.clinicId);
  });

  afterAll(async () => {
    await observer.stop();
    for (const w of workers) await w.close();
    await queue.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await db.drop();
  });

  it('stores a stream once and judges a silent device once: one alert, one escalation, one notification', async () => {
    const s = await insertLiveSession(db.dataSource, world, {
      room: 0,
      thresholds: { offlineAfterMs: 300, escalateAfterSeconds: 0.5 },
    });
    const trace = cleanTrace(20);
    // Small jobs, so both workers take some.
    await feed(queue, store, s, trace, { perJob: 10 });
    await eventually(async () => (await sampleCount(db.dataSource, s)) === trace.length);

    const escalated = await eventually(
      () => forSession(board.events['alert.escalated'], s.sessionId)[0],
      5_000,
    );
    expect(escalated.alert).toMatchObject({ kind: 'device_offline', status: 'open' });
    const [row] = await eventually(async () => {
      const rows = (await db.dataSource.query(
        `SELECT * FROM reminders WHERE purpose = 'alert_escalation' AND alert_id = $1`,
        [escalated.alert.id],
      )) as {
        id: string;
        status: string;
        provider_message_id: string;
        destination: string;
        body: string;
      }[];
      return rows[0]?.status === 'sent' && rows;
    });
    expect(row).toMatchObject({
      provider_message_id: `log-${row!.id}`,
      destination: 'lead@two.test',
    });
    expect(row!.body).toContain(`Alert: ${escalated.alert.message}`);
    expect(row!.body).toContain('Channel: whole device');

    await sleep(INTERVAL_MS * 5);
    expect(await alertRows(db.dataSource, s)).toEqual([
      expect.objectContaining({ kind: 'device_offline', status: 'open' }),
    ]);
    expect(forSession(board.events['alert.raised'], s.sessionId)).toHaveLength(1);
    expect(forSession(board.events['alert.escalated'], s.sessionId)).toHaveLength(1);
    const [{ n }] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM reminders WHERE purpose = 'alert_escalation' AND clinic_id = $1`,
      [world.clinicId],
    )) as [{ n: number }];
    expect(n).toBe(1);
  });
  it('re-alerts an acknowledged alert once, however many workers look', async () => {
    const s = await insertLiveSession(db.dataSource, world, {
      room: 1,
      thresholds: { offlineAfterMs: 600_000, escalateAfterSeconds: 600, realertAfterSeconds: 30 },
    });
    await feed(queue, store, s, samplesAt(15, 1, 0));
    const raised = await eventually(() => forSession(board.events['alert.raised'], s.sessionId)[0]);
    await db.dataSource.query(
      `UPDATE alerts SET status = 'acknowledged', acknowledged_at = now() - interval '31 s', acknowledged_by = $2
        WHERE id = $1`,
      [raised.alert.id, world.userId],
    );
    // Both workers' re-alerters at once, besides the watchdog ticks.
    const counts = await Promise.all(workers.map((w) => w.get(AlertRealerter).run()));
    await sleep(INTERVAL_MS * 5);
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    const updates = forSession(board.events['alert.updated'], s.sessionId);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.alert).toMatchObject({ id: raised.alert.id, status: 'open' });
  });
});

import { type INestApplicationContext } from '@nestjs/common';
import { loadEnv } from '@tautline/config';
import {
  createSchedulingWorld,
  createTestDatabase,
  type SchedulingWorld,
  type TestDatabase,
} from '@tautline/db';
import { type AlertEvent } from '@tautline/domain';
import {
  createRedisConnection,
  deleteKeysWithPrefix,
  LiveSessionStore,
  testRedisPrefix,
} from '@tautline/queues';
import { PassThrough } from 'node:stream';
import { type LiveClient, LiveObserver } from '../telemetry/testing/live-observer';
import {
  alertRows,
  insertLiveSession,
  type LiveSessionFixture,
  sleep,
} from '../telemetry/testing/live-session-fixtures';
import { createWorkerContext } from '../worker.factory';
import { DeviceWatchdog } from './device.watchdog';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const OFFLINE_MS = 1_000;
const TEN_MINUTES = 600_000;

/**
 * Overload is not offline, and offline is judged on one clock. The watchdog's own timer is set far
 * apart (60 s), so the test drives each tick itself, exactly when it means to.
 */
describe('device watchdog under overload and clock skew', () => {
  const prefix = testRedisPrefix('worker-overload');
  const redis = createRedisConnection(REDIS_URL);
  const store = new LiveSessionStore(redis, prefix);
  let db: TestDatabase;
  let worker: INestApplicationContext;
  let watchdog: DeviceWatchdog;
  let observer: LiveObserver;

  beforeAll(async () => {
    db = await createTestDatabase('worker-overload');
    const env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      WATCHDOG_INTERVAL_MS: '60000',
    });
    worker = await createWorkerContext(env, { logStream: new PassThrough() });
    watchdog = worker.get(DeviceWatchdog);
    observer = await LiveObserver.start(redis, prefix);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await observer.stop();
    await worker.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await db.drop();
  });

  /** One watchdog tick now (the interval's lock is released first, as if the interval had passed). */
  const tick = async () => {
    await redis.del(`${prefix}:watchdog`);
    await watchdog.tick();
  };
  const clinic = async (slug: string, sessions: number) => {
    const world = await createSchedulingWorld(db.dataSource, slug, { rooms: sessions });
    const board = await observer.client(world.clinicId);
    const list: LiveSessionFixture[] = [];
    for (let room = 0; room < sessions; room++) {
      list.push(
        await insertLiveSession(db.dataSource, world, {
          room,
          thresholds: { offlineAfterMs: OFFLINE_MS, escalateAfterSeconds: 600 },
        }),
      );
    }
    return { world, board, sessions: list };
  };
  const kinds = async (s: LiveSessionFixture) =>
    (await alertRows(db.dataSource, s)).map((a) => a.kind);
  const clinicAlerts = async (world: SchedulingWorld) =>
    (await db.dataSource.query(
      `SELECT kind, severity, status, session_id, room_id FROM alerts WHERE clinic_id = $1 AND session_id IS NULL`,
      [world.clinicId],
    )) as { kind: string; severity: string; status: string; session_id: null; room_id: null }[];
  const degradedEvents = (board: LiveClient, event: 'alert.raised' | 'alert.updated') =>
    board.events[event].filter((e: AlertEvent) => e.alert.kind === 'monitoring_degraded');

  it('does not report a device answered 429 as offline; a silent one is', async () => {
    const { sessions } = await clinic('overload-one', 2);
    const [refused, silent] = sessions as [LiveSessionFixture, LiveSessionFixture];
    await Promise.all(sessions.map((s) => store.markReceived(s.sessionId)));
    // The API refuses `refused`'s batches (429) for 2.5 offline limits; `silent` sends nothing.
    for (let i = 0; i < 10; i++) {
      await store.markThrottled(refused.sessionId);
      await sleep(250);
      await tick();
    }
    expect(await kinds(silent)).toEqual(['device_offline']);
    expect(await kinds(refused)).toEqual([]);
    // Refusals stop and nothing else comes: now it is silent, and offline.
    await sleep(OFFLINE_MS + 100);
    await tick();
    expect(await kinds(refused)).toEqual(['device_offline']);
  });

  it('raises one monitoring_degraded per clinic under a flood of 429s, none in another clinic, and resolves it when they stop', async () => {
    const flooded = await clinic('overload-flood', 20);
    const calm = await clinic('overload-calm', 1);
    await Promise.all(
      [...flooded.sessions, ...calm.sessions].map((s) => store.markReceived(s.sessionId)),
    );
    for (let i = 0; i < 10; i++) {
      await Promise.all(flooded.sessions.map((s) => store.markThrottled(s.sessionId)));
      await store.markReceived(calm.sessions[0]!.sessionId); // streaming and accepted
      await sleep(250);
      await tick();
    }
    for (const s of flooded.sessions) expect(await kinds(s)).toEqual([]);
    expect(await clinicAlerts(flooded.world)).toEqual([
      {
        kind: 'monitoring_degraded',
        severity: 'technical',
        status: 'open',
        session_id: null,
        room_id: null,
      },
    ]);
    expect(await clinicAlerts(calm.world)).toEqual([]);
    await sleep(100);
    expect(degradedEvents(flooded.board, 'alert.raised')).toHaveLength(1);
    expect(degradedEvents(flooded.board, 'alert.raised')[0]!.alert.message).toMatch(
      /degraded at Main.*still streaming/,
    );
    expect(degradedEvents(calm.board, 'alert.raised')).toHaveLength(0);

    // Throttling stops (the devices are accepted again): the clinic's alert resolves, still one row.
    for (let i = 0; i < 6; i++) {
      await Promise.all(flooded.sessions.map((s) => store.markReceived(s.sessionId)));
      await sleep(250);
      await tick();
    }
    expect(await clinicAlerts(flooded.world)).toEqual([
      expect.objectContaining({ kind: 'monitoring_degraded', status: 'resolved' }),
    ]);
    await sleep(100);
    expect(degradedEvents(flooded.board, 'alert.updated').map((e) => e.alert.status)).toEqual([
      'resolved',
    ]);
    for (const s of flooded.sessions) expect(await kinds(s)).toEqual([]);
  }, 30_000);

  it('judges offline on the shared (Redis) clock, whatever the worker host clock says', async () => {
    const { sessions } = await clinic('overload-skew', 2);
    const [fresh, stale] = sessions as [LiveSessionFixture, LiveSessionFixture];
    const realNow = Date.now.bind(Date);
    await store.markReceived(stale.sessionId);
    await sleep(OFFLINE_MS + 300);
    await store.markReceived(fresh.sessionId);

    // This host's clock runs ten minutes behind: a device silent longer than its limit is still offline.
    const behind = jest.spyOn(Date, 'now').mockImplementation(() => realNow() - TEN_MINUTES);
    await tick();
    behind.mockRestore();
    expect(await kinds(stale)).toEqual(['device_offline']);
    expect(await kinds(fresh)).toEqual([]);

    // Ten minutes ahead: a device heard from just now is not offline.
    await store.markReceived(fresh.sessionId);
    const ahead = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + TEN_MINUTES);
    await tick();
    ahead.mockRestore();
    expect(await kinds(fresh)).toEqual([]);
  });
});

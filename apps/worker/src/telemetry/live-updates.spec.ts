import { type INestApplicationContext } from '@nestjs/common';
import { loadEnv } from '@tautline/config';
import {
  createSchedulingWorld,
  createTestDatabase,
  type SchedulingWorld,
  type TestDatabase,
} from '@tautline/db';
import { orderUpdate } from '@tautline/domain';
import {
  createQueue,
  createRedisConnection,
  deleteKeysWithPrefix,
  LiveSessionStore,
  testRedisPrefix,
  type TypedQueue,
} from '@tautline/queues';
import { PassThrough } from 'node:stream';
import { createWorkerContext } from '../worker.factory';
import { forSession, type LiveClient, LiveObserver } from './testing/live-observer';
import {
  cleanTrace,
  eventually,
  feed,
  insertLiveSession,
  sampleCount,
  samplesAt,
  sleep,
} from './testing/live-session-fixtures';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const INTERVAL_MS = 200;

/** Coalesced `session.updated` through a real worker, Redis emitter, socket.io server and clients. */
describe('live session updates', () => {
  const prefix = testRedisPrefix('worker-live-updates');
  const redis = createRedisConnection(REDIS_URL);
  const store = new LiveSessionStore(redis, prefix);
  let db: TestDatabase;
  let world: SchedulingWorld;
  let elsewhere: SchedulingWorld;
  let worker: INestApplicationContext;
  let queue: TypedQueue<'telemetry'>;
  let observer: LiveObserver;
  let board: LiveClient;
  let otherClinic: LiveClient;

  beforeAll(async () => {
    db = await createTestDatabase('worker-live-updates');
    world = await createSchedulingWorld(db.dataSource, 'live-updates', { rooms: 5 });
    elsewhere = await createSchedulingWorld(db.dataSource, 'elsewhere', { rooms: 1 });
    const env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      LIVE_UPDATE_INTERVAL_MS: String(INTERVAL_MS),
      WATCHDOG_INTERVAL_MS: '200',
    });
    worker = await createWorkerContext(env, { logStream: new PassThrough() });
    queue = createQueue('telemetry', { connection: redis, prefix });
    observer = await LiveObserver.start(redis, prefix);
    board = await observer.client(world.clinicId);
    otherClinic = await observer.client(elsewhere.clinicId);
  });

  afterAll(async () => {
    await observer.stop();
    await worker.close();
    await queue.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await db.drop();
  });

  it('coalesces a fast stream into a few updates per interval, in order, ending with the latest readings', async () => {
    const s = await insertLiveSession(db.dataSource, world, {
      room: 0,
      thresholds: { offlineAfterMs: 600_000 },
    });
    const trace = cleanTrace(60, 0, 3);
    const started = Date.now();
    // 60 batches of 10 samples over ~1.5 s: a device streaming at 400 Hz.
    for (let i = 0; i < trace.length; i += 10) {
      await feed(queue, store, s, trace.slice(i, i + 10));
      await sleep(25);
    }
    const last = trace[trace.length - 1]!;
    await eventually(() =>
      forSession(board.events['session.updated'], s.sessionId).some(
        (u) => u.latest?.seq === last.seq,
      ),
    );
    const elapsed = Date.now() - started;
    await sleep(INTERVAL_MS * 2);
    const updates = forSession(board.events['session.updated'], s.sessionId);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    // 60 batches went in; a handful of updates came out.
    expect(updates.length).toBeLessThan(60 / 3);
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(elapsed / INTERVAL_MS) + 1);
    updates.slice(1).forEach((u, i) => expect(u.updateSeq).toBeGreaterThan(updates[i]!.updateSeq));
    const final = updates[updates.length - 1]!;
    expect(final).toMatchObject({
      sessionId: s.sessionId,
      clinicId: world.clinicId,
      roomName: 'Room 1',
      patientInitials: 'GF',
      practitionerName: 'Practitioner 1',
      status: 'running',
      openAlerts: [],
      latest: { seq: last.seq, at: last.at, channels: last.channels },
    });
    expect(final.plan.channels).toHaveLength(2);
    // Another organisation's clinic board hears nothing of it.
    expect(otherClinic.all).toEqual([]);
  });

  it('pushes alerts at once, carries them in the next update, and keeps them from other clinics', async () => {
    const s = await insertLiveSession(db.dataSource, world, {
      room: 1,
      thresholds: { offlineAfterMs: 600_000, escalateAfterSeconds: 600 },
    });
    await feed(queue, store, s, samplesAt(16, 5, 0));
    const raised = await eventually(() => forSession(board.events['alert.raised'], s.sessionId)[0]);
    const update = await eventually(() =>
      forSession(board.events['session.updated'], s.sessionId).find((u) =>
        u.openAlerts.some((a) => a.id === raised.alert.id),
      ),
    );
    expect(update.openAlerts).toEqual([raised.alert]);
    await sleep(INTERVAL_MS);
    expect(otherClinic.all).toEqual([]);
  });

  it('never shows a session as running once it has ended, even with readings still to push', async () => {
    const s = await insertLiveSession(db.dataSource, world, {
      room: 3,
      thresholds: { offlineAfterMs: 600_000 },
    });
    const trace = cleanTrace(2, 0, 5);
    await feed(queue, store, s, trace);
    await eventually(async () => (await sampleCount(db.dataSource, s)) === trace.length);
    // The API stops the session (its own final update is not part of this test).
    await db.dataSource.query(
      `UPDATE treatment_sessions SET status = 'completed', ended_at = now(), running_seconds = 2, running_since = NULL WHERE id = $1`,
      [s.sessionId],
    );
    const stoppedAt = Date.now();
    await sleep(INTERVAL_MS * 3);
    // An update already on its way may land just after; nothing is sent about it later.
    const afterStop = board.all.filter(
      (e) => e.event === 'session.updated' && e.sessionId === s.sessionId && e.at > stoppedAt + 50,
    );
    expect(afterStop).toEqual([]);
    expect(
      forSession(board.events['session.updated'], s.sessionId).every((u) => u.status === 'running'),
    ).toBe(true);

    // A batch still in flight at the stop is stored, and shown to nobody.
    const before = forSession(board.events['session.updated'], s.sessionId).length;
    await feed(queue, store, s, cleanTrace(1, 100, 5));
    await eventually(async () => (await sampleCount(db.dataSource, s)) === trace.length + 10);
    await sleep(INTERVAL_MS * 3);
    expect(forSession(board.events['session.updated'], s.sessionId)).toHaveLength(before);
  });

  it('after Redis lost its data mid-stream, the next update carries a later epoch, counting from 1', async () => {
    const s = await insertLiveSession(db.dataSource, world, {
      room: 4,
      thresholds: { offlineAfterMs: 600_000 },
    });
    const before = cleanTrace(4, 0, 11);
    for (let i = 0; i < before.length; i += 10) {
      await feed(queue, store, s, before.slice(i, i + 10));
      await sleep(INTERVAL_MS * 1.2);
    }
    await eventually(() =>
      forSession(board.events['session.updated'], s.sessionId).some(
        (u) => u.latest?.seq === before[before.length - 1]!.seq,
      ),
    );
    await sleep(INTERVAL_MS * 2); // nothing of the first stream still in flight
    const old = forSession(board.events['session.updated'], s.sessionId);
    const lastOld = old[old.length - 1]!;
    expect(lastOld.updateSeq).toBeGreaterThan(2);

    // Everything under this test's prefix goes, as FLUSHALL would: queues, live state, counters.
    await deleteKeysWithPrefix(redis, prefix);
    const after = cleanTrace(3, 1_000, 11);
    for (let i = 0; i < after.length; i += 10) {
      await feed(queue, store, s, after.slice(i, i + 10), { jobIdPrefix: 'after' });
      await sleep(INTERVAL_MS * 1.2);
    }
    await eventually(() =>
      forSession(board.events['session.updated'], s.sessionId).some(
        (u) => u.latest?.seq === after[after.length - 1]!.seq,
      ),
    );
    const fresh = forSession(board.events['session.updated'], s.sessionId).slice(old.length);
    expect(fresh.length).toBeGreaterThanOrEqual(2);
    expect(fresh[0]).toMatchObject({ updateSeq: 1, status: 'running' });
    expect(fresh[0]!.updateEpoch).toBeGreaterThan(lastOld.updateEpoch);
    expect(orderUpdate(lastOld, fresh[0]!)).toBe('new_epoch');
    // Then one epoch again, in order.
    fresh.slice(1).forEach((u, i) => expect(orderUpdate(fresh[i]!, u)).toBe('next'));
  });

  it('sends nothing for a session nobody streams to', async () => {
    const s = await insertLiveSession(db.dataSource, world, {
      room: 2,
      thresholds: { offlineAfterMs: 600_000 },
    });
    await sleep(INTERVAL_MS * 3);
    expect(forSession(board.events['session.updated'], s.sessionId)).toEqual([]);
  });
});

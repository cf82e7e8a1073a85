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
  liveKeys,
  LiveSessionStore,
  redisKeys,
  testRedisPrefix,
  type TypedQueue,
} from '@tautline/queues';
import { QueueEvents } from 'bullmq';
import { PassThrough } from 'node:stream';
import { createWorkerContext } from '../worker.factory';
import { forSession, type LiveClient, LiveObserver } from './testing/live-observer';
import {
  alertRows,
  cleanTrace,
  eventually,
  feed,
  insertLiveSession,
  sampleCount,
  samplesAt,
  sleep,
} from './testing/live-session-fixtures';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The telemetry processor in a real worker context: real PostgreSQL, Redis, BullMQ and socket.io. */
describe('telemetry processor', () => {
  const prefix = testRedisPrefix('worker-telemetry');
  const redis = createRedisConnection(REDIS_URL);
  const store = new LiveSessionStore(redis, prefix);
  const eventsConnection = redis.duplicate();
  let db: TestDatabase;
  let world: SchedulingWorld;
  let worker: INestApplicationContext;
  let queue: TypedQueue<'telemetry'>;
  let events: QueueEvents;
  let observer: LiveObserver;
  let board: LiveClient;
  let room = 0;
  const session = (input: Omit<Parameters<typeof insertLiveSession>[2], 'room'> = {}) =>
    // Long offline and escalation limits: this file is about telemetry, not the watchdog.
    insertLiveSession(db.dataSource, world, {
      room: room++,
      ...input,
      thresholds: { offlineAfterMs: 600_000, escalateAfterSeconds: 600, ...input.thresholds },
    });

  beforeAll(async () => {
    db = await createTestDatabase('worker-telemetry');
    world = await createSchedulingWorld(db.dataSource, 'telemetry', { rooms: 10 });
    const env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      LIVE_UPDATE_INTERVAL_MS: '100',
      WATCHDOG_INTERVAL_MS: '200',
    });
    worker = await createWorkerContext(env, { logStream: new PassThrough() });
    queue = createQueue('telemetry', { connection: redis, prefix });
    events = new QueueEvents('telemetry', {
      connection: eventsConnection,
      prefix: redisKeys(prefix).bull,
    });
    await events.waitUntilReady();
    observer = await LiveObserver.start(redis, prefix);
    board = await observer.client(world.clinicId);
  });

  afterAll(async () => {
    await observer.stop();
    await worker.close();
    await events.close();
    await queue.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    eventsConnection.disconnect();
    await db.drop();
  });

  const finished = async (jobIds: string[]) => {
    const outcomes = [];
    for (const id of jobIds)
      outcomes.push(await (await queue.getJob(id))!.waitUntilFinished(events, 10_000));
    return outcomes;
  };

  it('stores each sample once, whether a job is added twice or the batch comes again under another job id', async () => {
    const s = await session();
    const trace = cleanTrace(30);
    const first = await feed(queue, store, s, trace, { perJob: 50 });
    const again = await feed(queue, store, s, trace, { perJob: 50 }); // same job ids: BullMQ keeps one
    expect(again).toEqual(first);
    const other = await feed(queue, store, s, trace.slice(100, 200), {
      perJob: 25,
      jobIdPrefix: 'resent',
    });
    const outcomes = await finished([...first, ...other]);
    expect(await sampleCount(db.dataSource, s)).toBe(trace.length);
    const stored = outcomes.reduce<number>((n, o) => n + (o as { stored: number }).stored, 0);
    expect(stored).toBe(trace.length);
    // The re-sent samples were judged before: ignored, not judged twice.
    expect(outcomes.slice(first.length)).toEqual(
      other.map(() => expect.objectContaining({ stored: 0, ignored: 25 })),
    );
  });

  it('raises nothing on a clean trace and keeps the latest readings and the summary in Redis', async () => {
    const s = await session();
    const trace = cleanTrace(60, 0, 11);
    await finished(await feed(queue, store, s, trace, { perJob: 100 }));
    expect(await alertRows(db.dataSource, s)).toEqual([]);
    const latest = (await store.readings([s.sessionId])).get(s.sessionId)?.latest;
    const last = trace[trace.length - 1]!;
    expect(latest).toMatchObject({
      seq: last.seq,
      at: last.at,
      channels: last.channels,
      batteryPct: last.batteryPct,
    });
    expect(await store.readJson('summary', s.sessionId)).toMatchObject({
      samples: trace.length,
      lastSeq: last.seq,
    });
    await sleep(300);
    expect(forSession(board.events['alert.raised'], s.sessionId)).toEqual([]);
  });

  it('raises an over-ceiling alert once, live, keeps it one alert while it holds, and latches it when it clears unacknowledged', async () => {
    const s = await session({ thresholds: { clearAfterMs: 300 } });
    await finished(await feed(queue, store, s, samplesAt(7, 20, 0)));
    // 14 mA on channel 1, ceiling 12 mA: batch after batch.
    await finished(await feed(queue, store, s, samplesAt(14, 5, 20)));
    const raised = await eventually(() => forSession(board.events['alert.raised'], s.sessionId)[0]);
    expect(raised.alert).toMatchObject({
      kind: 'intensity_over_ceiling',
      severity: 'critical',
      channel: 1,
      muscle: 'upper_trapezius',
      side: 'left',
      value: 14,
      limit: 12,
      status: 'open',
      clinicId: world.clinicId,
      occurrences: 1,
      clearedAt: null,
    });
    // Where, snapshot at raise.
    expect(raised.alert.roomName).toMatch(/^Room \d+$/);
    expect(raised.alert.clinicName).toEqual(expect.any(String));
    expect(raised.alert.patientInitials).toMatch(/^[A-Z]{2}$/);
    expect(raised.alert.message).toMatch(
      /^Room \d+ · channel 1 \(left upper trapezius\): 14 mA is above the planned ceiling of 12 mA$/,
    );
    for (let seq = 25; seq < 65; seq += 5)
      await finished(await feed(queue, store, s, samplesAt(14.5, 5, seq)));
    await sleep(300);
    expect(forSession(board.events['alert.raised'], s.sessionId)).toHaveLength(1);
    expect(await alertRows(db.dataSource, s)).toEqual([
      expect.objectContaining({ kind: 'intensity_over_ceiling', status: 'open' }),
    ]);

    // Back under the ceiling for longer than clearAfterMs: nobody acknowledged, so it latches.
    await finished(await feed(queue, store, s, samplesAt(8, 10, 65)));
    const updated = await eventually(
      () => forSession(board.events['alert.updated'], s.sessionId)[0],
    );
    expect(updated.alert).toMatchObject({
      id: raised.alert.id,
      status: 'latched',
      resolvedAt: null,
    });
    expect(updated.alert.clearedAt).not.toBeNull();
    // Still there (and still latched) while the session goes on cleanly.
    await finished(await feed(queue, store, s, samplesAt(8, 10, 75)));
    expect(await alertRows(db.dataSource, s)).toEqual([
      expect.objectContaining({ id: raised.alert.id, status: 'latched' }),
    ]);
    expect(forSession(board.events['alert.raised'], s.sessionId)).toHaveLength(1);
  });

  it('resolves a warning that clears by itself (no latch)', async () => {
    const s = await session({ thresholds: { clearAfterMs: 200 } });
    // 3 → 8 mA within the jump window (> 4 mA), under the 12 mA ceiling, then steady.
    const samples = [...samplesAt(3, 10, 0), ...samplesAt(8, 30, 10)];
    samples.forEach((x, i) => (x.at = new Date(Date.now() - 5000 + i * 100).toISOString()));
    await finished(await feed(queue, store, s, samples));
    const rows = await alertRows(db.dataSource, s);
    expect(rows).toEqual([expect.objectContaining({ kind: 'intensity_jump', status: 'resolved' })]);
  });

  it('re-opens the latched alert when its condition recurs: one row, occurrences 2, alert.updated', async () => {
    const s = await session({ thresholds: { clearAfterMs: 200 } });
    const samples = [...samplesAt(14, 3, 0), ...samplesAt(7, 5, 3), ...samplesAt(14, 3, 8)];
    samples.forEach((x, i) => (x.at = new Date(Date.now() - 2000 + i * 100).toISOString()));
    const jobs = await feed(queue, store, s, samples);
    await finished(jobs);
    const rows = await alertRows(db.dataSource, s);
    expect(rows).toEqual([expect.objectContaining({ status: 'open', occurrences: 2 })]);
    await eventually(() => forSession(board.events['alert.updated'], s.sessionId).length === 2);
    const [latched, reopened] = forSession(board.events['alert.updated'], s.sessionId);
    expect(latched!.alert).toMatchObject({ status: 'latched', occurrences: 1 });
    expect(reopened!.alert).toMatchObject({ status: 'open', occurrences: 2, clearedAt: null });
    expect(forSession(board.events['alert.raised'], s.sessionId)).toHaveLength(1);

    // The same batch again under another job id changes nothing (idempotent).
    await finished(await feed(queue, store, s, samples, { jobIdPrefix: 'again' }));
    await sleep(200);
    expect(await alertRows(db.dataSource, s)).toEqual([
      expect.objectContaining({ status: 'open', occurrences: 2 }),
    ]);
    expect(forSession(board.events['alert.updated'], s.sessionId)).toHaveLength(2);
  });

  it('neither doubles nor forgets an open alert when Redis has lost the safety state', async () => {
    const s = await session({ thresholds: { clearAfterMs: 300 } });
    await finished(await feed(queue, store, s, samplesAt(15, 5, 0)));
    await eventually(() => forSession(board.events['alert.raised'], s.sessionId)[0]);
    await redis.del(liveKeys(prefix).safety(s.sessionId));
    await finished(await feed(queue, store, s, samplesAt(15, 5, 5)));
    expect(await alertRows(db.dataSource, s)).toHaveLength(1);
    await redis.del(liveKeys(prefix).safety(s.sessionId));
    await finished(await feed(queue, store, s, samplesAt(8, 10, 10)));
    expect(await alertRows(db.dataSource, s)).toEqual([
      expect.objectContaining({ status: 'latched' }),
    ]);
    await sleep(200);
    expect(forSession(board.events['alert.raised'], s.sessionId)).toHaveLength(1);
  });

  it('stores a batch that arrives after the session ended, but raises and pushes nothing', async () => {
    const s = await session({ status: 'completed' });
    const [outcome] = await finished(await feed(queue, store, s, samplesAt(30, 10, 0)));
    expect(outcome).toMatchObject({ processed: true, live: false, stored: 10, raised: 0 });
    expect(await sampleCount(db.dataSource, s)).toBe(10);
    expect(await alertRows(db.dataSource, s)).toEqual([]);
    expect((await store.readings([s.sessionId])).get(s.sessionId)?.latest).toBeNull();
    await sleep(300);
    expect(forSession(board.events['session.updated'], s.sessionId)).toEqual([]);
  });

  it('drops a job naming another device than the session’s', async () => {
    const s = await session();
    const other = await session();
    const [outcome] = await finished(
      await feed(queue, store, { ...s, deviceId: other.deviceId }, samplesAt(5, 3, 0)),
    );
    expect(outcome).toEqual({ processed: false, reason: 'session not found for this device' });
    expect(await sampleCount(db.dataSource, s)).toBe(0);
  });

  it('fails a malformed job once, without retrying', async () => {
    const job = await queue.add('telemetry.batch', { sessionId: 'nope', samples: [] } as never, {
      attempts: 3,
    });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(
      /invalid telemetry payload/,
    );
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
  });
});

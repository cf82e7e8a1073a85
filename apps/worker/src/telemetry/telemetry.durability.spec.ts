import { type INestApplicationContext } from '@nestjs/common';
import { loadEnv } from '@tautline/config';
import {
  createSchedulingWorld,
  createTestDatabase,
  type SchedulingWorld,
  type TestDatabase,
} from '@tautline/db';
import { type TelemetrySample } from '@tautline/domain';
import {
  createQueue,
  createRedisConnection,
  deleteKeysWithPrefix,
  telemetryJobOptions,
  testRedisPrefix,
  type TypedQueue,
} from '@tautline/queues';
import { PassThrough } from 'node:stream';
import { createWorkerContext } from '../worker.factory';
import {
  eventually,
  insertLiveSession,
  type LiveSessionFixture,
  sampleCount,
  samplesAt,
  sleep,
} from './testing/live-session-fixtures';
import { startTcpRelay, type TcpRelay, throughRelay } from './testing/tcp-relay';
import { telemetryRejectedKey } from './telemetry.redrive';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Short on purpose: jobs run out of tries within seconds of the cut, so only the re-drive can save them. */
const RETRY = { retryForMs: 2_000, maxDelayMs: 400 };

/**
 * "A 202 means the samples will be stored": the worker reaches PostgreSQL through a TCP relay that
 * the test cuts for 60 s while a device keeps streaming, then restores.
 */
describe('telemetry durability through a database outage', () => {
  const prefix = testRedisPrefix('worker-durable');
  const redis = createRedisConnection(REDIS_URL);
  let db: TestDatabase;
  let world: SchedulingWorld;
  let relay: TcpRelay;
  let worker: INestApplicationContext;
  let queue: TypedQueue<'telemetry'>;

  beforeAll(async () => {
    db = await createTestDatabase('worker-durable');
    world = await createSchedulingWorld(db.dataSource, 'durable', { rooms: 2 });
    relay = await startTcpRelay(Number(new URL(db.url).port || 5432));
    const env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: throughRelay(db.url, relay.port),
      REDIS_URL,
      REDIS_PREFIX: prefix,
      TELEMETRY_RETRY_FOR_MS: String(RETRY.retryForMs),
      TELEMETRY_RETRY_MAX_DELAY_MS: String(RETRY.maxDelayMs),
      TELEMETRY_REDRIVE_EVERY_MS: '500',
      WATCHDOG_INTERVAL_MS: '1000',
    });
    worker = await createWorkerContext(env, { logStream: new PassThrough() });
    queue = createQueue('telemetry', { connection: redis, prefix });
  });

  afterAll(async () => {
    relay.restore();
    await worker.close();
    await queue.close();
    await relay.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await db.drop();
  });

  /** What the API does after a 202: jobs with the production options (only the durations shortened). */
  const accept = async (s: LiveSessionFixture, samples: TelemetrySample[]) => {
    await queue.add(
      'telemetry.batch',
      {
        organisationId: s.organisationId,
        clinicId: s.clinicId,
        sessionId: s.sessionId,
        deviceId: s.deviceId,
        receivedAt: new Date().toISOString(),
        samples,
      },
      {
        jobId: `${s.deviceId}_${samples[0]!.seq}-${samples[samples.length - 1]!.seq}`,
        ...telemetryJobOptions(RETRY),
      },
    );
    return samples.length;
  };

  it('stores every accepted sample after a 60 s database cut (stored = accepted)', async () => {
    const s = await insertLiveSession(db.dataSource, world, {
      room: 0,
      thresholds: { offlineAfterMs: 600_000, escalateAfterSeconds: 600 },
    });
    let seq = 0;
    let accepted = 0;
    const batch = async (n: number) => {
      accepted += await accept(s, samplesAt(7, n, seq));
      seq += n;
    };
    for (let i = 0; i < 5; i++) await batch(20);
    await eventually(async () => (await sampleCount(db.dataSource, s)) === accepted);

    relay.cut();
    const cutUntil = Date.now() + 60_000;
    let mostFailed = 0;
    while (Date.now() < cutUntil) {
      await batch(10);
      mostFailed = Math.max(mostFailed, await queue.getFailedCount());
      await sleep(500);
    }
    // Nothing could be stored, and jobs did run out of their (short) tries: without the re-drive they would stay failed.
    expect(await sampleCount(db.dataSource, s)).toBe(100);
    expect(mostFailed).toBeGreaterThan(0);

    relay.restore();
    await batch(10);
    await eventually(async () => (await sampleCount(db.dataSource, s)) === accepted, 20_000);
    await eventually(
      async () => (await queue.getFailedCount()) === 0 && (await queue.getWaitingCount()) === 0,
      10_000,
    );
    expect(await sampleCount(db.dataSource, s)).toBe(accepted);
  }, 120_000);

  it('does not re-drive an invalid job: it fails once, is counted, and stays failed', async () => {
    const before = Number((await redis.get(telemetryRejectedKey(prefix))) ?? 0);
    const job = await queue.add('telemetry.batch', { sessionId: 'not-a-uuid' } as never, {
      jobId: 'invalid-1',
      ...telemetryJobOptions(RETRY),
    });
    await eventually(async () => (await job.getState()) === 'failed');
    await sleep(2_000); // four re-drive intervals
    const after = await queue.getJob('invalid-1');
    expect(await after!.getState()).toBe('failed');
    expect(after!.attemptsMade).toBe(1);
    expect(Number(await redis.get(telemetryRejectedKey(prefix)))).toBe(before + 1);
  });
});

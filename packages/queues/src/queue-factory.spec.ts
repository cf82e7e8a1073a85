import { loadEnv } from '@tautline/config';
import {
  createQueue,
  createWorker,
  parseJob,
  TELEMETRY_BACKOFF,
  telemetryJobOptions,
  telemetryRetryDelay,
  type TypedJob,
} from './queue-factory';
import { createRedisConnection } from './redis-connection';
import { deleteKeysWithPrefix, testRedisPrefix } from './testing';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('typed queues on real Redis', () => {
  const prefix = testRedisPrefix('queues');
  const connection = createRedisConnection(REDIS_URL);

  afterAll(async () => {
    await deleteKeysWithPrefix(connection, prefix);
    connection.disconnect();
  });

  it('delivers a validated payload under the deployment prefix', async () => {
    const queue = createQueue('notices', { connection, prefix });
    const received: unknown[] = [];
    const workerConnection = createRedisConnection(REDIS_URL);
    let delivered!: () => void;
    const done = new Promise<void>((resolve) => (delivered = resolve));
    const worker = createWorker(
      'notices',
      async (job) => {
        received.push(parseJob('notices', job as TypedJob<'notices'>));
        delivered();
      },
      { connection: workerConnection, prefix },
    );
    const payload = {
      organisationId: '6b2f0e1c-1d2e-4f3a-8b4c-5d6e7f8a9b0c',
      clinicId: '6b2f0e1c-1d2e-4f3a-8b4c-5d6e7f8a9b0d',
      message: 'Room 3 closed',
      postedBy: 'Dr S',
      postedAt: new Date().toISOString(),
    };
    await queue.add('notice.post', payload);
    await done;
    expect(received).toEqual([payload]);
    expect(await connection.keys(`${prefix}:bull:notices:*`)).not.toHaveLength(0);
    await Promise.all([queue.close(), worker.close()]);
    workerConnection.disconnect();
  });

  it('rejects a malformed payload', () => {
    const job = {
      name: 'notice.post',
      data: { clinicId: 'nope' },
    } as unknown as TypedJob<'notices'>;
    expect(() => parseJob('notices', job)).toThrow(/organisationId|clinicId/);
  });
});

describe('telemetry retries', () => {
  const sum = (attempts: number, maxDelayMs: number) =>
    Array.from({ length: attempts - 1 }, (_, i) => telemetryRetryDelay(i + 1, maxDelayMs)).reduce(
      (a, b) => a + b,
      0,
    );

  it('back off exponentially from 200 ms up to the cap', () => {
    expect([1, 2, 3, 4, 5, 10, 60].map((n) => telemetryRetryDelay(n, 5_000))).toEqual([
      200, 400, 800, 1_600, 3_200, 5_000, 5_000,
    ]);
  });

  it('with the defaults, outlast a database outage of 15 minutes (never the old 5 tries in 3 s)', () => {
    const env = loadEnv({});
    const options = telemetryJobOptions({
      retryForMs: env.TELEMETRY_RETRY_FOR_MS,
      maxDelayMs: env.TELEMETRY_RETRY_MAX_DELAY_MS,
    });
    expect(sum(options.attempts, env.TELEMETRY_RETRY_MAX_DELAY_MS)).toBeGreaterThanOrEqual(
      15 * 60_000,
    );
    // Just enough tries: one fewer would not span the outage.
    expect(sum(options.attempts - 1, env.TELEMETRY_RETRY_MAX_DELAY_MS)).toBeLessThan(15 * 60_000);
    expect(options).toMatchObject({
      backoff: { type: TELEMETRY_BACKOFF, delay: 200 },
      removeOnFail: { age: 7 * 24 * 3_600 },
    });
  });
});

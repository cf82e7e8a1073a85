import { type INestApplicationContext } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import { loadEnv } from '@tautline/config';
import { createTestDatabase, seedDemo, type SeededDemo, type TestDatabase } from '@tautline/db';
import { clinicRoom, LIVE_NAMESPACE, type Notice } from '@tautline/domain';
import {
  createQueue,
  createRedisConnection,
  deleteKeysWithPrefix,
  redisKeys,
  testRedisPrefix,
  type TypedQueue,
} from '@tautline/queues';
import { QueueEvents } from 'bullmq';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { createWorkerContext } from '../worker.factory';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The worker against real PostgreSQL and Redis, observed by a real socket.io server using the
 * Redis adapter with the same key, as the API does.
 */
describe('notice processor (real PostgreSQL, Redis, socket.io)', () => {
  const prefix = testRedisPrefix('worker-notices');
  const redis = createRedisConnection(REDIS_URL);
  const extraConnections = [redis.duplicate(), redis.duplicate(), redis.duplicate()];
  let db: TestDatabase;
  let demo: SeededDemo;
  let worker: INestApplicationContext;
  let queue: TypedQueue<'notices'>;
  let events: QueueEvents;
  let io: Server;
  let client: Socket;
  const received: Notice[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('worker-notices');
    demo = await seedDemo(db.dataSource);
    const env = loadEnv({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
    });
    worker = await createWorkerContext(env, { logStream: new PassThrough() });
    queue = createQueue('notices', { connection: redis, prefix });
    events = new QueueEvents('notices', {
      connection: extraConnections[0]!,
      prefix: redisKeys(prefix).bull,
    });
    await events.waitUntilReady();

    const http = createServer();
    io = new Server(http);
    io.adapter(
      createAdapter(extraConnections[1]!, extraConnections[2]!, {
        key: redisKeys(prefix).socketIo,
      }),
    );
    // Server side of the test: the client sits in London Bridge's room only.
    io.of(LIVE_NAMESPACE).on('connection', (s) =>
      s.join(clinicRoom(demo.clinicIds['london-bridge']!)),
    );
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const { port } = http.address() as { port: number };
    client = connect(`http://127.0.0.1:${port}${LIVE_NAMESPACE}`, { transports: ['websocket'] });
    client.on('notice.posted', (n: Notice) => received.push(n));
    await new Promise<void>((resolve) => client.on('connect', resolve));
  });

  afterAll(async () => {
    client.disconnect();
    io.close();
    await worker.close();
    await events.close();
    await queue.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    extraConnections.forEach((c) => c.disconnect());
    await db.drop();
  });

  const payload = (clinicId: string, organisationId = demo.organisationId) => ({
    organisationId,
    clinicId,
    message: 'Room 4 needs a new electrode pack',
    postedBy: 'Dr Sofia Supervisor',
    postedAt: new Date().toISOString(),
  });

  it('emits the notice to the clinic room', async () => {
    const job = await queue.add('notice.post', payload(demo.clinicIds['london-bridge']!));
    const outcome = await job.waitUntilFinished(events, 10_000);
    expect(outcome).toEqual({
      delivered: true,
      room: clinicRoom(demo.clinicIds['london-bridge']!),
    });
    await waitFor(() => received.some((n) => n.id === job.id));
    expect(received.find((n) => n.id === job.id)).toMatchObject({
      clinicId: demo.clinicIds['london-bridge'],
      message: 'Room 4 needs a new electrode pack',
    });
  });

  it('does not reach a room it was not meant for', async () => {
    const before = received.length;
    const job = await queue.add('notice.post', payload(demo.clinicIds.manchester!));
    expect(await job.waitUntilFinished(events, 10_000)).toMatchObject({ delivered: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(received.length).toBe(before);
  });

  it('drops a notice whose clinic is not in the named organisation', async () => {
    const job = await queue.add(
      'notice.post',
      payload(demo.clinicIds['london-bridge']!, '00000000-0000-4000-8000-000000000000'),
    );
    expect(await job.waitUntilFinished(events, 10_000)).toEqual({
      delivered: false,
      reason: 'clinic not found in organisation',
    });
  });

  it('fails a malformed job once, without retrying', async () => {
    const job = await queue.add('notice.post', { clinicId: 'nope' } as never);
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/invalid notice payload/);
    const failed = await queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
  });
});

async function waitFor(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

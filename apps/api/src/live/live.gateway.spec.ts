import {
  clinicRoom,
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type Notice,
  type ServerToClientEvents,
} from '@tautline/domain';
import { createLiveEmitter, createRedisConnection } from '@tautline/queues';
import { io, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../testing/test-app';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('socket.io /live (real Redis adapter)', () => {
  let t: TestApp;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    t = await startTestApp('live');
  });
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await t.close();
  });

  function connect(token?: string): LiveClient {
    const client: LiveClient = io(`${t.url}${LIVE_NAMESPACE}`, {
      auth: token ? { token } : {},
      transports: ['websocket'],
      reconnection: false,
    });
    clients.push(client);
    return client;
  }

  const connected = (c: LiveClient) =>
    new Promise<void>((resolve, reject) => {
      if (c.connected) return resolve();
      c.on('connect', resolve);
      c.on('connect_error', reject);
    });

  it('refuses a handshake without a valid token', async () => {
    for (const token of [undefined, 'not-a-jwt']) {
      await expect(connected(connect(token))).rejects.toThrow('unauthorized');
    }
  });

  it('joins only the caller’s clinic rooms', async () => {
    const client = connect(await t.login('scheduler@tautline.test'));
    await connected(client);
    const { clinicIds } = t.demo;
    const requested = [
      clinicIds['london-bridge']!,
      clinicIds['new-york-chelsea']!,
      '00000000-0000-4000-8000-000000000000',
    ];
    const result = await client.emitWithAck('clinics.subscribe', { clinicIds: requested });
    expect(result).toEqual({
      joined: [clinicIds['london-bridge']],
      rejected: requested.slice(1),
      sessions: [],
    });
  });

  it('answers a malformed subscribe with an error, joining nothing', async () => {
    const client = connect(await t.login('scheduler@tautline.test'));
    await connected(client);
    const result = await client.emitWithAck('clinics.subscribe', { clinicIds: ['nope'] } as never);
    expect(result.joined).toEqual([]);
    expect(result.error).toMatch(/clinicIds\.0/);
  });

  it('delivers an event emitted through Redis to the clinic room only', async () => {
    const london = t.demo.clinicIds['london-bridge']!;
    const scheduler = connect(await t.login('scheduler@tautline.test'));
    const practitioner = connect(await t.login('practitioner@tautline.test'));
    await Promise.all([connected(scheduler), connected(practitioner)]);
    await scheduler.emitWithAck('clinics.subscribe', { clinicIds: [london] });
    await practitioner.emitWithAck('clinics.subscribe', {
      clinicIds: [london, t.demo.clinicIds['new-york-chelsea']!],
    });

    const strayed: Notice[] = [];
    practitioner.on('notice.posted', (n) => strayed.push(n));
    const received = new Promise<Notice>((resolve) => scheduler.on('notice.posted', resolve));

    const redis = createRedisConnection(t.env.REDIS_URL);
    const notice: Notice = {
      id: 'n1',
      clinicId: london,
      message: 'Room 1 closed',
      postedBy: 'Dr S',
      postedAt: new Date().toISOString(),
    };
    createLiveEmitter(redis, t.env.REDIS_PREFIX)
      .to(clinicRoom(london))
      .emit('notice.posted', notice);
    expect(await received).toEqual(notice);
    // Give a stray delivery time to arrive before asserting it did not.
    await new Promise((r) => setTimeout(r, 300));
    expect(strayed).toEqual([]);
    redis.disconnect();
  });
});

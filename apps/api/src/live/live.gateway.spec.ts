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
      alerts: [],
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

describe('socket.io /live auth.renew (short access tokens)', () => {
  let t: TestApp;
  const clients: LiveClient[] = [];
  const TTL_S = 5;

  beforeAll(async () => {
    t = await startTestApp('live-renew', { JWT_TTL_SECONDS: String(TTL_S) });
  });
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await t.close();
  });

  const open = async (token: string): Promise<LiveClient> => {
    const client: LiveClient = io(`${t.url}${LIVE_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.on('connect', resolve);
      client.on('connect_error', reject);
    });
    return client;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const notice = (clinicId: string, id: string): Notice => ({
    id,
    clinicId,
    message: 'Room 2 is back in use',
    postedBy: 'Test',
    postedAt: new Date().toISOString(),
  });

  it('extends a socket past its first token with a renewed one, keeping its rooms', async () => {
    const london = t.demo.clinicIds['london-bridge']!;
    const renewed = await open(await t.login('scheduler@tautline.test'));
    const plain = await open(await t.login('scheduler@tautline.test'));
    for (const c of [renewed, plain])
      await c.emitWithAck('clinics.subscribe', { clinicIds: [london] });
    let plainDropped = false;
    plain.on('disconnect', () => (plainDropped = true));

    await sleep(2_000);
    const ack = await renewed.emitWithAck('auth.renew', {
      accessToken: await t.login('scheduler@tautline.test'),
    });
    expect(ack).toMatchObject({ ok: true });
    expect(ack.ok && ack.expiresAt).toBeGreaterThan(Date.now() + (TTL_S - 1) * 1000);

    await sleep((TTL_S + 1) * 1000 - 2_000);
    expect(plainDropped).toBe(true);
    expect(renewed.connected).toBe(true);
    const received = new Promise<Notice>((resolve) => renewed.once('notice.posted', resolve));
    const redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    createLiveEmitter(redis, t.env.REDIS_PREFIX)
      .to(clinicRoom(london))
      .emit('notice.posted', notice(london, '00000000-0000-4000-8000-0000000000a1'));
    expect((await received).id).toBe('00000000-0000-4000-8000-0000000000a1');
    redis.disconnect();
  }, 20_000);

  it('refuses another user’s token, a malformed one and garbage, keeping the connection', async () => {
    const client = await open(await t.login('scheduler@tautline.test'));
    const other = await t.login('supervisor@tautline.test');
    expect(await client.emitWithAck('auth.renew', { accessToken: other })).toEqual({
      ok: false,
      error: 'the token is not for this connection',
    });
    expect(await client.emitWithAck('auth.renew', { accessToken: 'not-a-jwt' })).toEqual({
      ok: false,
      error: 'unauthorized',
    });
    expect(await client.emitWithAck('auth.renew', { nope: 1 } as never)).toMatchObject({
      ok: false,
    });
    expect(client.connected).toBe(true);
  });

  it('drops a deactivated user at once, and refuses their renewal', async () => {
    const token = await t.login('practitioner@tautline.test');
    const client = await open(token);
    const dropped = new Promise<void>((resolve) => client.once('disconnect', () => resolve()));
    await t.db.dataSource.query(
      `UPDATE users SET active = false WHERE email = 'practitioner@tautline.test'`,
    );
    const started = Date.now();
    await dropped;
    expect(Date.now() - started).toBeLessThan(TTL_S * 1000);
    const again = io(`${t.url}${LIVE_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    clients.push(again);
    await expect(
      new Promise<void>((resolve, reject) => {
        again.on('connect', () => resolve());
        again.on('connect_error', reject);
      }),
    ).rejects.toThrow('unauthorized');
  });
});

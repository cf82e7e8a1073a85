import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type AccessRevokedEvent,
  clinicRoom,
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type Notice,
  type ServerToClientEvents,
} from '@tautline/domain';
import { createLiveEmitter, createRedisConnection, type LiveEmitter } from '@tautline/queues';
import { PassThrough } from 'node:stream';
import { io, type Socket } from 'socket.io-client';
import { type Redis } from 'ioredis';
import { createApp } from '../app.factory';
import { startTestApp, type TestApp } from '../testing/test-app';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

// Two API instances on one PostgreSQL and Redis. Access is changed straight in SQL (there is no
// user-management API yet), and a socket on the *other* instance must feel it within a second.
describe('revocation of open /live sockets across two API instances', () => {
  let a: TestApp;
  let b: NestFastifyApplication;
  let bUrl: string;
  let redis: Redis;
  let emitter: LiveEmitter;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    a = await startTestApp('live-access');
    b = await createApp(a.env, { logStream: new PassThrough() });
    await b.listen(0, '127.0.0.1');
    bUrl = `http://127.0.0.1:${(b.getHttpServer().address() as { port: number }).port}`;
    redis = createRedisConnection(a.env.REDIS_URL);
    emitter = createLiveEmitter(redis, a.env.REDIS_PREFIX);
  });
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    redis.disconnect();
    await b.close();
    await a.close();
  });

  const clinic = (slug: string) => a.demo.clinicIds[slug]!;
  const userId = (email: string) => a.demo.userIds[email]!;
  const sql = (text: string, values: unknown[]) => a.db.dataSource.query(text, values);

  async function watch(url: string, token: string, clinicIds: string[]) {
    const client: LiveClient = io(`${url}${LIVE_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    clients.push(client);
    const notices: Notice[] = [];
    const revoked: { at: number; event: AccessRevokedEvent }[] = [];
    const disconnects: { at: number; reason: string }[] = [];
    client.on('notice.posted', (n) => notices.push(n));
    client.on('access.revoked', (event) => revoked.push({ at: Date.now(), event }));
    client.on('disconnect', (reason) => disconnects.push({ at: Date.now(), reason }));
    await new Promise<void>((resolve, reject) => {
      client.on('connect', resolve);
      client.on('connect_error', reject);
    });
    const ack = await client.emitWithAck('clinics.subscribe', { clinicIds });
    expect(ack.joined.sort()).toEqual([...clinicIds].sort());
    return { client, notices, revoked, disconnects };
  }

  const until = async (check: () => boolean, ms = 3_000) => {
    const deadline = Date.now() + ms;
    while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return check();
  };

  let noticeNo = 0;
  /** A notice to the clinic's room, as the worker sends it; resolves once `witness` has it. */
  async function post(clinicId: string, witness: { notices: Notice[] }): Promise<Notice> {
    const notice: Notice = {
      id: `n${++noticeNo}`,
      clinicId,
      message: 'Room 2 closed',
      postedBy: 'Dr S',
      postedAt: new Date().toISOString(),
    };
    emitter.to(clinicRoom(clinicId)).emit('notice.posted', notice);
    expect(await until(() => witness.notices.some((n) => n.id === notice.id))).toBe(true);
    await new Promise((r) => setTimeout(r, 100)); // a stray delivery would have landed by now
    return notice;
  }

  it('a removed membership leaves that clinic’s room within a second; other clinics and colleagues keep receiving', async () => {
    const london = clinic('london-bridge');
    const manchester = clinic('manchester');
    const scheduler = await watch(bUrl, await a.login('scheduler@tautline.test'), [
      london,
      manchester,
    ]);
    const colleague = await watch(a.url, await a.login('admin@tautline.test'), [
      london,
      manchester,
    ]);
    await post(london, scheduler);

    const changedAt = Date.now();
    await sql(`DELETE FROM clinic_memberships WHERE user_id = $1 AND clinic_id = $2`, [
      userId('scheduler@tautline.test'),
      london,
    ]);
    expect(await until(() => scheduler.revoked.length > 0)).toBe(true);
    expect(scheduler.revoked[0]!.event).toEqual({
      reason: 'membership_removed',
      clinicIds: [london],
    });
    expect(scheduler.revoked[0]!.at - changedAt).toBeLessThan(1_000);

    const after = await post(london, colleague);
    expect(scheduler.notices.map((n) => n.id)).not.toContain(after.id);
    expect(scheduler.client.connected).toBe(true);
    const stillThere = await post(manchester, scheduler);
    expect(colleague.notices.map((n) => n.id)).toContain(stillThere.id);
    // Asking again does not get it back in.
    expect(
      await scheduler.client.emitWithAck('clinics.subscribe', { clinicIds: [london] }),
    ).toMatchObject({ joined: [], rejected: [london] });
  });

  it('a deactivated user is disconnected within a second, with the reason, and the token cannot reconnect', async () => {
    const london = clinic('london-bridge');
    const token = await a.login('supervisor@tautline.test');
    const supervisor = await watch(bUrl, token, [london]);
    const colleague = await watch(bUrl, await a.login('admin@tautline.test'), [london]);

    const changedAt = Date.now();
    await sql(`UPDATE users SET active = false WHERE id = $1`, [
      userId('supervisor@tautline.test'),
    ]);
    expect(await until(() => supervisor.disconnects.length > 0)).toBe(true);
    expect(supervisor.revoked.map((r) => r.event.reason)).toEqual(['deactivated']);
    expect(supervisor.disconnects[0]!.reason).toBe('io server disconnect');
    expect(supervisor.disconnects[0]!.at - changedAt).toBeLessThan(1_000);
    await post(london, colleague);
    expect(colleague.client.connected).toBe(true);

    for (const url of [a.url, bUrl])
      await expect(watch(url, token, [london])).rejects.toThrow('unauthorized');
    expect((await a.request('/api/v1/clinics', { token })).status).toBe(401);
  });

  it('a changed role disconnects within a second on the other instance', async () => {
    const newYork = clinic('new-york-chelsea');
    const practitioner = await watch(bUrl, await a.login('practitioner@tautline.test'), [newYork]);
    const changedAt = Date.now();
    await sql(`UPDATE users SET role = 'scheduler' WHERE id = $1`, [
      userId('practitioner@tautline.test'),
    ]);
    expect(await until(() => practitioner.disconnects.length > 0)).toBe(true);
    expect(practitioner.revoked.map((r) => r.event)).toEqual([
      { reason: 'role_changed', clinicIds: [newYork] },
    ]);
    expect(practitioner.disconnects[0]!.at - changedAt).toBeLessThan(1_000);
  });

  it('a change made while an instance’s LISTEN connection was down is applied when it comes back', async () => {
    const manchester = clinic('manchester');
    const scheduler = await watch(bUrl, await a.login('scheduler@tautline.test'), [manchester]);
    const listeners = `FROM pg_stat_activity WHERE application_name = 'tautline-access-listener' AND datname = current_database()`;
    await sql(`SELECT pg_terminate_backend(pid) ${listeners}`, []);
    // Both instances' listeners are gone (they retry after a second): nobody hears the DELETE itself.
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++)
      gone =
        ((await sql(`SELECT count(*)::int AS n ${listeners}`, [])) as { n: number }[])[0]!.n === 0;
    expect(gone).toBe(true);
    await sql(`DELETE FROM clinic_memberships WHERE user_id = $1 AND clinic_id = $2`, [
      userId('scheduler@tautline.test'),
      manchester,
    ]);
    expect(await until(() => scheduler.revoked.length > 0, 5_000)).toBe(true);
    expect(scheduler.revoked[0]!.event).toEqual({
      reason: 'membership_removed',
      clinicIds: [manchester],
    });
  });
});

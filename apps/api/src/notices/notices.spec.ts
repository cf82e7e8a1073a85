import { createRedisConnection, createQueue } from '@tautline/queues';
import { startTestApp, type TestApp } from '../testing/test-app';

describe('POST /api/v1/clinics/:clinicId/notices', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('notices');
  });
  afterAll(() => t.close());

  const post = (token: string, clinicId: string, json: unknown) =>
    t.request(`/api/v1/clinics/${clinicId}/notices`, { method: 'POST', token, json });

  it('queues a supervisor’s notice for the worker', async () => {
    const token = await t.login('supervisor@tautline.test');
    const clinicId = t.demo.clinicIds.manchester!;
    const res = await post(token, clinicId, { message: '  Room 2 stimulator is out of service ' });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    const redis = createRedisConnection(t.env.REDIS_URL);
    const queue = createQueue('notices', { connection: redis, prefix: t.env.REDIS_PREFIX });
    const job = await queue.getJob(id);
    expect(job?.name).toBe('notice.post');
    expect(job?.data).toMatchObject({
      clinicId,
      organisationId: t.demo.organisationId,
      message: 'Room 2 stimulator is out of service',
      postedBy: 'Dr Sofia Supervisor',
    });
    await queue.close();
    redis.disconnect();
  });

  it('forbids roles without the permission', async () => {
    const token = await t.login('scheduler@tautline.test');
    const res = await post(token, t.demo.clinicIds['london-bridge']!, { message: 'hello' });
    expect(res.status).toBe(403);
  });

  it('answers 404 for another organisation’s clinic and queues nothing', async () => {
    const [org] = await t.db.dataSource.query(
      `INSERT INTO organisations (slug, name) VALUES ('rival', 'Rival') RETURNING id`,
    );
    const [foreign] = await t.db.dataSource.query(
      `INSERT INTO clinics (organisation_id, slug, name, time_zone) VALUES ($1, 'r', 'R', 'Europe/Paris') RETURNING id`,
      [org.id],
    );
    const admin = await t.login('admin@tautline.test');
    const redis = createRedisConnection(t.env.REDIS_URL);
    const queue = createQueue('notices', { connection: redis, prefix: t.env.REDIS_PREFIX });
    const before = await queue.count();
    expect((await post(admin, foreign.id, { message: 'x' })).status).toBe(404);
    expect(
      (await post(admin, '00000000-0000-4000-8000-000000000000', { message: 'x' })).status,
    ).toBe(404);
    expect(await queue.count()).toBe(before);
    await queue.close();
    redis.disconnect();
  });

  it('rejects an empty message naming the field', async () => {
    const token = await t.login('supervisor@tautline.test');
    const res = await post(token, t.demo.clinicIds.manchester!, { message: '   ' });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].field).toBe('body.message');
  });
});

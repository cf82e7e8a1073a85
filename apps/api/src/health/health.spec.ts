import { startTcpProxy } from '../testing/tcp-proxy';
import { startTestApp, type TestApp } from '../testing/test-app';

describe('GET /api/health (real PostgreSQL + Redis)', () => {
  it('reports both dependencies up', async () => {
    const t = await startTestApp('health-up');
    try {
      const res = await t.request('/api/health');
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.status).toBe('ok');
      expect(body.checks.postgres.status).toBe('up');
      expect(body.checks.redis.status).toBe('up');
    } finally {
      await t.close();
    }
  });

  describe('with a dependency stopped', () => {
    let t: TestApp;
    let redisProxy: Awaited<ReturnType<typeof startTcpProxy>>;
    let pgProxy: Awaited<ReturnType<typeof startTcpProxy>>;

    beforeAll(async () => {
      redisProxy = await startTcpProxy(6379);
      pgProxy = await startTcpProxy(5432);
      // The app reaches both services only through the relays, which the tests then stop.
      t = await startTestApp(
        'health-down',
        { REDIS_URL: `redis://127.0.0.1:${redisProxy.port}` },
        (url) => {
          const u = new URL(url);
          u.port = String(pgProxy.port);
          return u.toString();
        },
      );
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers 503 naming Redis when Redis stops', async () => {
      expect((await t.request('/api/health')).status).toBe(200);
      await redisProxy.close();
      const res = await t.request('/api/health');
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.status).toBe('error');
      expect(body.checks.redis.status).toBe('down');
      expect(body.checks.postgres.status).toBe('up');
    });

    it('answers 503 naming PostgreSQL when PostgreSQL stops', async () => {
      await pgProxy.close();
      const res = await t.request('/api/health');
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.checks.postgres.status).toBe('down');
      expect(body.checks.postgres.error).toBeTruthy();
    });
  });
});

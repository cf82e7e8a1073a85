import { loadEnv } from '@tautline/config';
import { startThrowawayRedis, type ThrowawayRedis } from '@tautline/queues';
import { createApp } from '../app.factory';

describe('API start-up against an evicting Redis', () => {
  let redis: ThrowawayRedis;
  beforeAll(async () => {
    redis = await startThrowawayRedis('allkeys-lru');
  });
  afterAll(() => redis.stop());

  it('refuses to start, saying how to fix it', async () => {
    const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_URL: redis.url });
    await expect(createApp(env)).rejects.toThrow(/maxmemory-policy is "allkeys-lru".*noeviction/s);
  });
});

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

describe('api start-up against a Redis without persistence', () => {
  let redis: ThrowawayRedis;
  beforeAll(async () => {
    redis = await startThrowawayRedis('noeviction');
  });
  afterAll(() => redis.stop());

  it('refuses to start in production: a crash would lose every accepted sample still queued', async () => {
    const env = loadEnv({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      REDIS_URL: redis.url,
      JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
      SMS_WEBHOOK_SECRET: 'another-production-secret-of-32-characters',
    });
    await expect(createApp(env)).rejects.toThrow(/appendonly is off.*appendfsync everysec/s);
  });
});

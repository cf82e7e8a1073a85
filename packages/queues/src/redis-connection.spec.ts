import {
  assertRedisNoEviction,
  createRedisConnection,
  RedisEvictionPolicyError,
} from './redis-connection';
import { startThrowawayRedis, type ThrowawayRedis } from './testing';

describe('assertRedisNoEviction', () => {
  const servers: ThrowawayRedis[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  it('accepts a noeviction Redis', async () => {
    const server = await startThrowawayRedis('noeviction');
    servers.push(server);
    const { url } = server;
    const redis = createRedisConnection(url);
    await expect(assertRedisNoEviction(redis)).resolves.toBeUndefined();
    await redis.quit();
  });

  it('refuses an evicting Redis and says how to fix it', async () => {
    const server = await startThrowawayRedis('allkeys-lru');
    servers.push(server);
    const { url } = server;
    const redis = createRedisConnection(url);
    const failure = assertRedisNoEviction(redis);
    await expect(failure).rejects.toBeInstanceOf(RedisEvictionPolicyError);
    await expect(failure).rejects.toThrow(/allkeys-lru.*CONFIG SET maxmemory-policy noeviction/s);
    await redis.quit();
  });
});

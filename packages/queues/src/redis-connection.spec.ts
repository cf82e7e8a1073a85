import {
  assertRedisNoEviction,
  checkRedisBeforeStart,
  createRedisConnection,
  readRedisPersistence,
  RedisEvictionPolicyError,
  RedisPersistenceError,
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

describe('Redis persistence at start', () => {
  const servers: ThrowawayRedis[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.stop())));
  const start = async (...args: Parameters<typeof startThrowawayRedis>) => {
    const server = await startThrowawayRedis(...args);
    servers.push(server);
    return server.url;
  };
  const production = { NODE_ENV: 'production', REDIS_PERSISTENCE: 'aof' } as const;

  it('production refuses a Redis without an append-only file, saying how to fix it', async () => {
    const url = await start('noeviction');
    const failure = checkRedisBeforeStart(url, production);
    await expect(failure).rejects.toBeInstanceOf(RedisPersistenceError);
    await expect(failure).rejects.toThrow(
      /appendonly is off.*appendonly yes.*REDIS_PERSISTENCE=managed/s,
    );
  });

  it('production starts on a Redis with AOF (appendfsync everysec)', async () => {
    const url = await start('noeviction', { appendonly: true });
    await expect(checkRedisBeforeStart(url, production)).resolves.toBeUndefined();
    const redis = createRedisConnection(url);
    expect(await readRedisPersistence(redis)).toEqual({ aof: true, fsync: 'everysec' });
    redis.disconnect();
  });

  it('development warns once and starts; tests start silently', async () => {
    const url = await start('noeviction');
    const warnings: string[] = [];
    await checkRedisBeforeStart(url, { NODE_ENV: 'development', REDIS_PERSISTENCE: 'aof' }, (m) =>
      warnings.push(m),
    );
    expect(warnings).toEqual([expect.stringMatching(/^warning: Redis has no append-only file/)]);
    await checkRedisBeforeStart(url, { NODE_ENV: 'test', REDIS_PERSISTENCE: 'aof' }, (m) =>
      warnings.push(m),
    );
    expect(warnings).toHaveLength(1);
  });

  it('reads AOF from INFO when CONFIG is disabled, and REDIS_PERSISTENCE=managed skips the check', async () => {
    const noConfig = ['--rename-command', 'CONFIG', ''];
    const withAof = await start('noeviction', { appendonly: true, args: noConfig });
    const without = await start('noeviction', { args: noConfig });
    await expect(checkRedisBeforeStart(withAof, production)).resolves.toBeUndefined();
    await expect(checkRedisBeforeStart(without, production)).rejects.toBeInstanceOf(
      RedisPersistenceError,
    );
    await expect(
      checkRedisBeforeStart(without, { NODE_ENV: 'production', REDIS_PERSISTENCE: 'managed' }),
    ).resolves.toBeUndefined();
  });
});

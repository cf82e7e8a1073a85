import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection suited to BullMQ (workers need `maxRetriesPerRequest: null`).
 * Keys are namespaced by each user (BullMQ prefix, socket.io key), not by ioredis' keyPrefix,
 * which Lua scripts would bypass.
 */
export function createRedisConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    ...options,
  });
}

export class RedisEvictionPolicyError extends Error {
  constructor(policy: string) {
    super(
      `Redis maxmemory-policy is "${policy}", but Tautline needs "noeviction": with eviction Redis may ` +
        `silently drop queued jobs. Fix: run \`redis-cli CONFIG SET maxmemory-policy noeviction\` and set ` +
        `\`maxmemory-policy noeviction\` in redis.conf (see infra/redis/redis.conf).`,
    );
    this.name = 'RedisEvictionPolicyError';
  }
}

/** Refuses to run against a Redis that may evict keys (jobs, outbox state) under memory pressure. */
export async function assertRedisNoEviction(redis: Redis): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch {
    // Managed Redis services often disable CONFIG; INFO still reports the policy.
    const info = await redis.info('memory');
    policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  }
  if (policy !== 'noeviction') throw new RedisEvictionPolicyError(policy ?? 'unknown');
}

/** Start-up check on a short-lived connection, before anything else touches Redis. */
export async function checkRedisBeforeStart(url: string): Promise<void> {
  const redis = createRedisConnection(url, {
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    await assertRedisNoEviction(redis);
  } finally {
    redis.disconnect();
  }
}

/** Key namespaces derived from one deployment prefix. */
export function redisKeys(prefix: string) {
  return {
    bull: `${prefix}:bull`,
    socketIo: `${prefix}:socket.io`,
    throttle: `${prefix}:throttle`,
  };
}

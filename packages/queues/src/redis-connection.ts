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

export class RedisPersistenceError extends Error {
  constructor(detail: string) {
    super(
      `Redis has no append-only file (${detail}): a Redis crash would lose every accepted telemetry sample and job ` +
        `still queued. Fix: \`appendonly yes\` and \`appendfsync everysec\` in redis.conf (see infra/redis/redis.conf), ` +
        `or \`redis-cli CONFIG SET appendonly yes\`; on a managed Redis that persists by other means, set REDIS_PERSISTENCE=managed.`,
    );
    this.name = 'RedisPersistenceError';
  }
}

export interface RedisPersistence {
  /** AOF on (`appendonly yes`). */
  aof: boolean;
  /** `appendfsync` (`everysec`, `always`, `no`), or null when CONFIG is disabled (INFO does not report it). */
  fsync: string | null;
}

/** Reads whether Redis keeps an append-only file; managed services that disable CONFIG still answer INFO. */
export async function readRedisPersistence(redis: Redis): Promise<RedisPersistence> {
  try {
    const reply = (await redis.config('GET', 'append*')) as string[];
    const settings = new Map<string, string>();
    for (let i = 0; i + 1 < reply.length; i += 2) settings.set(reply[i]!, reply[i + 1]!);
    return {
      aof: settings.get('appendonly') === 'yes',
      fsync: settings.get('appendfsync') ?? null,
    };
  } catch {
    const info = await redis.info('persistence');
    return { aof: /aof_enabled:1/.test(info), fsync: null };
  }
}

export interface RedisStartSettings {
  NODE_ENV: 'development' | 'test' | 'production';
  /** `aof`: check for an append-only file; `managed`: the provider persists Redis, not checked. */
  REDIS_PERSISTENCE: 'aof' | 'managed';
}

/**
 * Refuses, in production, a Redis without AOF (a 202 promises the samples are kept); warns in
 * development (once, at start); says nothing under test, where the shared throwaway Redis has none.
 */
export async function assertRedisPersistence(
  redis: Redis,
  settings: RedisStartSettings,
  warn: (message: string) => void = console.warn,
): Promise<void> {
  if (settings.REDIS_PERSISTENCE === 'managed') return;
  const persistence = await readRedisPersistence(redis);
  const problem = !persistence.aof
    ? 'appendonly is off'
    : persistence.fsync === 'no'
      ? 'appendfsync is "no"'
      : null;
  if (!problem) return;
  if (settings.NODE_ENV === 'production') throw new RedisPersistenceError(problem);
  if (settings.NODE_ENV === 'development')
    warn(`warning: ${new RedisPersistenceError(problem).message}`);
}

/** Start-up check on a short-lived connection, before anything else touches Redis. */
export async function checkRedisBeforeStart(
  url: string,
  settings: RedisStartSettings,
  warn: (message: string) => void = console.warn,
): Promise<void> {
  const redis = createRedisConnection(url, {
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    await assertRedisNoEviction(redis);
    await assertRedisPersistence(redis, settings, warn);
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

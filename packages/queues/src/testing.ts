import { randomBytes } from 'node:crypto';
import { type Redis } from 'ioredis';

/** A Redis key prefix of its own for one test file, so files share one Redis without meeting. */
export function testRedisPrefix(label: string): string {
  return `t-${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 16)}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under a prefix (SCAN, never KEYS, so a shared Redis is not blocked). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

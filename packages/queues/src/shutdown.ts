import { type Redis } from 'ioredis';

/** Waits for a graceful close, but never longer than `ms`: a dead dependency must not hang shutdown. */
export async function closeWithin(close: () => Promise<unknown>, ms = 3_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    close().catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await closeWithin(() => redis.quit(), 1_000);
  redis.disconnect();
}

import { Inject, Injectable } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { liveKeys } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ENV, REDIS } from '../infrastructure/infrastructure.module';

/** How long a lock outlives a holder that died without releasing it. */
export const SESSION_LOCK_TTL_MS = 10_000;
/** How long to wait for another process's lock before giving the job back to BullMQ (longer than the TTL). */
const SESSION_LOCK_WAIT_MS = 12_000;

/** Deletes the lock only if it is still ours (it may have expired and been taken by someone else). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Another process held the session's lock too long: the job is retried by BullMQ. */
export class SessionBusyError extends Error {
  override name = 'SessionBusyError';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one session's state changes one at a time: in this process through a promise chain per
 * session (so batches of one session queue behind each other without polling), and across
 * processes through a short Redis lock (`SET … NX PX`), so two workers never interleave the
 * read-evaluate-write of one session's safety state. The watchdog goes through the same locks.
 */
@Injectable()
export class SessionLocks {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly keys: ReturnType<typeof liveKeys>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENV) env: Env,
  ) {
    this.keys = liveKeys(env.REDIS_PREFIX);
  }

  run<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(sessionId) ?? Promise.resolve();
    const current = previous.then(() => this.holdingRedisLock(sessionId, work));
    const tail = current.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(sessionId, tail);
    void tail.then(() => {
      if (this.chains.get(sessionId) === tail) this.chains.delete(sessionId);
    });
    return current;
  }

  private async holdingRedisLock<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const key = this.keys.lock(sessionId);
    const token = randomUUID();
    const deadline = Date.now() + SESSION_LOCK_WAIT_MS;
    for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
      if ((await this.redis.set(key, token, 'PX', SESSION_LOCK_TTL_MS, 'NX')) === 'OK') break;
      if (Date.now() > deadline)
        throw new SessionBusyError(`session ${sessionId} is locked by another process`);
      await sleep(delay + Math.random() * delay);
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}

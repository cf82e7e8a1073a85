import { type Env } from '@tautline/config';
import { createQueue } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { ENV } from '../config/config.module';
import { REDIS } from '../infrastructure/redis.module';

export const NOTICES_QUEUE = Symbol('NOTICES_QUEUE');

export const noticesQueueProvider = {
  provide: NOTICES_QUEUE,
  inject: [ENV, REDIS],
  useFactory: (env: Env, redis: Redis) =>
    createQueue('notices', { connection: redis, prefix: env.REDIS_PREFIX }),
};

import { type Env } from '@tautline/config';
import { createQueue } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { ENV } from '../config/config.module';
import { REDIS } from '../infrastructure/redis.module';

export const REMINDERS_QUEUE = Symbol('REMINDERS_QUEUE');

export const remindersQueueProvider = {
  provide: REMINDERS_QUEUE,
  inject: [ENV, REDIS],
  useFactory: (env: Env, redis: Redis) =>
    createQueue('reminders', { connection: redis, prefix: env.REDIS_PREFIX }),
};

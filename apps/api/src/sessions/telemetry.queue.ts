import { type Env } from '@tautline/config';
import { createQueue } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { ENV } from '../config/config.module';
import { REDIS } from '../infrastructure/redis.module';

export const TELEMETRY_QUEUE = Symbol('TELEMETRY_QUEUE');

export const telemetryQueueProvider = {
  provide: TELEMETRY_QUEUE,
  inject: [ENV, REDIS],
  useFactory: (env: Env, redis: Redis) =>
    createQueue('telemetry', { connection: redis, prefix: env.REDIS_PREFIX }),
};
